package register

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// memRegistry is HKCU in memory, recording writes.
type memRegistry struct {
	values map[string]string // key + "\x00" + name
	writes int
	fail   error
}

func (m *memRegistry) GetString(key, name string) (string, error) {
	v, ok := m.values[strings.ToLower(key)+"\x00"+strings.ToLower(name)]
	if !ok {
		return "", fmt.Errorf("%s %q: %w", key, name, ErrNotExist)
	}
	return v, nil
}

func (m *memRegistry) SetString(key, name, value string) error {
	if m.fail != nil {
		return m.fail
	}
	if m.values == nil {
		m.values = map[string]string{}
	}
	m.values[strings.ToLower(key)+"\x00"+strings.ToLower(name)] = value
	m.writes++
	return nil
}

func TestWindows(t *testing.T) {
	const exe = `C:\Users\Anna Rossi\Downloads\maildoctor.exe`
	reg := &memRegistry{}
	if err := Windows(reg, exe); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		`software\classes\maildoctor` + "\x00":                    "URL:Mail Doctor support link",
		`software\classes\maildoctor` + "\x00url protocol":        "",
		`software\classes\maildoctor\defaulticon` + "\x00":        `"` + exe + `",0`,
		`software\classes\maildoctor\shell\open\command` + "\x00": `"` + exe + `" open "%1"`,
	}
	if !reflect.DeepEqual(reg.values, want) {
		t.Errorf("registry =\n%q\nwant\n%q", reg.values, want)
	}
	// A second start writes nothing; a moved program rewrites the paths.
	reg.writes = 0
	if err := Windows(reg, exe); err != nil || reg.writes != 0 {
		t.Errorf("second Windows() = %v with %d writes, want none", err, reg.writes)
	}
	if err := Windows(reg, `D:\maildoctor.exe`); err != nil || reg.writes != 2 {
		t.Errorf("Windows() after a move = %v with %d writes, want 2", err, reg.writes)
	}
}

func TestWindowsErrors(t *testing.T) {
	if err := Windows(&memRegistry{}, `C:\a"b.exe`); err == nil {
		t.Error("a path with a quote was accepted")
	}
	boom := errors.New("access denied")
	if err := Windows(&memRegistry{fail: boom}, `C:\m.exe`); !errors.Is(err, boom) || !strings.Contains(err.Error(), ClassesKey) {
		t.Errorf("Windows() = %v, want the write error with the key", err)
	}
}

func TestXDGDirs(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	got := XDGDirs("/home/anna", env(nil))
	if got != (Dirs{"/home/anna/.local/share/applications", "/home/anna/.config"}) {
		t.Errorf("defaults = %+v", got)
	}
	got = XDGDirs("/home/anna", env(map[string]string{"XDG_DATA_HOME": "/data/", "XDG_CONFIG_HOME": "relative/ignored"}))
	if got != (Dirs{"/data/applications", "/home/anna/.config"}) {
		t.Errorf("with variables = %+v", got)
	}
}

func TestLinux(t *testing.T) {
	root := t.TempDir()
	fsys := DirFS(root)
	dirs := XDGDirs("/home/anna", func(string) string { return "" })
	const exe = "/home/anna/Scaricati/Mail Doctor/maildoctor"
	existing := "[Default Applications]\ntext/html=firefox.desktop\n\n[Added Associations]\nx-scheme-handler/maildoctor=old.desktop;\n"
	write(t, root, "/home/anna/.config/mimeapps.list", existing)
	if err := Linux(fsys, exe, dirs); err != nil {
		t.Fatal(err)
	}
	entry := read(t, root, "/home/anna/.local/share/applications/"+DesktopFile)
	for _, want := range []string{"\nExec=\"/home/anna/Scaricati/Mail Doctor/maildoctor\" open %u\n", "\nMimeType=x-scheme-handler/maildoctor;\n", "\nNoDisplay=true\n"} {
		if !strings.Contains(entry, want) {
			t.Errorf("desktop entry lacks %q:\n%s", want, entry)
		}
	}
	wantList := "[Default Applications]\ntext/html=firefox.desktop\nx-scheme-handler/maildoctor=maildoctor-links.desktop;\n\n" +
		"[Added Associations]\nx-scheme-handler/maildoctor=maildoctor-links.desktop;old.desktop;\n"
	if got := read(t, root, "/home/anna/.config/mimeapps.list"); got != wantList {
		t.Errorf("mimeapps.list =\n%s\nwant\n%s", got, wantList)
	}
	// Idempotent: a second run leaves both files untouched.
	before := modTimes(t, root)
	if err := Linux(fsys, exe, dirs); err != nil {
		t.Fatal(err)
	}
	if after := modTimes(t, root); !reflect.DeepEqual(before, after) {
		t.Errorf("second run rewrote files: %v → %v", before, after)
	}
	// No temporary files left behind.
	matches, _ := filepath.Glob(filepath.Join(root, "home/anna/.config/.*"))
	if len(matches) != 0 {
		t.Errorf("left over: %v", matches)
	}
}

// The menu entry the Linux package's install.sh made for this same
// program stays the handler; one for another program is replaced.
func TestLinuxKeepsInstalledEntry(t *testing.T) {
	dirs := XDGDirs("/home/anna", func(string) string { return "" })
	const exe = "/home/anna/.local/bin/maildoctor"
	const list = "[Default Applications]\nx-scheme-handler/maildoctor=app.maildoctor.maildoctor.desktop\n"
	installed := "[Desktop Entry]\nType=Application\nName=Mail Doctor\nExec=\"" + exe + "\" open %u\nMimeType=x-scheme-handler/maildoctor;\n"
	for _, tt := range []struct {
		name, exe string
		keep      bool
	}{{"same program", exe, true}, {"another copy", "/home/anna/Scaricati/maildoctor", false}} {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			write(t, root, "/home/anna/.config/mimeapps.list", list)
			write(t, root, "/home/anna/.local/share/applications/app.maildoctor.maildoctor.desktop", installed)
			if err := Linux(DirFS(root), tt.exe, dirs); err != nil {
				t.Fatal(err)
			}
			got := read(t, root, "/home/anna/.config/mimeapps.list")
			if kept := got == list; kept != tt.keep {
				t.Errorf("mimeapps.list =\n%s", got)
			}
			_, err := DirFS(root).ReadFile("/home/anna/.local/share/applications/" + DesktopFile)
			if (err == nil) == tt.keep {
				t.Errorf("our desktop file: %v", err)
			}
		})
	}
}

func TestLinuxRefusesRelativePath(t *testing.T) {
	if err := Linux(DirFS(t.TempDir()), "maildoctor", Dirs{"/a", "/b"}); err == nil {
		t.Error("a relative program path was accepted")
	}
}

func TestExecArg(t *testing.T) {
	tests := map[string]string{
		"/opt/md/maildoctor":                       `/opt/md/maildoctor`,
		"/home/a/.local/bin/maildoctor-1.0_x86+64": `/home/a/.local/bin/maildoctor-1.0_x86+64`,
		"/opt/a b/maildoctor":                      `"/opt/a b/maildoctor"`,
		`/opt/$HOME/"q"/b\c`:                       `"/opt/\\$HOME/\\"q\\"/b\\\\c"`,
		"/opt/100%/maildoctor":                     `"/opt/100%%/maildoctor"`,
		"/opt/`x`/maildoctor":                      "\"/opt/\\\\`x\\\\`/maildoctor\"",
	}
	for in, want := range tests {
		if got := execArg(in); got != want {
			t.Errorf("execArg(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestSetDefault(t *testing.T) {
	const line = "x-scheme-handler/maildoctor=maildoctor-links.desktop;"
	tests := []struct{ name, in, want string }{
		{"no file", "", "[Default Applications]\n" + line + "\n\n[Added Associations]\n" + line + "\n"},
		{"other sections and comments kept",
			"# mine\n[Added Associations]\ntext/plain=gedit.desktop;\n\n[Removed Associations]\nx=y;\n",
			"# mine\n[Added Associations]\ntext/plain=gedit.desktop;\n" + line + "\n\n[Removed Associations]\nx=y;\n\n[Default Applications]\n" + line + "\n"},
		{"already right", "[Default Applications]\n" + line + "\n\n[Added Associations]\n" + line + "\n",
			"[Default Applications]\n" + line + "\n\n[Added Associations]\n" + line + "\n"},
		{"another default replaced, associations kept",
			"[Default Applications]\nx-scheme-handler/maildoctor = other.desktop\n[Added Associations]\nx-scheme-handler/maildoctor=a.desktop;maildoctor-links.desktop;b.desktop\n",
			"[Default Applications]\n" + line + "\n[Added Associations]\nx-scheme-handler/maildoctor=maildoctor-links.desktop;a.desktop;b.desktop;\n"},
		{"CRLF kept", "[Default Applications]\r\ntext/html=f.desktop\r\n",
			"[Default Applications]\r\ntext/html=f.desktop\r\n" + line + "\r\n\r\n[Added Associations]\r\n" + line + "\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(SetDefault([]byte(tt.in)))
			if got != tt.want {
				t.Errorf("SetDefault() =\n%q\nwant\n%q", got, tt.want)
			}
			if again := string(SetDefault([]byte(got))); again != got {
				t.Errorf("not idempotent:\n%q", again)
			}
		})
	}
}

func FuzzSetDefault(f *testing.F) {
	f.Add("[Default Applications]\ntext/html=firefox.desktop\n\n[Added Associations]\nx-scheme-handler/maildoctor=old.desktop;\n")
	f.Add("# c\r\n[Added Associations]\r\nx-scheme-handler/maildoctor\r\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, in string) {
		out := string(SetDefault([]byte(in)))
		if again := string(SetDefault([]byte(out))); again != out {
			t.Fatalf("not idempotent:\n%q\n%q", out, again)
		}
		// Every line of the input that is not ours survives.
		for _, l := range strings.Split(in, "\n") {
			l = strings.TrimRight(l, "\r")
			if strings.TrimSpace(l) != "" && !strings.Contains(l, MimeType) && !strings.Contains(out, l) {
				t.Fatalf("line %q lost", l)
			}
		}
		if !strings.Contains(out, MimeType+"="+DesktopFile+";") {
			t.Fatal("no default set")
		}
	})
}

func write(t *testing.T, root, name, data string) {
	t.Helper()
	if err := DirFS(root).WriteFile(name, []byte(data)); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, root, name string) string {
	t.Helper()
	data, err := DirFS(root).ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func modTimes(t *testing.T, root string) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	err := filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			out[p] = info.ModTime().UnixNano()
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// xdg-open's generic fallback (no gio, no kde-open) substitutes %u and
// runs the Exec line split on spaces, quotes and all: the program must be
// the first word as it is. (A path with spaces keeps its quotes, which
// gio and kde-open need.)
func TestExecWorksWithXdgOpenGenericFallback(t *testing.T) {
	const exe = "/home/anna/.local/bin/maildoctor"
	entry, err := DesktopEntry(exe)
	if err != nil {
		t.Fatal(err)
	}
	var exec string
	for _, l := range strings.Split(string(entry), "\n") {
		if strings.HasPrefix(l, "Exec=") {
			exec = strings.TrimPrefix(l, "Exec=")
		}
	}
	argv := strings.Fields(strings.Replace(exec, "%u", "maildoctor://open?email=a%40b.it", 1))
	if len(argv) != 3 || argv[0] != exe || argv[1] != "open" {
		t.Errorf("the generic fallback would run %q", argv)
	}
}
