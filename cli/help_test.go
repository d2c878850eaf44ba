package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"maildoctor.app/maildoctor/assets"
	"maildoctor.app/maildoctor/i18n"
)

// "maildoctor help" lists every command with its own line, in both
// languages, and each line is a translation (not a key left as is).
func TestHelpListsEveryCommand(t *testing.T) {
	cat, err := i18n.Load(assets.Translations, "translation")
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range cat.Languages() {
		code, out, errOut := run(t, "", "help", "--lang", lang)
		if code != ExitOK || errOut != "" {
			t.Fatalf("%s: exit %d, stderr %q", lang, code, errOut)
		}
		tr := cat.For(lang)
		for _, c := range commands {
			line := helpName(c, defaultProgram) + " "
			if !strings.Contains(out, line) {
				t.Errorf("%s: help does not list %q:\n%s", lang, helpName(c, defaultProgram), out)
			}
			desc := describe(tr, c)
			if strings.HasPrefix(desc, "cli.help.") || !strings.Contains(out, desc) {
				t.Errorf("%s: %q has no description (%q):\n%s", lang, helpName(c, defaultProgram), desc, out)
			}
		}
	}
	it := cat.For("it")
	en := cat.For("en")
	for _, c := range commands {
		if describe(it, c) == describe(en, c) {
			t.Errorf("%q: the Italian description is the English one", helpName(c, defaultProgram))
		}
	}
}

// "maildoctor COMMAND --help" (and "help COMMAND") prints that command's
// synopsis on stdout and exits 0, whatever else is on the line.
func TestCommandHelp(t *testing.T) {
	for _, c := range commands {
		if c.name == "" {
			continue
		}
		forms := [][]string{{c.name, "--help"}, {c.name, "-h"}, {"help", c.name}}
		if c.name != "help" {
			forms = append(forms, []string{c.name, "someone@example.test", "--json", "-help"})
		}
		for _, args := range forms {
			code, out, errOut := run(t, "", args...)
			if code != ExitOK || errOut != "" {
				t.Errorf("%q: exit %d, stderr %q", args, code, errOut)
			}
			if !strings.Contains(out, c.synopsis) {
				t.Errorf("%q: no synopsis in\n%s", args, out)
			}
		}
	}
	if code, _, errOut := run(t, "", "help", "nonsense"); code != ExitUsage || !strings.Contains(errOut, "nonsense") {
		t.Errorf("help nonsense: exit %d, %q", code, errOut)
	}
	if code, out, _ := run(t, "", "report", "--", "--help"); code == ExitOK && strings.Contains(out, "[--json]") {
		t.Errorf("--help after -- is an argument, not a help request")
	}
}

// Without a command: the list on stderr, exit 2.
func TestNoCommand(t *testing.T) {
	code, out, errOut := run(t, "")
	if code != ExitUsage || out != "" || !strings.Contains(errOut, "maildoctor check") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// Every flag a command defines in its source appears in its synopsis, so
// a new flag cannot be missing from "COMMAND --help".
func TestSynopsisNamesEveryFlag(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	setName := regexp.MustCompile(`flag\.NewFlagSet\("([a-z]+)"`)
	flagName := regexp.MustCompile(`fs\.(?:Bool|String|Int|Int64|Uint|Duration|Float64)?Var\([^,]+,\s*"([a-z0-9-]+)"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		cmd := ""
		for _, line := range strings.Split(string(src), "\n") {
			if m := setName.FindStringSubmatch(line); m != nil {
				cmd = m[1]
			}
			m := flagName.FindStringSubmatch(line)
			if m == nil || cmd == "" {
				continue
			}
			c, ok := findCommand(cmd)
			if !ok {
				t.Errorf("%s: flag set %q is no command of help.go", f, cmd)
				continue
			}
			dash := "--"
			if len(m[1]) == 1 {
				dash = "-"
			}
			if !strings.Contains(c.synopsis, dash+m[1]) {
				t.Errorf("%s: %s%s of %q is missing from its synopsis in help.go", f, dash, m[1], cmd)
			}
		}
	}
}
