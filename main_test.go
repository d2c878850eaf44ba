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

// A profile given on the command line (a file an e-mail could carry, or
// an https URL) steers discovery but is not the provider's word: its
// foreign host is probed without the password until the user names it
// with --trust-host.
func TestCheckProfileHostNeedsTrustHost(t *testing.T) {
	const user, pass, host = "anna@example.test", "Segreta.2026", "imap.attacker.test"
	ca := testpki.NewCA(t, "Mail Doctor Test Root")
	pair := ca.Leaf(t, testpki.LeafOptions{Names: []string{host}})
	srv := dovecottest.Start(t, dovecottest.Config{
		CertPEM: pair.CertPEM, KeyPEM: pair.KeyPEM, Implicit: true,
		Users: map[string]string{user: pass},
	})
	dir := t.TempDir()
	caFile := testpki.WriteFile(t, dir, "ca.pem", ca.CertPEM)
	profile := testpki.WriteFile(t, dir, "profile.xml", []byte(`<?xml version="1.0"?>
<clientConfig version="1.1"><emailProvider id="example.test"><domain>example.test</domain>
<incomingServer type="imap"><hostname>`+host+`</hostname><port>993</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username></incomingServer>
</emailProvider></clientConfig>`))
	bin := buildBinary(t)
	run := func(extra ...string) map[string]bool {
		args := append([]string{"check", user, "--password-stdin", "--profile", profile,
			"--resolve", host + ":" + srv.Addr, "--timeout", "5s", "--json"}, extra...)
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "SSL_CERT_FILE="+caFile)
		cmd.Stdin = strings.NewReader(pass + "\n")
		out, _ := cmd.Output()
		var rep struct {
			Findings []struct {
				ID       string `json:"id"`
				Endpoint string `json:"endpoint"`
			} `json:"findings"`
		}
		if err := json.Unmarshal(out, &rep); err != nil {
			t.Fatalf("stdout is not JSON: %v\n%s", err, out)
		}
		ids := map[string]bool{}
		for _, f := range rep.Findings {
			ids[f.ID+"@"+f.Endpoint] = true
		}
		return ids
	}
	ids := run()
	if ids["auth.ok@"+host+":993"] || !ids["auth.host_not_trusted@"+host+":993"] {
		t.Errorf("without --trust-host: %v, want auth.host_not_trusted and no login", ids)
	}
	if ids = run("--trust-host", host); !ids["auth.ok@"+host+":993"] {
		t.Errorf("with --trust-host: %v, want auth.ok", ids)
	}
}
