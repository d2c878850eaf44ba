//go:build windows

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"maildoctor.app/maildoctor/fix/apply"
)

// TestEnableTLS12UnderWine is the elevated half of "fix --enable-tls12"
// on the real registry of a Windows 7 Wine prefix (whose user is an
// administrator) with TLS 1.2 switched off: the keys are written,
// "maildoctor detect" then reports TLS 1.2 on, and the undo puts the
// keys back as they were. scripts/test-wine.sh runs it with
// MAILDOCTOR_WINE_TLS12_SWITCH=1; otherwise it is skipped.
func TestEnableTLS12UnderWine(t *testing.T) {
	if os.Getenv("MAILDOCTOR_WINE_TLS12_SWITCH") == "" {
		t.Skip("MAILDOCTOR_WINE_TLS12_SWITCH not set: run by scripts/test-wine.sh")
	}
	if !apply.IsElevated() {
		t.Fatal("the Wine prefix does not run as administrator: the command would ask Windows (UAC)")
	}
	run := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		env := Env{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}
		code := Run(context.Background(), args, env)
		return code, out.String(), errOut.String()
	}
	tls12 := func() string {
		code, out, errOut := run("detect", "--json")
		if code != ExitOK && code != ExitProblems {
			t.Fatalf("detect: exit %d %s", code, errOut)
		}
		var rep struct {
			OS struct{ TLS map[string]string }
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		return rep.OS.TLS["1.2"]
	}
	if got := tls12(); got != "off" {
		t.Fatalf("TLS 1.2 %q before the switch", got)
	}
	code, out, errOut := run("fix", "--enable-tls12", "--lang", "en")
	t.Logf("enable: exit %d\n%s%s", code, out, errOut)
	if code != ExitOK || !strings.Contains(out, "Done") {
		t.Fatal("the switch failed")
	}
	if got := tls12(); got != "default" {
		t.Fatalf("TLS 1.2 %q after the switch", got)
	}
	code, out, errOut = run("fix", "--enable-tls12", "--undo", "--lang", "en")
	t.Logf("undo: exit %d\n%s%s", code, out, errOut)
	if code != ExitOK {
		t.Fatal("the undo failed")
	}
	if got := tls12(); got != "off" {
		t.Fatalf("TLS 1.2 %q after the undo", got)
	}
}
