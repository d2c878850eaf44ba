package cli

import (
	"strings"
	"testing"
)

// Every command refuses a --lang the catalog does not have, in one line,
// exit 2, checked where the catalog is loaded (once per command).
func TestUnknownLang(t *testing.T) {
	for _, args := range [][]string{
		{"check", "anna@example.test", "--lang", "xx"},
		{"detect", "--lang", "xx"},
		{"compat", "--os", "windows 10", "--lang", "xx"},
		{"fix", "anna@example.test", "--lang", "xx"},
		{"report", "x", "--lang", "xx"},
		{"audit", "--lang", "xx", "/dev/null"},
		{"help", "--lang", "xx"},
	} {
		code, out, errOut := run(t, "", args...)
		if code != ExitUsage || out != "" || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "--lang must be en or it") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
	if code, out, _ := run(t, "", "help", "--lang", "it"); code != ExitOK || !strings.Contains(out, "Comandi") {
		t.Errorf("help --lang it: exit %d\n%s", code, out)
	}
}
