package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/system"
	"maildoctor.app/maildoctor/fix/export"
	"maildoctor.app/maildoctor/fix/plan"
)

const (
	tbFixture    = "../detect/clients/thunderbird/testdata/linux-real/tmp/tbhome/prof/prefs.js" // written by Thunderbird 153
	clawsFixture = "../fix/apply/testdata/accountrc"
	mario        = "mario.rossi@maildoctor.example"
)

// fixHome is a home folder with a Thunderbird profile (the real
// Thunderbird 153 prefs.js: mario on STARTTLS, anna on SSL/TLS, info@ at
// another domain) and a Claws Mail accountrc (luca on STARTTLS).
func fixHome(t *testing.T) (home, prefs string, orig []byte) {
	t.Helper()
	home = t.TempDir()
	prof := filepath.Join(home, ".thunderbird", "abcd1234.default-release")
	write := func(path string, data []byte) {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(home, ".thunderbird", "profiles.ini"), []byte("[Profile0]\nName=default-release\nIsRelative=1\n"+
		"Path=abcd1234.default-release\nDefault=1\n\n[General]\nStartWithLastProfile=1\nVersion=2\n"))
	orig, err := os.ReadFile(tbFixture)
	if err != nil {
		t.Fatal(err)
	}
	prefs = filepath.Join(prof, "prefs.js")
	write(prefs, orig)
	rc, err := os.ReadFile(clawsFixture)
	if err != nil {
		t.Fatal(err)
	}
	rc = bytes.ReplaceAll(rc, []byte("mario.rossi"), []byte("luca.verdi"))
	rc = bytes.ReplaceAll(rc, []byte("anna.bianchi"), []byte("sara.neri"))
	write(filepath.Join(home, ".claws-mail", "accountrc"), rc)
	return home, prefs, orig
}

// fakeResolver answers only for the guessed host of the other domain;
// nothing leaves the machine.
type fakeResolver struct{}

func (fakeResolver) LookupSRV(context.Context, string, string, string) (string, []*net.SRV, error) {
	return "", nil, &net.DNSError{Err: "no such host", IsNotFound: true}
}
func (fakeResolver) LookupMX(context.Context, string) ([]*net.MX, error) {
	return nil, &net.DNSError{Err: "no such host", IsNotFound: true}
}
func (fakeResolver) LookupHost(_ context.Context, host string) ([]string, error) {
	if host == "mail.altrodominio.example" {
		return []string{"192.0.2.10"}, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

type noNetwork struct{}

func (noNetwork) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("no network in tests")
}

func (noNetwork) Do(*http.Request) (*http.Response, error) {
	return nil, errors.New("no network in tests")
}

func fixDepsFor(home string, running ...string) fixDeps {
	return fixDeps{
		platform: func() *system.Platform {
			return &system.Platform{GOOS: "linux", FS: system.DirFS(""), Home: home,
				Getenv: func(string) string { return "" },
				Processes: func() ([]system.Process, error) {
					ps := []system.Process{{PID: 1, Name: "systemd"}}
					for i, n := range running {
						ps = append(ps, system.Process{PID: 100 + i, Name: n})
					}
					return ps, nil
				}}
		},
		resolver:     fakeResolver{},
		discoverHTTP: &http.Client{Transport: noNetwork{}},
		http:         noNetwork{},
		now:          func() time.Time { return time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC) },
	}
}

func runFixTest(t *testing.T, deps fixDeps, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	err := runFixWith(context.Background(), args, env, deps)
	return exitCode(err, "fix", &errb), out.String(), errb.String()
}

func TestFixUsage(t *testing.T) {
	cases := [][]string{
		{"--apply"},
		{"--undo"},
		{"--export", "autoconfig"},
		{"--dry-run", mario},
		{"-o", "x.xml", mario},
		{"--export", "pdf", mario},
		{"--apply", "--undo", mario},
		{"--apply", "--export", "reg", mario},
		{mario, "anna@maildoctor.example"},
		{"not-an-address"},
		{"--lang", "de", mario},
		{"--bogus", mario},
	}
	for _, args := range cases {
		var out, errb bytes.Buffer
		code := Run(context.Background(), append([]string{"fix"}, args...), Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }})
		if code != ExitUsage || strings.Count(strings.TrimSpace(errb.String()), "\n") != 0 || !strings.HasPrefix(errb.String(), "maildoctor fix: ") {
			t.Errorf("fix %v: exit %d, stderr %q; want 2 and one line", args, code, errb.String())
		}
		if out.Len() != 0 {
			t.Errorf("fix %v wrote to stdout: %q", args, out.String())
		}
		if strings.Contains(errb.String(), " -bogus") {
			t.Errorf("flag shown with one dash: %q", errb.String())
		}
	}
}

func TestFixPlanForDetectedAccounts(t *testing.T) {
	home, _, _ := fixHome(t)
	deps := fixDepsFor(home)
	code, out, errOut := runFixTest(t, deps, mario)
	if code != ExitProblems {
		t.Fatalf("exit %d, want 1 (a change to make); stderr %s", code, errOut)
	}
	for _, want := range []string{"Program: Thunderbird", "Result: change the settings", "ask for your password again",
		"Connection security: SSL/TLS", "Port: 993", "Port: 465", "User Name: " + mario,
		"maildoctor fix --apply " + mario, "Webmail: https://webmail.maildoctor.example/"} {
		if !strings.Contains(out, want) {
			t.Errorf("plan lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runFixTest(t, deps, "--json", "--lang", "it")
	if code != ExitProblems {
		t.Fatalf("all accounts: exit %d", code)
	}
	var doc struct {
		Plans []plan.Plan `json:"plans"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	got := map[string]string{}
	for _, p := range doc.Plans {
		got[p.Email+" "+string(p.Card)] = string(p.Status)
		if p.Email == mario && (!p.Automatic || p.Incoming.Port != 993 || p.Outgoing.Port != 465 || p.ClientName != "Thunderbird") {
			t.Errorf("mario's plan: %+v", p)
		}
		if p.Email == "info@altrodominio.example" && p.Incoming.Host != "mail.altrodominio.example" {
			t.Errorf("the other domain's guessed server: %+v", p.Incoming)
		}
	}
	want := map[string]string{
		mario + " thunderbird":                        "change",
		"anna.bianchi@maildoctor.example thunderbird": "ok",
		"info@altrodominio.example thunderbird":       "change",
		"luca.verdi@maildoctor.example claws_mail":    "change",
		"sara.neri@maildoctor.example claws_mail":     "change",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: status %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
}

// An address no program here holds gets the generic plan; with nothing
// wrong known, that is exit 0.
func TestFixGenericPlan(t *testing.T) {
	code, out, errOut := runFixTest(t, fixDepsFor(t.TempDir()), "--lang", "it", "nuovo@maildoctor.example")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Confronta le impostazioni", "porta 993", "porta 465", "Cosa cambiare (il tuo programma di posta)",
		"Dopo la modifica il tuo programma di posta potrebbe chiedere"} {
		if !strings.Contains(out, want) {
			t.Errorf("generic plan lacks %q:\n%s", want, out)
		}
	}
	code, _, errOut = runFixTest(t, fixDepsFor(t.TempDir()))
	if code != ExitUsage || !strings.Contains(errOut, "No mail accounts were found") {
		t.Errorf("no accounts, no address: exit %d %q", code, errOut)
	}
}

func TestFixApplyUndo(t *testing.T) {
	home, prefs, orig := fixHome(t)
	deps := fixDepsFor(home)

	code, out, _ := runFixTest(t, deps, "--apply", mario, "--dry-run")
	if code != ExitOK || !strings.Contains(out, "nothing has been written") ||
		!strings.Contains(out, "mail.server.server1.socketType: 2 -> 3") || !strings.Contains(out, "mail.smtpserver.smtp1.port: - -> 465") {
		t.Errorf("dry run: exit %d\n%s", code, out)
	}
	if now, _ := os.ReadFile(prefs); !bytes.Equal(now, orig) {
		t.Fatal("the dry run changed prefs.js")
	}

	code, _, errOut := runFixTest(t, fixDepsFor(home, "thunderbird"), "--apply", mario)
	if code != ExitProblems || !strings.Contains(errOut, "Thunderbird is open. Close it completely") {
		t.Errorf("running Thunderbird: exit %d, stderr %q", code, errOut)
	}
	if now, _ := os.ReadFile(prefs); !bytes.Equal(now, orig) {
		t.Fatal("prefs.js changed while Thunderbird was running")
	}

	code, out, errOut = runFixTest(t, deps, "--apply", mario)
	if code != ExitOK || !strings.Contains(out, "Done: 4 settings of Thunderbird changed") || !strings.Contains(out, "prefs.js.maildoctor-20261122-090000.bak") {
		t.Fatalf("apply: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, _ = runFixTest(t, deps, mario); code != ExitOK || !strings.Contains(out, "Result: the settings are right.") {
		t.Errorf("after the change the plan says: exit %d\n%s", code, out)
	}
	if code, out, _ = runFixTest(t, deps, "--apply", mario); code != ExitOK || !strings.Contains(out, "Nothing to change") {
		t.Errorf("second apply: exit %d\n%s", code, out)
	}

	code, out, errOut = runFixTest(t, deps, "--undo", mario, "--json")
	if code != ExitOK {
		t.Fatalf("undo: exit %d %s", code, errOut)
	}
	var undo struct {
		Results []struct{ File, Restored, Saved string } `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &undo); err != nil || len(undo.Results) != 1 {
		t.Fatalf("undo JSON %v: %s", err, out)
	}
	if now, _ := os.ReadFile(prefs); !bytes.Equal(now, orig) {
		t.Error("undo did not restore prefs.js byte for byte")
	}
	if code, _, errOut = runFixTest(t, deps, "--undo", mario); code != ExitUsage || !strings.Contains(errOut, "no earlier change") {
		t.Errorf("second undo: exit %d %q", code, errOut)
	}
	if code, _, errOut = runFixTest(t, deps, "--apply", "nobody@maildoctor.example"); code != ExitUsage || !strings.Contains(errOut, "found no account") {
		t.Errorf("unknown account: exit %d %q", code, errOut)
	}
}

func TestFixApplyClaws(t *testing.T) {
	home, _, _ := fixHome(t)
	rc := filepath.Join(home, ".claws-mail", "accountrc")
	before, _ := os.ReadFile(rc)
	code, _, errOut := runFixTest(t, fixDepsFor(home, "claws-mail"), "--apply", "luca.verdi@maildoctor.example")
	if code != ExitProblems || !strings.Contains(errOut, "Claws Mail is open") {
		t.Errorf("running Claws: exit %d %q", code, errOut)
	}
	code, out, errOut := runFixTest(t, fixDepsFor(home), "--apply", "luca.verdi@maildoctor.example", "--json")
	if code != ExitOK {
		t.Fatalf("exit %d %s", code, errOut)
	}
	var res struct {
		Results []struct {
			Changes []struct{ Key, From, To string } `json:"changes"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Results) != 1 || len(res.Results[0].Changes) != 6 {
		t.Fatalf("result %v: %s", err, out)
	}
	after, _ := os.ReadFile(rc)
	if bytes.Equal(after, before) || !bytes.Contains(after, []byte("\nssl_imap=1\n")) || !bytes.Contains(after, []byte("\nimap_port=993\n")) {
		t.Errorf("accountrc not changed as expected:\n%s", after)
	}
}

func TestFixExport(t *testing.T) {
	env := func(out, errb *bytes.Buffer) Env {
		return Env{Stdout: out, Stderr: errb, Getenv: func(string) string { return "" }}
	}
	var out, errb bytes.Buffer
	if code := Run(context.Background(), []string{"fix", "--export", "autoconfig", mario}, env(&out, &errb)); code != ExitOK {
		t.Fatalf("autoconfig: exit %d %s", code, errb.String())
	}
	p, err := discover.ParseProfile(out.Bytes())
	if err != nil || p.Incoming[0].Port != 993 || p.Outgoing[0].Port != 465 {
		t.Errorf("autoconfig on stdout does not read back: %v\n%s", err, out.String())
	}
	if !strings.Contains(errb.String(), "autoconfig") {
		t.Errorf("the note should be on stderr: %q", errb.String())
	}

	out.Reset()
	errb.Reset()
	file := filepath.Join(t.TempDir(), "mario.mobileconfig")
	if code := Run(context.Background(), []string{"fix", "--export", "mobileconfig", mario, "-o", file, "--lang", "it"}, env(&out, &errb)); code != ExitOK {
		t.Fatalf("mobileconfig: exit %d %s", code, errb.String())
	}
	data, _ := os.ReadFile(file)
	for _, want := range []string{"<key>IncomingMailServerPortNumber</key>\n<integer>993</integer>", "<key>OutgoingMailServerPortNumber</key>\n<integer>465</integer>", "com.apple.mail.managed"} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("profile lacks %q", want)
		}
	}
	if !strings.Contains(out.String(), "Salvato "+file) || !strings.Contains(out.String(), "Non verificato") {
		t.Errorf("messages: %q", out.String())
	}

	out.Reset()
	errb.Reset()
	if code := Run(context.Background(), []string{"fix", "--export", "reg", mario}, env(&out, &errb)); code != ExitOK {
		t.Fatalf("reg: exit %d", code)
	}
	if !bytes.Equal(out.Bytes(), export.Reg()) || !strings.Contains(errb.String(), "KB3140245") || !strings.Contains(errb.String(), "administrator") {
		t.Errorf("reg export: stdout %d bytes, stderr %q", out.Len(), errb.String())
	}

	out.Reset()
	errb.Reset()
	if code := Run(context.Background(), []string{"fix", "--export", "card", mario}, env(&out, &errb)); code != ExitOK || !strings.Contains(out.String(), "Port:           993") {
		t.Errorf("card: exit %d\n%s", code, out.String())
	}
}

// otherProviderHome is fixHome with the accounts at a domain the built-in
// profile does not know, and that domain's provider profile in a file:
// apply needs --profile, undo must not.
func otherProviderHome(t *testing.T) (home, prefs string, orig []byte, profile string) {
	t.Helper()
	home, prefs, _ = fixHome(t)
	data, err := os.ReadFile(prefs)
	if err != nil {
		t.Fatal(err)
	}
	orig = bytes.ReplaceAll(data, []byte("maildoctor.example"), []byte("provider.example"))
	if err := os.WriteFile(prefs, orig, 0o600); err != nil {
		t.Fatal(err)
	}
	def, err := os.ReadFile("../assets/profile/default.xml")
	if err != nil {
		t.Fatal(err)
	}
	profile = filepath.Join(t.TempDir(), "provider.xml")
	if err := os.WriteFile(profile, bytes.ReplaceAll(def, []byte("maildoctor.example"), []byte("provider.example")), 0o600); err != nil {
		t.Fatal(err)
	}
	return home, prefs, orig, profile
}

// "fix --undo EMAIL", exactly as apply prints it, needs nothing but the
// backup: no profile, no discovery, no network.
func TestFixUndoNeedsOnlyTheBackup(t *testing.T) {
	home, prefs, orig, profile := otherProviderHome(t)
	deps := fixDepsFor(home)
	const addr = "mario.rossi@provider.example"

	if code, _, errOut := runFixTest(t, deps, "--apply", addr); code != ExitUsage || !strings.Contains(errOut, "--profile") {
		t.Fatalf("apply without the profile: exit %d %q; the test needs an address only the profile knows", code, errOut)
	}
	code, out, errOut := runFixTest(t, deps, "--apply", addr, "--profile", profile)
	if code != ExitOK || !strings.Contains(out, `"maildoctor fix --undo `+addr+`"`) {
		t.Fatalf("apply with the profile: exit %d\n%s%s", code, out, errOut)
	}
	if now, _ := os.ReadFile(prefs); bytes.Equal(now, orig) {
		t.Fatal("apply did not change prefs.js")
	}

	// Nothing but the backup: DNS and HTTP fail the test if asked.
	deps.resolver = failResolver{t}
	deps.discoverHTTP = &http.Client{Transport: failNetwork{t}}
	deps.http = failNetwork{t}
	code, out, errOut = runFixTest(t, deps, "--undo", addr)
	if code != ExitOK || !strings.Contains(out, "restored from") {
		t.Fatalf("undo: exit %d\n%s%s", code, out, errOut)
	}
	if now, _ := os.ReadFile(prefs); !bytes.Equal(now, orig) {
		t.Error("undo did not restore prefs.js byte for byte")
	}

	code, out, errOut = runFixTest(t, deps, "--undo", addr)
	if code != ExitUsage || out != "" || strings.Count(strings.TrimSpace(errOut), "\n") != 0 || !strings.Contains(errOut, "no earlier change") {
		t.Errorf("undo with no backup left: exit %d, stdout %q, stderr %q; want 2 and one line", code, out, errOut)
	}
	code, _, errOut = runFixTest(t, deps, "--undo", "nobody@provider.example")
	if code != ExitUsage || strings.Count(strings.TrimSpace(errOut), "\n") != 0 || !strings.Contains(errOut, "no earlier change") {
		t.Errorf("undo for an address with no account: exit %d %q", code, errOut)
	}
	if now, _ := os.ReadFile(prefs); !bytes.Equal(now, orig) {
		t.Error("an undo with nothing to undo changed prefs.js")
	}
}

// failResolver and failNetwork fail a test that must not look anything up.
type failResolver struct{ t *testing.T }

func (r failResolver) LookupSRV(_ context.Context, service, proto, name string) (string, []*net.SRV, error) {
	r.t.Errorf("SRV lookup %s %s %s", service, proto, name)
	return "", nil, errors.New("no lookups here")
}
func (r failResolver) LookupMX(_ context.Context, name string) ([]*net.MX, error) {
	r.t.Errorf("MX lookup %s", name)
	return nil, errors.New("no lookups here")
}
func (r failResolver) LookupHost(_ context.Context, host string) ([]string, error) {
	r.t.Errorf("host lookup %s", host)
	return nil, errors.New("no lookups here")
}

type failNetwork struct{ t *testing.T }

func (n failNetwork) RoundTrip(r *http.Request) (*http.Response, error) {
	n.t.Errorf("network request %s", r.URL)
	return nil, errors.New("no network here")
}

func (n failNetwork) Do(r *http.Request) (*http.Response, error) { return n.RoundTrip(r) }

// Plain "fix" lists every account: one whose address is not valid (here a
// control character in a Thunderbird identity) is skipped with a note,
// and the others are still planned.
func TestFixAllSkipsAnInvalidAddress(t *testing.T) {
	home, prefs, orig := fixHome(t)
	bad := bytes.Replace(orig, []byte(`"info@altrodominio.example"`), []byte(`"in\u0007fo@altrodominio.example"`), 1)
	bad = bytes.Replace(bad, []byte(`useremail", "anna.bianchi@maildoctor.example"`), []byte("useremail\", \"anna\x01bianchi@maildoctor.example\""), 1)
	if bytes.Equal(bad, orig) {
		t.Fatal("fixture not changed")
	}
	if err := os.WriteFile(prefs, bad, 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runFixTest(t, fixDepsFor(home), "--json")
	if code != ExitProblems {
		t.Fatalf("exit %d, want 1 (changes to make for the others); stderr %q", code, errOut)
	}
	var doc struct {
		Plans []plan.Plan `json:"plans"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	got := map[string]bool{}
	for _, p := range doc.Plans {
		got[p.Email] = true
	}
	for _, want := range []string{mario, "luca.verdi@maildoctor.example", "sara.neri@maildoctor.example"} {
		if !got[want] {
			t.Errorf("no plan for %s (plans: %v)", want, got)
		}
	}
	if len(got) != 3 {
		t.Errorf("plans: %v", got)
	}
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	if len(lines) != 2 {
		t.Errorf("want one note per skipped account, got %q", errOut)
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "maildoctor fix: ") || !strings.Contains(l, "skipped") || strings.ContainsAny(l, "\x01\x07") {
			t.Errorf("note %q: want one clean line", l)
		}
	}
}
