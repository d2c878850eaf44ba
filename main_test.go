package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"maildoctor.app/maildoctor/internal/dovecottest"
	"maildoctor.app/maildoctor/internal/testpki"
)

// The real binary against a real Dovecot: what a support agent's script
// or a customer's terminal gets. The test CA reaches the binary the way a
// system root would, through SSL_CERT_FILE.

func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "maildoctor")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func TestCheckCommandAgainstDovecot(t *testing.T) {
	const user, pass, host = "anna@example.test", "Segreta.2026", "mail.example.test"
	ca := testpki.NewCA(t, "Mail Doctor Test Root")
	pair := ca.Leaf(t, testpki.LeafOptions{Names: []string{host}})
	srv := dovecottest.Start(t, dovecottest.Config{
		CertPEM: pair.CertPEM, KeyPEM: pair.KeyPEM, Implicit: true, StartTLS: true,
		Users: map[string]string{user: pass},
	})
	caFile := testpki.WriteFile(t, t.TempDir(), "ca.pem", ca.CertPEM)
	bin := buildBinary(t)
	args := []string{"check", user, "--password-stdin", "--imap", host, "--pop3", host, "--smtp", host,
		"--resolve", host + ":" + srv.Addr, "--timeout", "5s"}

	run := func(password string, extra ...string) (int, string, string) {
		cmd := exec.Command(bin, append(args, extra...)...)
		cmd.Env = append(os.Environ(), "SSL_CERT_FILE="+caFile, "LANG=it_IT.UTF-8")
		cmd.Stdin = strings.NewReader(password + "\n")
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(out.String()+errOut.String(), password) {
			t.Errorf("the output contains the password")
		}
		return code, out.String(), errOut.String()
	}

	code, out, errOut := run(pass, "--json")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q, stdout %s", code, errOut, out)
	}
	var rep struct {
		Email     string `json:"email"`
		Verdict   string `json:"verdict"`
		Endpoints []struct {
			Port int    `json:"port"`
			Auth string `json:"auth"`
			TLS  struct {
				Negotiated string `json:"negotiated"`
			} `json:"tls"`
		} `json:"endpoints"`
		Findings []struct {
			ID    string `json:"id"`
			Title string `json:"title"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out)
	}
	if rep.Email != user || rep.Verdict != "ok" || len(rep.Endpoints) != 6 {
		t.Errorf("email %q verdict %q endpoints %d", rep.Email, rep.Verdict, len(rep.Endpoints))
	}
	italian := false
	for _, f := range rep.Findings {
		italian = italian || f.ID == "auth.ok" && strings.Contains(f.Title, "L'accesso funziona")
	}
	if !italian {
		t.Errorf("findings not rendered in Italian from LANG: %+v", rep.Findings)
	}

	code, out, _ = run("sbagliata", "--lang", "en")
	if code != 1 {
		t.Errorf("wrong password: exit %d, want 1", code)
	}
	if !strings.Contains(out, "The server refused the password") || !strings.Contains(out, "[X]") {
		t.Errorf("human output:\n%s", out)
	}
}
