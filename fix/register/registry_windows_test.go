//go:build windows

package register

import (
	"errors"
	"testing"

	"golang.org/x/sys/windows/registry"
)

// The real registry (run under Wine in CI, in a throwaway WINEPREFIX):
// registering twice, reading back what Windows would run for a link.
func TestCurrentUserRegistry(t *testing.T) {
	reg, err := currentUser()
	if err != nil {
		t.Fatal(err)
	}
	const exe = `C:\Program Files\Mail Doctor\maildoctor.exe`
	if err := Windows(reg, exe); err != nil {
		t.Fatal(err)
	}
	if err := Windows(reg, exe); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, k := range []string{`\shell\open\command`, `\shell\open`, `\shell`, `\DefaultIcon`, ``} {
			registry.DeleteKey(registry.CURRENT_USER, ClassesKey+k)
		}
	})
	cmd, err := reg.GetString(ClassesKey+`\shell\open\command`, "")
	if err != nil || cmd != `"`+exe+`" open "%1"` {
		t.Errorf("command = %q, %v", cmd, err)
	}
	if v, err := reg.GetString(ClassesKey, "URL Protocol"); err != nil || v != "" {
		t.Errorf("URL Protocol = %q, %v", v, err)
	}
	if _, err := reg.GetString(ClassesKey, "no such value"); !errors.Is(err, ErrNotExist) {
		t.Errorf("missing value: %v, want ErrNotExist", err)
	}
	if _, err := reg.GetString(`Software\No\Such\Key`, ""); !errors.Is(err, ErrNotExist) {
		t.Errorf("missing key: %v, want ErrNotExist", err)
	}
}
