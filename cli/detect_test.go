package cli

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"maildoctor.app/maildoctor/detect/system"
)

// fixtureComputer is a Debian 12 machine whose Thunderbird profile was
// written by a real Thunderbird 153 (detect/clients/thunderbird/testdata).
func fixtureComputer(t *testing.T) func() *system.Platform {
	t.Helper()
	root := "../detect/clients/thunderbird/testdata/linux-real"
	if _, err := os.Stat(root); err != nil {
		t.Fatal(err)
	}
	return func() *system.Platform {
		return &system.Platform{GOOS: "linux", FS: system.DirFS(root), Home: "/tmp/tbhome"}
	}
}

func withPlatform(t *testing.T, p func() *system.Platform) {
	old := detectPlatform
	detectPlatform = p
	t.Cleanup(func() { detectPlatform = old })
}

func TestDetectJSON(t *testing.T) {
	withPlatform(t, fixtureComputer(t))
	code, stdout, stderr := run(t, "", "detect", "--json")
	// info@altrodominio.example has no encryption at all: a failure.
	if code != ExitProblems {
		t.Errorf("exit %d, want %d (stderr %q)", code, ExitProblems, stderr)
	}
	var got struct {
		OS struct {
			Family, Name, Version, Build string
			TLS                          map[string]string
		}
		Clients []struct {
			ID, Name, Version, Path string
			Accounts                []struct {
				Email    string
				Incoming struct {
					Protocol, Host, Security string
					Port                     int
				}
				Outgoing struct {
					Protocol, Host, Security string
					Port                     int
				}
				Findings []struct{ ID, Severity, Title, Detail string }
			}
			Findings []json.RawMessage
		}
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	if got.OS.Family != "linux" || got.OS.Name != "Linux" {
		t.Errorf("os = %+v", got.OS)
	}
	for _, v := range []string{"1.0", "1.1", "1.2", "1.3"} {
		switch got.OS.TLS[v] {
		case "default", "off", "no", "unknown":
		default:
			t.Errorf("tls[%s] = %q", v, got.OS.TLS[v])
		}
	}
	if len(got.Clients) != 1 || got.Clients[0].ID != "thunderbird" || got.Clients[0].Version != "153.7.0" || got.Clients[0].Findings == nil {
		t.Fatalf("clients = %+v", got.Clients)
	}
	a := got.Clients[0].Accounts[0]
	if a.Email != "mario.rossi@maildoctor.example" || a.Incoming.Protocol != "imap" || a.Incoming.Port != 143 || a.Incoming.Security != "starttls" ||
		a.Outgoing.Port != 587 || a.Outgoing.Security != "starttls" {
		t.Errorf("account = %+v", a)
	}
	if len(a.Findings) != 2 || a.Findings[0].ID != "starttls.in_use" || !strings.Contains(a.Findings[0].Title, "993") || a.Findings[0].Severity != "warn" {
		t.Errorf("findings = %+v", a.Findings)
	}
}

func TestDetectHuman(t *testing.T) {
	withPlatform(t, fixtureComputer(t))
	for _, c := range []struct{ lang, want1, want2, want3 string }{
		{"en", "Mail programs", "Switch IMAP from STARTTLS (port 143) to SSL/TLS (port 993)", "IMAP is set without encryption (port 143)"},
		{"it", "Programmi di posta", "Passa IMAP da STARTTLS (porta 143) a SSL/TLS (porta 993)", "IMAP è impostato senza cifratura (porta 143)"},
	} {
		code, stdout, _ := run(t, "", "detect", "--lang", c.lang)
		if code != ExitProblems {
			t.Errorf("%s: exit %d", c.lang, code)
		}
		for _, w := range []string{c.want1, c.want2, c.want3, "mario.rossi@maildoctor.example", "Mozilla Thunderbird 153.7.0", "imap.maildoctor.example:143"} {
			if !strings.Contains(stdout, w) {
				t.Errorf("%s: output lacks %q:\n%s", c.lang, w, stdout)
			}
		}
		if strings.Contains(stdout, "{{") || strings.Contains(stdout, "detect.") || strings.Contains(stdout, "<no value>") {
			t.Errorf("%s: untranslated text:\n%s", c.lang, stdout)
		}
	}
}

func TestDetectNothingFound(t *testing.T) {
	dir := t.TempDir()
	withPlatform(t, func() *system.Platform {
		return &system.Platform{GOOS: "linux", FS: system.DirFS(dir), Home: "/home/u"}
	})
	code, stdout, _ := run(t, "", "detect", "--lang", "en")
	if code != ExitOK || !strings.Contains(stdout, "No mail program was found") {
		t.Errorf("exit %d\n%s", code, stdout)
	}
	code, stdout, _ = run(t, "", "detect", "--json")
	if code != ExitOK || !strings.Contains(stdout, `"clients": []`) {
		t.Errorf("json exit %d\n%s", code, stdout)
	}
}

func TestDetectBadUsage(t *testing.T) {
	for _, args := range [][]string{{"detect", "extra"}, {"detect", "--lang", "de"}, {"detect", "--frobnicate"}} {
		code, stdout, stderr := run(t, "", args...)
		if code != ExitUsage || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "maildoctor detect: ") {
			t.Errorf("%v: exit %d stdout %q stderr %q", args, code, stdout, stderr)
		}
	}
}
