package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}
	code = Run(context.Background(), args, env)
	return code, out.String(), errOut.String()
}

func TestCheckBadInput(t *testing.T) {
	cases := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"not an email", "", []string{"check", "notanemail"}, "not an e-mail address"},
		{"port out of range", "", []string{"check", "a@example.test", "--imap", ":99999"}, "--imap"},
		{"port too big", "", []string{"check", "a@example.test", "--imap", "imap.example.test:99999"}, "port"},
		{"empty password line", "\n", []string{"check", "a@example.test", "--password-stdin"}, "empty"},
		{"no stdin at all", "", []string{"check", "a@example.test", "--password-stdin"}, "empty"},
		{"unknown flag", "", []string{"check", "a@example.test", "--frobnicate"}, "frobnicate"},
		{"missing address", "", []string{"check"}, "missing"},
		{"two addresses", "", []string{"check", "a@example.test", "b@example.test"}, "one e-mail address"},
		{"bad resolve", "", []string{"check", "a@example.test", "--resolve", "host-without-addr"}, "HOST:ADDR"},
		{"bad resolve address", "", []string{"check", "a@example.test", "--resolve", "imap.example.test:not-an-ip"}, "IP address"},
		{"bad timeout", "", []string{"check", "a@example.test", "--timeout", "-1s"}, "--timeout"},
		{"bad lang", "", []string{"check", "a@example.test", "--lang", "de"}, "--lang"},
		{"bad deadline", "", []string{"check", "a@example.test", "--deadline", "0s"}, "--deadline"},
		{"trust-host with a port", "", []string{"check", "a@example.test", "--trust-host", "imap.example.test:993"}, "--trust-host"},
		{"trust-host not a name", "", []string{"check", "a@example.test", "--trust-host", "not a host"}, "--trust-host"},
		{"http profile", "", []string{"check", "a@example.test", "--profile", "http://example.test/p.xml"}, "https"},
		{"missing profile file", "", []string{"check", "a@example.test", "--profile", "/nonexistent/p.xml"}, "--profile"},
		{"unknown command", "", []string{"frobnicate"}, "unknown command"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := run(t, c.stdin, c.args...)
			if code != ExitUsage {
				t.Errorf("exit = %d, want %d (stderr %q)", code, ExitUsage, stderr)
			}
			if strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "maildoctor ") {
				t.Errorf("stderr = %q, want one line", stderr)
			}
			if !strings.Contains(stderr, c.want) {
				t.Errorf("stderr = %q, want it to mention %q", stderr, c.want)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
		})
	}
}

// Flags may come before or after the address, as users type them.
func TestParseCheckFlagOrder(t *testing.T) {
	for _, args := range [][]string{
		{"--json", "a@example.test", "--imap", "imap.example.test:993"},
		{"a@example.test", "--json", "--imap=imap.example.test:993"},
	} {
		email, f, err := parseCheck(args)
		if err != nil || email != "a@example.test" || !f.json || f.manual["imap"] != "imap.example.test:993" {
			t.Errorf("parseCheck(%v) = %q, %+v, %v", args, email, f, err)
		}
	}
}
