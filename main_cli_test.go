package main

import (
	"bytes"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
)

// envWithout is the test's environment without the named variables and
// without any locale setting, plus extra.
func envWithout(drop []string, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name := kv[:strings.IndexByte(kv+"=", '=')]
		keep := !strings.HasPrefix(name, "LC_") && name != "LANG" && name != "LANGUAGE"
		for _, d := range drop {
			keep = keep && name != d
		}
		if keep {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

func runBinary(t *testing.T, bin string, env []string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, out.String(), errOut.String()
}

// Whatever the locale (C.UTF-8 is the default of Debian containers and
// many SSH sessions), a command prints its own output and nothing else:
// no "Fyne error: Error parsing user locale C" from Fyne's start-up.
func TestCommandsQuietInTheCLocale(t *testing.T) {
	bin := buildBinary(t)
	locales := [][]string{
		{"LANG=C.UTF-8"}, {"LANG=C.utf8"}, {"LANG=C"}, {"LANG=POSIX"}, {},
		{"LC_ALL=C.UTF-8", "LANG=it_IT.UTF-8"}, {"LC_MESSAGES=POSIX.UTF-8"},
	}
	for _, loc := range locales {
		for _, args := range [][]string{
			{"compat", "--os", "windows 10", "--client", "thunderbird 115"},
			{"help"},
			{"check", "--help"},
		} {
			code, out, errOut := runBinary(t, bin, envWithout(nil, loc...), args...)
			if errOut != "" || out == "" || code > 1 {
				t.Errorf("%v %q: exit %d, stderr %q, stdout %d bytes", loc, args, code, errOut, len(out))
			}
		}
	}
	// The user's language still counts when it is not C.
	_, out, _ := runBinary(t, bin, envWithout(nil, "LANG=it_IT.UTF-8"), "help")
	if !strings.Contains(out, "Comandi") {
		t.Errorf("LANG=it_IT.UTF-8: help is not Italian:\n%s", out)
	}
}

// Without a display the app says so in one line, and that the command line
// works, instead of the graphics library's panic: exit 2.
func TestNoDisplay(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("there is always a desktop")
	}
	bin := buildBinary(t)
	env := envWithout([]string{"DISPLAY", "WAYLAND_DISPLAY"}, "LANG=C.UTF-8")
	for _, args := range [][]string{nil, {"open", "maildoctor://open?email=anna%40example.test"}} {
		code, out, errOut := runBinary(t, bin, env, args...)
		if code != 2 || out != "" {
			t.Errorf("%q: exit %d, stdout %q", args, code, out)
		}
		if strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "maildoctor help") {
			t.Errorf("%q: stderr is not one line naming the command line: %q", args, errOut)
		}
	}
	code, out, errOut := runBinary(t, bin, envWithout([]string{"DISPLAY", "WAYLAND_DISPLAY"}, "LANG=it_IT.UTF-8"))
	if code != 2 || out != "" || !strings.Contains(errOut, "riga di comando") {
		t.Errorf("Italian: exit %d, stderr %q", code, errOut)
	}
}
