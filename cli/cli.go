// Package cli is Mail Doctor's command line: the stable contract of
// DESIGN.md ("maildoctor check …", exit codes 0/1/2/3) over the engines in
// detect/. It writes only to the writers it is given.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"maildoctor.app/maildoctor/assets"
	"maildoctor.app/maildoctor/i18n"
)

// Exit codes of the command-line contract.
const (
	ExitOK       = 0
	ExitProblems = 1
	ExitUsage    = 2
	ExitInternal = 3
)

// Env is what a command may touch: its streams, its arguments'
// environment and whether stdin is a terminal.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Getenv reads the environment (LANG for the default language).
	Getenv func(string) string
	// StdinTerminal, if set, reports whether stdin is a terminal that can
	// prompt for a password without echo.
	ReadPassword func(prompt string) (string, error)
	// Program is the name hints tell the user to type (ProgramName);
	// empty means "maildoctor".
	Program string
}

// usageError is bad input: exit 2 with one line.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...interface{}) error {
	return &usageError{fmt.Sprintf(format, a...)}
}

// problemsError means the command ran and found problems: exit 1.
var errProblems = errors.New("problems found")

// Run executes one command line (without the program name) and returns
// the exit code.
func Run(ctx context.Context, args []string, env Env) int {
	// Text from outside reaches the terminal only through safetext
	// (output.go).
	env = terminalEnv(env)
	if len(args) == 0 {
		tr, err := translator("", env)
		if err != nil {
			return env.exit(err, "")
		}
		writeHelp(env.Stderr, tr, env.program())
		return ExitUsage
	}
	if _, ok := findCommand(args[0]); ok && args[0] != "help" && WantsHelp(args[1:]) {
		return env.exit(runHelp(args[0], args[1:], env), args[0])
	}
	var err error
	switch args[0] {
	case "check":
		err = runCheck(ctx, args[1:], env)
	case "detect":
		err = runDetect(ctx, args[1:], env)
	case "compat":
		err = runCompat(ctx, args[1:], env)
	case "fix":
		err = runFix(ctx, args[1:], env)
	case "report":
		err = runReport(ctx, args[1:], env)
	case "audit":
		err = runAudit(ctx, args[1:], env)
	case "help", "-h", "--help", "-help":
		name := ""
		if len(args) > 1 && !strings.HasPrefix(args[1], "-") {
			name = args[1]
		} else if args[0] == "help" && WantsHelp(args[1:]) {
			name = "help"
		}
		err = runHelp(name, args[1:], env)
	default:
		err = usagef("unknown command %q (try: maildoctor help)", args[0])
	}
	return env.exit(err, args[0])
}

// exit is err's exit code; a usage or internal error also gets its one
// line on stderr, named and hinting with the program's own name.
func (env Env) exit(err error, cmd string) int {
	return exitCodeAs(err, env.program(), cmd, env.Stderr)
}

func exitCode(err error, cmd string, stderr io.Writer) int {
	return exitCodeAs(err, defaultProgram, cmd, stderr)
}

func exitCodeAs(err error, program, cmd string, stderr io.Writer) int {
	var ue *usageError
	who := strings.TrimSpace(program + " " + oneLine(cmd))
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, errProblems):
		return ExitProblems
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "%s: %s\n", who, withProgram(oneLine(ue.msg), program))
		return ExitUsage
	}
	fmt.Fprintf(stderr, "%s: internal error: %s\n", who, oneLine(err.Error()))
	return ExitInternal
}

// parseInterspersed parses fs and returns the positional arguments, which
// may stand before, between or after the flags, as users type them (the
// flag package stops at the first one).
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, usagef("%s", flagError(err))
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// translator loads the catalog, once per command, and picks the
// language: --lang, which must be one of the catalog's (a usage error
// otherwise), else the environment's (an unknown one falls back to
// English).
func translator(lang string, env Env) (i18n.Translator, error) {
	cat, err := i18n.Load(assets.Translations, "translation")
	if err != nil {
		return i18n.Translator{}, err
	}
	if lang != "" && !cat.Supports(lang) {
		return i18n.Translator{}, usagef("--lang must be %s", strings.Join(cat.Languages(), " or "))
	}
	if lang == "" {
		getenv := env.Getenv
		if getenv == nil {
			getenv = os.Getenv
		}
		for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
			if l := getenv(v); l != "" && l != "C" && l != "POSIX" {
				lang = l
				break
			}
		}
	}
	return cat.For(lang), nil
}
