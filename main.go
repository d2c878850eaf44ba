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

	"app.maildoctor/localeenv"
	"golang.org/x/term"

	"maildoctor.app/maildoctor/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	env := cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Program: programName()}
	if term.IsTerminal(int(os.Stdin.Fd())) {
		env.ReadPassword = askPassword
	}
	switch {
	case len(os.Args) < 2:
		os.Exit(startApp("", env))
	case os.Args[1] == "open" && !cli.WantsHelp(os.Args[2:]):
		if len(os.Args) != 3 {
			fmt.Fprintln(os.Stderr, env.Program+" open: give one support link (maildoctor://open?email=…)")
			os.Exit(cli.ExitUsage)
		}
		os.Exit(startApp(os.Args[2], env))
	}
	// The command line loads no Fyne translations: the user's locale can
	// come back at once.
	localeenv.Restore()
	os.Exit(cli.Run(ctx, os.Args[1:], env))
}

// startApp opens the window, or says in one line that there is no
// display to open it on (a server, an SSH session) instead of the
// graphics library's panic.
func startApp(supportLink string, env cli.Env) int {
	if !haveDisplay(os.Getenv) {
		localeenv.Restore()
		cli.NoDisplay(env)
		return cli.ExitUsage
	}
	return runApp(supportLink)
}

// programName is the name hints tell the user to type: this executable's
// own (maildoctor-legacy, maildoctor-cli), not always "maildoctor".
func programName() string {
	exe, err := os.Executable()
	if err != nil {
		exe = ""
	}
	return cli.ProgramName(os.Args[0], exe, exe != "" && guiSubsystem(exe), fileExists)
}

// askPassword reads a password on the terminal without echo.
func askPassword(prompt string) (string, error) {
	fmt.Fprint(os.Stderr, prompt)
	b, err := term.ReadPassword(int(os.Stdin.Fd()))
	fmt.Fprintln(os.Stderr)
	return string(b), err
}
