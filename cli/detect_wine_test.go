//go:build windows

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestDetectUnderWine runs "maildoctor detect" on the real Windows APIs
// (registry, RtlGetVersion, files) of the computer it runs on. It is meant
// for scripts/test-wine.sh, which fills a throwaway Wine prefix with
// registry fixtures and switches the Windows version, then states what
// must be found:
//
//	MAILDOCTOR_WINE_OS       text the system name must contain ("Windows 7")
//	MAILDOCTOR_WINE_TLS12    the TLS 1.2 state (default, off, no, unknown)
//	MAILDOCTOR_WINE_CLIENTS  client ids with their account counts ("outlook:2,windows-live-mail:2")
//	MAILDOCTOR_WINE_NAMES    client names that must appear ("Microsoft Outlook 2010")
//
// Without MAILDOCTOR_WINE_OS it is skipped.
func TestDetectUnderWine(t *testing.T) {
	wantOS := os.Getenv("MAILDOCTOR_WINE_OS")
	if wantOS == "" {
		t.Skip("MAILDOCTOR_WINE_OS not set: run by scripts/test-wine.sh")
	}
	var out, errOut bytes.Buffer
	env := Env{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}
	code := Run(context.Background(), []string{"detect", "--json"}, env)
	if code != ExitOK && code != ExitProblems {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var rep struct {
		OS struct {
			Name, Version, Build string
			TLS                  map[string]string
		}
		Clients []struct {
			ID, Name, Version, Path string
			Default                 bool
			Accounts                []struct {
				Email    string
				Incoming *struct {
					Protocol, Host, Security string
					Port                     int
				}
			}
			Findings []struct{ ID string }
		}
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	t.Logf("os: %s / %s / %s, TLS %v", rep.OS.Name, rep.OS.Version, rep.OS.Build, rep.OS.TLS)
	for _, c := range rep.Clients {
		t.Logf("client %s %q %s default=%v accounts=%d findings=%v", c.ID, c.Name, c.Version, c.Default, len(c.Accounts), c.Findings)
		for _, a := range c.Accounts {
			if a.Incoming != nil {
				t.Logf("   %s %s %s:%d %s", a.Email, a.Incoming.Protocol, a.Incoming.Host, a.Incoming.Port, a.Incoming.Security)
			}
		}
	}
	if !strings.Contains(rep.OS.Name, wantOS) {
		t.Errorf("os name %q, want it to contain %q", rep.OS.Name, wantOS)
	}
	if want := os.Getenv("MAILDOCTOR_WINE_TLS12"); want != "" && rep.OS.TLS["1.2"] != want {
		t.Errorf("TLS 1.2 %q, want %q", rep.OS.TLS["1.2"], want)
	}
	for _, item := range strings.Split(os.Getenv("MAILDOCTOR_WINE_CLIENTS"), ",") {
		if item == "" {
			continue
		}
		id, n := item, -1
		if i := strings.IndexByte(item, ':'); i >= 0 {
			id = item[:i]
			n, _ = strconv.Atoi(item[i+1:])
		}
		found := false
		for _, c := range rep.Clients {
			if c.ID == id {
				found = true
				if n >= 0 && len(c.Accounts) != n {
					t.Errorf("%s: %d accounts, want %d", id, len(c.Accounts), n)
				}
			}
		}
		if !found {
			t.Errorf("client %s not found", id)
		}
	}
	for _, name := range strings.Split(os.Getenv("MAILDOCTOR_WINE_NAMES"), ",") {
		if name == "" {
			continue
		}
		found := false
		for _, c := range rep.Clients {
			found = found || c.Name == name
		}
		if !found {
			t.Errorf("no client named %q", name)
		}
	}
	// The human report renders too, with paths as Windows writes them
	// (C:\Program Files\…, not the slash form detection keeps).
	out.Reset()
	Run(context.Background(), []string{"detect", "--lang", "it"}, env)
	t.Logf("human report:\n%s", out.String())
	for _, c := range rep.Clients {
		if strings.Contains(c.Path, "/") && !strings.Contains(out.String(), filepath.FromSlash(c.Path)) {
			t.Errorf("%s: the report does not show %q as %q", c.ID, c.Path, filepath.FromSlash(c.Path))
		}
	}
}
