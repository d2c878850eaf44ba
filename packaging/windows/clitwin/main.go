// Command clitwin is maildoctor-cli.exe, the console twin of the release
// maildoctor.exe. That .exe is linked for the GUI subsystem, so that a
// double-click opens no black console behind the window; but cmd.exe does
// not wait for a GUI program, and its prompt comes back before the output.
// A console program is waited for. This one is small (no Fyne): it starts
// the .exe beside it (its own name without "-cli") with the same
// arguments on the same console, waits, and returns its exit code, so the
// two files share one program and the zip stays within its size budget.
// scripts/dist.sh builds it once per Windows .exe.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"time"
)

// exitInternal is the command line's exit code for an internal error
// (shared/DESIGN.md).
const exitInternal = 3

func main() {
	os.Exit(run(os.Args))
}

func run(args []string) int {
	self, err := os.Executable()
	if err != nil {
		return fail("cannot find where this program is: %v", err)
	}
	target, err := appBeside(self)
	if err != nil {
		return fail("%v", err)
	}
	// argv[0] stays the name the user typed: the app names itself by it
	// in every hint ("maildoctor-cli help").
	cmd := &exec.Cmd{Path: target, Args: args, Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}
	if err := cmd.Start(); err != nil {
		return fail("cannot start %s: %v", filepath.Base(target), err)
	}
	stopOnInterrupt(cmd.Process)
	err = cmd.Wait()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return exit.ExitCode()
	}
	return fail("%s: %v", filepath.Base(target), err)
}

// stopOnInterrupt: Ctrl+C reaches the app too when it shares the console
// (it then stops its own work and says so), so it gets a moment; an app
// that holds inherited handles without the console never hears it and
// is stopped.
func stopOnInterrupt(p *os.Process) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt)
	go func() {
		<-ch
		time.Sleep(2 * time.Second)
		_ = p.Kill()
	}()
}

// appBeside is the program this twin stands for: "maildoctor-cli.exe"
// runs "maildoctor.exe", "maildoctor-legacy-cli.exe" runs
// "maildoctor-legacy.exe", in the same folder.
func appBeside(self string) (string, error) {
	dir, base := filepath.Split(self)
	ext := filepath.Ext(base)
	name := strings.TrimSuffix(base, ext)
	app := strings.TrimSuffix(name, "-cli")
	if app == name || app == "" {
		return "", fmt.Errorf("%s: the name must end in -cli (maildoctor-cli.exe)", base)
	}
	target := filepath.Join(dir, app+ext)
	if _, err := os.Stat(target); err != nil {
		return "", fmt.Errorf("%s must be in the same folder as %s: unpack the whole zip", app+ext, base)
	}
	return target, nil
}

func fail(format string, a ...interface{}) int {
	fmt.Fprintf(os.Stderr, "maildoctor-cli: "+format+"\n", a...)
	return exitInternal
}
