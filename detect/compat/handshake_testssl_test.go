package compat

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"maildoctor.app/maildoctor/detect/probe"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/internal/dovecottest"
)

// testsslPeer is one of Mail Doctor's profiles and the testssl.sh client
// (etc/client-simulation.txt, from SSL Labs' captures) for the same TLS
// stack. The captures are browsers' hellos where no mail client was
// captured: the stack is the same, the lists need not be.
type testsslPeer struct {
	profile, client string
}

var testsslPeers = []testsslPeer{
	{"android-4.4", "android_43"},
	{"android-4.4-tls12", "android_442"},
	{"android-5-6", "android_500"},
	{"android-5-6", "android_60"},
	{"android-7-9", "android_70"},
	{"android-7-9", "android_81"},
	{"android-7-9", "android_90"},
	{"android-10", "android_X"},
	{"android-10", "android_12"},
	{"apple-mail-legacy", "safari_604_osx1084"},
	{"apple-mail-10.12", "safari_10_osx1012"},
	{"apple-mail-13", "safari_130_osx_10146"},
	{"apple-mail-13", "safari_154_osx_1231"},
	{"apple-mail-13", "apple_mail_16_0"},
	{"thunderbird-52", "firefox_53_win7"},
	{"thunderbird-78", "thunderbird_91_9"},
	{"thunderbird-115", "thunderbird_91_9"},
	{"openssl-3.0", "openssl_303"},
	{"schannel-win7-2015", "ie_8-10_win7"},
	{"schannel-win7-2015-tls12", "ie_11_win7"},
	{"schannel-win81", "ie_11_win81"},
	{"schannel-win10", "ie_11_win10"},
	{"schannel-win10", "edge_15_win10"},
}

// testsslKnown are the disagreements understood, each with its cause,
// for one scenario or (scenario "") any. The test fails on any other
// disagreement, and on a listed one that no longer happens.
var testsslKnown = []struct {
	scenario, profile, client, cause string
}{
	{"legacy-tls10-11", "android-4.4", "android_43", "testssl.sh's Android 4.x captures are the stock browser, with OpenSSL 1.0.1's order (AES-256 first); the platform order in the profile is inferred"},
	{"legacy-tls10-11", "android-4.4-tls12", "android_442", "same: the browser's order, not the platform's"},
	{"dhe-rsa-aes-gcm", "android-4.4-tls12", "android_442", "the Android 4.4 browser offers DHE-RSA-AES-GCM; the platform enables GCM suites only from API 20 (Android SSLSocket reference)"},
	{"legacy-tls10-11", "android-5-6", "", "the Android 5/6 captures put AES-256 before AES-128; the profile's order is inferred"},
	{"ecdhe-rsa-aes-gcm", "android-7-9", "android_70", "the Android 7.0 capture has no X25519 (P-256, P-384 only); the profile follows Android 8-9, which offer it"},
	{"", "android-7-9", "android_90", "the Android 9 capture offers TLS 1.3; the platform enables it only from API 29 (Android SSLSocket reference), so the capture is likely Chrome's own stack"},
	{"legacy-tls10-11", "android-10", "", "Android 10-14 still offer TLS 1.0/1.1 to apps below target SDK 35; the profile is a mail app on a current SDK, which does not"},
	{"", "apple-mail-13", "apple_mail_16_0", "testssl.sh's Apple Mail 16.0 capture (to imap.gmail.com) offers TLS 1.0-1.2 and NIST curves only; the profile's TLS 1.3 for Mail is inferred from the platform (see apple.json)"},
	{"", "apple-mail-13", "safari_130_osx_10146", "Safari 13 on macOS 10.14.6 lists ChaCha20 first among TLS 1.3 suites; the profile has the later order (AES-128-GCM first), as the Safari 15.4 capture does"},
	{"legacy-tls10-11", "openssl-3.0", "openssl_303", "OpenSSL 3.0 still lists TLS 1.0/1.1, then refuses the server's SHA-1 ServerKeyExchange at its default security level (openssl s_client here: \"legacy sigalg disallowed\"); testssl.sh reads only the ServerHello, the profile leaves them out so that the outcome (fails) is right"},
	{"ecdhe-rsa-aes-gcm", "schannel-win10", "ie_11_win10", "the IE 11 / Windows 10 capture predates X25519 in SChannel (Windows 10 1607); the profile is 1607 and later"},
	{"dhe-rsa-aes-gcm", "schannel-win10", "edge_15_win10", "Edge 15 leaves the DHE suites out of its own hello; SChannel's default list on Windows 10 1607+ has them (Microsoft, \"TLS Cipher Suites in Windows 10 v1607\"), which mail programs on SChannel send"},
}

// knownCause is the listed cause of a disagreement, and its index.
func knownCause(scenario, profile, client string) (string, int) {
	for i, k := range testsslKnown {
		if (k.scenario == "" || k.scenario == scenario) && k.profile == profile && (k.client == "" || k.client == client) {
			return k.cause, i
		}
	}
	return "", -1
}

// testsslOutcome is one client's line of testssl.sh -c, or ours in the
// same words.
type testsslOutcome struct {
	connects        bool
	version, cipher string
}

func (o testsslOutcome) String() string {
	if !o.connects {
		return "no connection"
	}
	return o.version + " " + o.cipher
}

var testsslFinding = regexp.MustCompile(`^TLSv(1(?:\.[0-3])?) (\S+)`)

// parseTestsslFinding reads "TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256" or "No
// connection".
func parseTestsslFinding(s string) (testsslOutcome, bool) {
	if strings.HasPrefix(s, "No connection") {
		return testsslOutcome{}, true
	}
	m := testsslFinding.FindStringSubmatch(s)
	if m == nil {
		return testsslOutcome{}, false
	}
	v := m[1]
	if v == "1" {
		v = "1.0"
	}
	return testsslOutcome{connects: true, version: v, cipher: m[2]}, true
}

// testsslDir is a copy of testssl.sh's etc/ whose client list holds only
// the peers' clients, all marked current: a run takes seconds, not the
// minutes of all 170 clients.
func testsslDir(t *testing.T) string {
	t.Helper()
	src := os.Getenv("TESTSSL_INSTALL_DIR")
	if src == "" {
		src = "/etc/testssl"
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatalf("testssl.sh data: %v", err)
	}
	dir := t.TempDir()
	for _, e := range entries {
		if e.Name() != "client-simulation.txt" {
			if err := os.Symlink(filepath.Join(src, e.Name()), filepath.Join(dir, e.Name())); err != nil {
				t.Fatal(err)
			}
		}
	}
	data, err := os.ReadFile(filepath.Join(src, "client-simulation.txt"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, p := range testsslPeers {
		want[p.client] = true
	}
	filtered, n := filterClients(string(data), want)
	if n != len(want) {
		t.Fatalf("testssl.sh's client list has %d of the %d peers", n, len(want))
	}
	if err := os.WriteFile(filepath.Join(dir, "client-simulation.txt"), []byte(filtered), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

var clientShort = regexp.MustCompile(`short\+=\("([^"]+)"\)`)

// filterClients keeps the header and the blocks (each from a names+= line
// on) of the wanted clients, marked current.
func filterClients(data string, want map[string]bool) (string, int) {
	var out, block strings.Builder
	inBlock, n := false, 0
	flush := func() {
		if m := clientShort.FindStringSubmatch(block.String()); m != nil && want[m[1]] {
			out.WriteString(strings.Replace(block.String(), "current+=(false)", "current+=(true)", 1))
			n++
		}
		block.Reset()
	}
	sc := bufio.NewScanner(strings.NewReader(data))
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for sc.Scan() {
		line := sc.Text() + "\n"
		if strings.HasPrefix(strings.TrimSpace(line), "names+=") {
			if inBlock {
				flush()
			}
			inBlock = true
		}
		if inBlock {
			block.WriteString(line)
		} else {
			out.WriteString(line)
		}
	}
	flush()
	return out.String(), n
}

// runTestssl runs testssl.sh -c against addr and returns each client's
// outcome by its short name, and how long it took.
func runTestssl(t *testing.T, bin, etc, addr string) (map[string]testsslOutcome, time.Duration) {
	t.Helper()
	jsonPath := filepath.Join(t.TempDir(), "out.json")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-c", "--quiet", "--color", "0", "--warnings", "off", "--nodns", "none",
		"--jsonfile", jsonPath, addr)
	cmd.Env = append(os.Environ(), "TESTSSL_INSTALL_DIR="+etc)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	took := time.Since(start)
	if err != nil {
		t.Fatalf("%s: %v\n%s", bin, err, out)
	}
	data, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	var rows []struct{ ID, Finding string }
	if err := json.Unmarshal(data, &rows); err != nil {
		t.Fatalf("testssl.sh JSON: %v", err)
	}
	got := map[string]testsslOutcome{}
	for _, r := range rows {
		client := strings.TrimPrefix(r.ID, "clientsimulation-")
		if client == r.ID {
			continue
		}
		o, ok := parseTestsslFinding(r.Finding)
		if !ok {
			t.Errorf("testssl.sh %s: unreadable finding %q", client, r.Finding)
			continue
		}
		got[client] = o
	}
	if len(got) == 0 {
		t.Fatalf("testssl.sh simulated no client:\n%s", out)
	}
	return got, took
}

// TestCompareTestsslSimulation runs testssl.sh -c and probe.Simulate on
// the same servers: every scenario's Dovecot (implicit IMAP; there
// testssl.sh simulates only its IMAP and "any service" clients) and its
// openssl s_server -www twin (where it also simulates its HTTPS-only
// clients: Internet Explorer/Edge on SChannel, Safari, Firefox). For each
// peer pair both simulate, connect/fail, version and cipher must agree,
// or the disagreement be listed with its cause in testsslKnown.
func TestCompareTestsslSimulation(t *testing.T) {
	if os.Getenv("MAILDOCTOR_TESTSSL") != "1" {
		t.Skip("MAILDOCTOR_TESTSSL=1 runs the comparison with testssl.sh (make compare-testssl)")
	}
	bin, err := exec.LookPath("testssl")
	if err != nil {
		if bin, err = exec.LookPath("testssl.sh"); err != nil {
			t.Fatal("testssl.sh is missing: scripts/install-deps.sh testssl")
		}
	}
	etc := testsslDir(t)
	certPEM, keyPEM := rsaPair(t)
	all := dovecotProfiles(t)
	byID := map[string]probe.ClientProfile{}
	for _, p := range all {
		byID[p.ID] = p
	}
	var table []string
	seenKnown := map[int]bool{}
	agree, total := 0, 0
	compare := func(t *testing.T, sc scenario, kind string, ep server.Endpoint, opt probe.Options, target string) {
		theirs, took := runTestssl(t, bin, etc, target)
		start := time.Now()
		ms := probe.Simulate(context.Background(), ep, all, opt)
		ours := time.Since(start)
		t.Logf("%s %s: testssl.sh -c, %d clients: %.1f s; Mail Doctor, %d profiles: %d ms (%.0f×)",
			sc.name, kind, len(theirs), took.Seconds(), len(all), ours.Milliseconds(), float64(took)/float64(ours))
		got := map[string]probe.Measured{}
		for _, m := range ms {
			got[m.Profile] = m
		}
		for _, p := range testsslPeers {
			o, ok := theirs[p.client]
			if !ok {
				continue // not simulated for this service
			}
			m := got[p.profile]
			mine := testsslOutcome{connects: m.Connects, version: m.Version, cipher: m.Cipher}
			key := sc.name + "/" + kind + "/" + p.profile + "/" + p.client
			same := mine == o
			total++
			mark := "yes"
			if same {
				agree++
			} else {
				mark = "no"
				if cause, i := knownCause(sc.name, p.profile, p.client); i >= 0 {
					seenKnown[i] = true
					mark = "no: " + cause
				} else {
					t.Errorf("%s: Mail Doctor %s, testssl.sh %s", key, describe(m), o)
				}
			}
			table = append(table, fmt.Sprintf("| %s | %s | %s | %s | %s | %s |", sc.name, kind, p.profile+" ~ "+p.client, describe(m), o, mark))
		}
	}
	for _, sc := range scenarios {
		sc := sc
		t.Run(sc.name, func(t *testing.T) {
			if sc.onDovecot() && dovecottest.Available() == nil {
				srv := sc.start(t, certPEM, keyPEM)
				ep := dovecotEndpoints(srv)[0]
				opt := probe.Options{Timeout: 5 * time.Second, Resolve: map[string]string{dovecottest.Hostname: srv.Addr}}
				compare(t, sc, "dovecot-imaps", ep, opt, fmt.Sprintf("%s:%d", srv.Addr, ep.Port))
			}
			tw := sc.startSServer(t, certPEM, keyPEM)
			ep, opt := tw.endpoint(t)
			compare(t, sc, "s_server", ep, opt, tw.Addr)
		})
	}
	for i, k := range testsslKnown {
		if !seenKnown[i] {
			t.Errorf("%s ~ %s (%s) is listed as a disagreement but now agrees: update testsslKnown", k.profile, k.client, k.scenario)
		}
	}
	sort.Strings(table)
	t.Logf("agreement: %d of %d\n| scenario | server | Mail Doctor ~ testssl.sh | Mail Doctor | testssl.sh | agree |\n|---|---|---|---|---|---|\n%s",
		agree, total, strings.Join(table, "\n"))
}

func describe(m probe.Measured) string {
	if m.Connects {
		return m.Version + " " + m.Cipher
	}
	return "fails: " + m.Reason
}
