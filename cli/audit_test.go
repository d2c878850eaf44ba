package cli

import (
	"bytes"
	"compress/gzip"
	"crypto/tls"
	"encoding/csv"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/fix/link"
	"maildoctor.app/maildoctor/internal/dovecottest"
	"maildoctor.app/maildoctor/internal/testpki"
)

// auditLog makes two real IMAP logins to a real Dovecot that logs the
// port, the TLS details and IMAP ID (docs/audit.md): one over STARTTLS as
// Thunderbird, one over 993 as Outlook; it returns the log's path.
func auditLog(t *testing.T) string {
	t.Helper()
	if err := dovecottest.Available(); err != nil {
		t.Skipf("dovecot: %v", err)
	}
	ca := testpki.NewCA(t, "Audit CLI Root")
	pair := ca.Leaf(t, testpki.LeafOptions{Names: []string{dovecottest.Hostname}})
	const pass = "Audit-Cli-1"
	srv := dovecottest.Start(t, dovecottest.Config{CertPEM: pair.CertPEM, KeyPEM: pair.KeyPEM, Implicit: true, StartTLS: true,
		Users:                  map[string]string{"old@example.test": pass, "new@example.test": pass},
		LoginLogFormatElements: `"user=<%u> method=%m rip=%r lip=%l lport=%{lport} mpid=%e %c %k session=<%{session}>"`,
		IMAPIDLog:              "*"})
	conf := &tls.Config{ServerName: dovecottest.Hostname, RootCAs: ca.Pool()}
	login := func(user string, starttls bool, id *imap.IDData) {
		var c *imapclient.Client
		var err error
		if starttls {
			c, err = imapclient.DialStartTLS(net.JoinHostPort(srv.Addr, "143"), &imapclient.Options{TLSConfig: conf})
		} else {
			c, err = imapclient.DialTLS(net.JoinHostPort(srv.Addr, "993"), &imapclient.Options{TLSConfig: conf})
		}
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if _, err := c.ID(id).Wait(); err != nil {
			t.Fatal(err)
		}
		if err := c.Login(user, pass).Wait(); err != nil {
			t.Fatal(err)
		}
		_ = c.Logout().Wait()
	}
	login("old@example.test", true, &imap.IDData{Name: "Thunderbird", Version: "115.15.0"})
	login("new@example.test", false, &imap.IDData{Name: "Microsoft Outlook", Version: "16.0.17928"})
	for deadline := time.Now().Add(5 * time.Second); strings.Count(srv.Log(), "Login: ") < 2 && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
	path := filepath.Join(t.TempDir(), "dovecot.log")
	if err := os.WriteFile(path, []byte(srv.Log()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestAuditRealLog(t *testing.T) {
	path := auditLog(t)
	data, _ := os.ReadFile(path)
	var packed bytes.Buffer
	zw := gzip.NewWriter(&packed)
	_, _ = zw.Write(data)
	_ = zw.Close()
	gzPath := path + ".gz"
	if err := os.WriteFile(gzPath, packed.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}

	// CSV from the .gz: one row per mailbox, the link opens pre-filled.
	code, out, errOut := run(t, "", "audit", gzPath, "--format", "csv", "--imap", "mail.example.test", "--smtp", "mail.example.test", "--lang", "it")
	if code != ExitProblems {
		t.Fatalf("exit %d (want 1: a mailbox on STARTTLS), stderr %q", code, errOut)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(recs) != 3 {
		t.Fatalf("csv: %v\n%s", err, out)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	rows := map[string][]string{recs[1][0]: recs[1], recs[2][0]: recs[2]}
	old, fresh := rows["old@example.test"], rows["new@example.test"]
	if old == nil || fresh == nil {
		t.Fatalf("rows %v", recs)
	}
	if old[col["class"]] != "starttls" || fresh[col["class"]] != "ok" {
		t.Errorf("classes %q %q", old[col["class"]], fresh[col["class"]])
	}
	if old[col["clients"]] != "Thunderbird 115.15.0" || !strings.HasPrefix(fresh[col["clients"]], "Microsoft Outlook 16.0") {
		t.Errorf("clients %q %q", old[col["clients"]], fresh[col["clients"]])
	}
	if !strings.Contains(old[col["instruction_it"]], "da STARTTLS a SSL/TLS") || !strings.Contains(old[col["instruction_en"]], "from STARTTLS to SSL/TLS") {
		t.Errorf("instructions %q / %q", old[col["instruction_it"]], old[col["instruction_en"]])
	}
	l, err := link.Parse(old[col["link"]])
	if err != nil || l.Email != "old@example.test" || l.Servers[server.IMAP] != "mail.example.test:993" || l.Servers[server.SMTP] != "mail.example.test:465" || l.Lang != "it" {
		t.Errorf("link %q: %+v %v", old[col["link"]], l, err)
	}
	if strings.Contains(out, "127.0.0.1") {
		t.Errorf("an IP address without --with-ips:\n%s", out)
	}

	// JSON from stdin, with IPs.
	code, out, _ = run(t, string(data), "audit", "--format", "json", "--with-ips")
	var rep struct {
		Stats struct {
			Logins int `json:"logins"`
		} `json:"stats"`
		Mailboxes []struct {
			Address string   `json:"address"`
			Class   string   `json:"class"`
			IPs     []string `json:"ips"`
		} `json:"mailboxes"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != ExitProblems {
		t.Fatalf("json: %v exit %d\n%s", err, code, out)
	}
	if rep.Stats.Logins != 2 || len(rep.Mailboxes) != 2 || len(rep.Mailboxes[0].IPs) != 1 {
		t.Errorf("json %+v", rep)
	}

	// Terminal summary and HTML.
	code, out, _ = run(t, "", "audit", path, "--lang", "en")
	if code != ExitProblems || !strings.Contains(out, "Still on STARTTLS") || !strings.Contains(out, "thunderbird") {
		t.Errorf("summary (exit %d):\n%s", code, out)
	}
	_, out, _ = run(t, "", "audit", path, "--format", "html")
	if !strings.Contains(out, "<svg") || strings.Contains(out, "<script") || strings.Contains(out, "http://") || strings.Contains(out, "https://") {
		t.Errorf("html is not self-contained:\n%s", out)
	}
}

func TestAuditBadInput(t *testing.T) {
	dir := t.TempDir()
	badGz := filepath.Join(dir, "bad.gz")
	_ = os.WriteFile(badGz, []byte{0x1f, 0x8b, 1, 2, 3}, 0o600)
	for _, args := range [][]string{
		{"audit", filepath.Join(dir, "missing.log")},
		{"audit", dir},
		{"audit", badGz},
		{"audit", "--format", "xml"},
		{"audit", "--lang", "de"},
		{"audit", "--imap", "a b"},
	} {
		code, out, errOut := run(t, "", args...)
		if code != ExitUsage || out != "" || strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "maildoctor audit: ") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
	// Not a mail log at all: read, warned about, nothing found.
	code, _, errOut := run(t, "hello\nworld\n", "audit")
	if code != ExitOK || !strings.Contains(errOut, "no Dovecot or Postfix login line in 2 lines") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}
