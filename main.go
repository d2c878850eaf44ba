// Command maildoctor checks that a mail account still works after the move
// to TLS 1.2/1.3 on the implicit-TLS ports, and says what to change.
// Without arguments it opens the app; with a subcommand it is the command
// line described in DESIGN.md.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"golang.org/x/term"

	"maildoctor.app/maildoctor/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	env := cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	if term.IsTerminal(int(os.Stdin.Fd())) {
		env.ReadPassword = askPassword
	}
	switch {
	case len(os.Args) < 2:
		os.Exit(runApp(""))
	case os.Args[1] == "open":
		if len(os.Args) != 3 {
			fmt.Fprintln(os.Stderr, "maildoctor open: give one support link (maildoctor://open?email=…)")
			os.Exit(cli.ExitUsage)
		}
		os.Exit(runApp(os.Args[2]))
	}
	os.Exit(cli.Run(ctx, os.Args[1:], env))
}

// askPassword reads a password on the terminal without echo.
func askPassword(prompt string) (string, error) {
	fmt.Fprint(os.Stderr, prompt)
	b, err := term.ReadPassword(int(os.Stdin.Fd()))
	fmt.Fprintln(os.Stderr)
	return string(b), err
}
