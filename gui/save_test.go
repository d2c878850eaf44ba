package gui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/storage"
)

// Saving a .reg file says where it went and what to do with it (before:
// no word after the dialog closed, and a .reg file does nothing until it
// is opened); other files say where they went.
func TestSavedFileSaysWhereAndWhatNext(t *testing.T) {
	for _, c := range []struct {
		lang, next, want string
	}{
		{"it", "gui.fix.saved_reg", "fai doppio clic"},
		{"en", "gui.fix.saved_reg", "double-click"},
		{"en", "", "Saved to "},
	} {
		u, w := newTestUI(t, &fakeCheck{}, c.lang)
		path := filepath.Join(t.TempDir(), "maildoctor-tls12.reg")
		wr, err := storage.Writer(storage.NewFileURI(path))
		if err != nil {
			t.Fatal(err)
		}
		u.writeSaved(wr, []byte("Windows Registry Editor Version 5.00\r\n"), c.next)
		settle(u)
		if got, err := os.ReadFile(path); err != nil || !strings.HasPrefix(string(got), "Windows Registry") {
			t.Fatalf("file not written: %v %q", err, got)
		}
		text := dialogText(w)
		if !strings.Contains(text, path) || !strings.Contains(text, c.want) {
			t.Errorf("%s: after saving: %q, want the path and %q", c.lang, text, c.want)
		}
	}
}
