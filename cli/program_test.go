package cli

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestProgramName(t *testing.T) {
	dir := t.TempDir()
	twinBeside := func(p string) bool { return p == filepath.Join(dir, "maildoctor-legacy-cli.exe") }
	none := func(string) bool { return false }
	for _, c := range []struct {
		typed, exe string
		gui        bool
		exists     func(string) bool
		want       string
	}{
		{"maildoctor", "/usr/bin/maildoctor", false, nil, "maildoctor"},
		{"./md", "/opt/maildoctor/maildoctor", false, nil, "md"},
		{"", "/opt/maildoctor/maildoctor", false, nil, "maildoctor"},
		{"", "", false, nil, "maildoctor"},
		{"maildoctor-legacy.exe", filepath.Join(dir, "maildoctor-legacy.exe"), false, none, "maildoctor-legacy"},
		{"maildoctor-legacy.EXE", filepath.Join(dir, "maildoctor-legacy.exe"), false, twinBeside, "maildoctor-legacy"},
		// The GUI-subsystem .exe sends console users to its twin, but
		// only when the twin is really there.
		{"maildoctor-legacy", filepath.Join(dir, "maildoctor-legacy.exe"), true, twinBeside, "maildoctor-legacy-cli"},
		{"maildoctor", filepath.Join(dir, "maildoctor.exe"), true, twinBeside, "maildoctor"},
		{"maildoctor (1).exe", filepath.Join(dir, "maildoctor (1).exe"), false, none, `"maildoctor (1)"`},
	} {
		if got := ProgramName(c.typed, c.exe, c.gui, c.exists); got != c.want {
			t.Errorf("ProgramName(%q, %q, gui=%v) = %q, want %q", c.typed, c.exe, c.gui, got, c.want)
		}
	}
}

// Every hint and usage line names the program as it is called, never a
// "maildoctor" the user does not have.
func TestHintsNameTheProgram(t *testing.T) {
	const prog = "maildoctor-legacy"
	lines := [][]string{
		{}, {"help"}, {"help", "--lang", "it"}, {"frobnicate"}, {"help", "frobnicate"},
		{"check"}, {"detect", "extra"}, {"report"}, {"compat", "--lang", "xx"},
	}
	for _, c := range commands {
		if c.name != "" {
			lines = append(lines, []string{c.name, "--help"})
		}
	}
	for _, args := range lines {
		var out, errOut bytes.Buffer
		env := Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut,
			Getenv: func(string) string { return "" }, Program: prog}
		Run(context.Background(), args, env)
		all := out.String() + errOut.String()
		if all == "" {
			t.Errorf("%q: no output", args)
		}
		rest := strings.ReplaceAll(all, prog, "")
		if strings.Contains(rest, "maildoctor ") || strings.Contains(rest, "maildoctor:") {
			t.Errorf("%q names maildoctor, not %s:\n%s", args, prog, all)
		}
		if !strings.Contains(all, prog) {
			t.Errorf("%q does not name %s:\n%s", args, prog, all)
		}
	}
}

func TestFixHintsNameTheProgram(t *testing.T) {
	home, _, _ := fixHome(t)
	deps := fixDepsFor(home)
	var out, errb bytes.Buffer
	env := Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }, Program: "maildoctor-cli"}
	for _, args := range [][]string{{mario}, {"--apply", mario}} {
		out.Reset()
		errb.Reset()
		err := runFixWith(context.Background(), args, env, deps)
		all := out.String() + errb.String()
		if err != nil && !errors.Is(err, errProblems) {
			t.Fatalf("%q: %v\n%s", args, err, all)
		}
		if !strings.Contains(all, "maildoctor-cli fix ") {
			t.Errorf("%q: no hint names maildoctor-cli:\n%s", args, all)
		}
		if strings.Contains(strings.ReplaceAll(all, "maildoctor-cli", ""), "maildoctor ") {
			t.Errorf("%q: a hint names maildoctor:\n%s", args, all)
		}
	}
}
