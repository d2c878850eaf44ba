package cli

import (
	"fmt"
	"io"
	"strings"

	"maildoctor.app/maildoctor/i18n"
)

// command is one entry of "maildoctor help": its one-line description (a
// translation key) and its synopsis, the forms and flags it takes. The
// synopsis is the same in every language: it is what one types.
type command struct {
	name     string
	synopsis string
}

// commands lists every command in the order "maildoctor help" shows them.
// The first two open the app and are handled by the main package. A test
// checks that each synopsis names every flag its command defines.
var commands = []command{
	{"", `maildoctor`},
	{"open", `maildoctor open LINK`},
	{"check", `maildoctor check EMAIL [--password-stdin | --ask-password] [--imap HOST[:PORT]] [--pop3 HOST[:PORT]]
                         [--smtp HOST[:PORT]] [--resolve HOST:ADDR]... [--profile FILE|URL]
                         [--trust-host HOST]... [--timeout DURATION] [--deadline DURATION]
                         [--simulate] [--json] [--code] [--lang it|en]`},
	{"detect", `maildoctor detect [--json] [--lang it|en]`},
	{"compat", `maildoctor compat [--os TEXT] [--client TEXT] [--server-tls 1.2|1.3] [--starttls-closed]
                         [--server HOST[:PORT] [--starttls] [--resolve HOST:ADDR]...] [--json] [--lang it|en]
  maildoctor compat --table [--format md|csv|json|html] [--server HOST[:PORT] [--starttls]]`},
	{"fix", `maildoctor fix [EMAIL] [--json] [--profile FILE|URL] [--lang it|en]
  maildoctor fix --apply EMAIL [--dry-run]
  maildoctor fix --undo EMAIL
  maildoctor fix --undo --list | --entry N [--backups DIR]
  maildoctor fix --enable-tls12 [--undo] [--dry-run] [--backups DIR]
  maildoctor fix --export autoconfig|mobileconfig|reg|card EMAIL [-o FILE]`},
	{"report", `maildoctor report CODE [--json] [--lang it|en]`},
	{"audit", auditUsage[2:]},
	{"help", `maildoctor help [COMMAND]`},
}

// findCommand returns the entry of name, if it is a command.
func findCommand(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name && name != "" {
			return c, true
		}
	}
	return command{}, false
}

// describe is a command's one-line description in tr's language.
func describe(tr i18n.Translator, c command) string {
	key := "cli.help." + c.name
	if c.name == "" {
		key = "cli.help.app"
	}
	return tr.T(key, nil)
}

// writeHelp prints every command with its one line, in tr's language,
// named as program.
func writeHelp(w io.Writer, tr i18n.Translator, program string) {
	fmt.Fprintln(w, tr.T("cli.help.intro", nil))
	fmt.Fprintln(w)
	width := 0
	for _, c := range commands {
		if n := len(helpName(c, program)); n > width {
			width = n
		}
	}
	for _, c := range commands {
		fmt.Fprintf(w, "  %-*s  %s\n", width, helpName(c, program), describe(tr, c))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, tr.T("cli.help.more", map[string]string{"program": program}))
}

func helpName(c command, program string) string {
	return strings.TrimSpace(program + " " + c.name)
}

// writeCommandHelp prints one command's description and synopsis.
func writeCommandHelp(w io.Writer, tr i18n.Translator, c command, program string) {
	fmt.Fprintf(w, "%s: %s\n", helpName(c, program), describe(tr, c))
	fmt.Fprintln(w)
	fmt.Fprintln(w, "  "+withProgram(c.synopsis, program))
}

// WantsHelp reports whether a command's arguments ask for its help (before
// a "--", which ends the flags).
func WantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--help":
			return true
		}
	}
	return false
}

// helpLang is the --lang a help request carries, if any.
func helpLang(args []string) string {
	for i, a := range args {
		switch {
		case (a == "--lang" || a == "-lang") && i+1 < len(args):
			return args[i+1]
		case strings.HasPrefix(a, "--lang="), strings.HasPrefix(a, "-lang="):
			return a[strings.Index(a, "=")+1:]
		}
	}
	return ""
}

// runHelp answers "maildoctor help [COMMAND]" and "maildoctor COMMAND
// --help" on stdout (exit 0); an unknown command is a usage error.
func runHelp(name string, args []string, env Env) error {
	tr, err := translator(helpLang(args), env)
	if err != nil {
		return err
	}
	if name == "" {
		writeHelp(env.Stdout, tr, env.program())
		return nil
	}
	c, ok := findCommand(name)
	if !ok {
		return usagef("unknown command %q (try: maildoctor help)", name)
	}
	writeCommandHelp(env.Stdout, tr, c, env.program())
	return nil
}

// NoDisplay says on stderr, in one line and in the user's language, that
// the app cannot open a window here and that the command line works.
func NoDisplay(env Env) {
	tr, err := translator("", env)
	if err != nil {
		fmt.Fprintf(env.Stderr, "%s: no graphical display here; the command line works: %s help\n", env.program(), env.program())
		return
	}
	fmt.Fprintln(env.Stderr, oneLine(tr.T("cli.no_display", map[string]string{"program": env.program()})))
}
