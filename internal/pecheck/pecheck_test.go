package pecheck

import (
	"archive/zip"
	"debug/buildinfo"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The release files are checked only where they were built: make test-dist
// (and make dist-check) set MAILDOCTOR_DIST; a plain go test has no dist/.
func distDir(t *testing.T) string {
	dir := os.Getenv("MAILDOCTOR_DIST")
	if dir == "" {
		t.Skip("MAILDOCTOR_DIST not set: run make test-dist to check the release .exe files")
	}
	return dir
}

// fyneApp reads Version and Build from FyneApp.toml, the one place the
// release version is written.
func fyneApp(t *testing.T) (string, int) {
	b, err := os.ReadFile("../../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	v := regexp.MustCompile(`(?m)^\s*Version\s*=\s*"([^"]+)"`).FindSubmatch(b)
	bn := regexp.MustCompile(`(?m)^\s*Build\s*=\s*(\d+)`).FindSubmatch(b)
	if v == nil || bn == nil {
		t.Fatal("FyneApp.toml has no Version or Build")
	}
	n, _ := strconv.Atoi(string(bn[1]))
	return string(v[1]), n
}

func TestReleaseExes(t *testing.T) {
	dir := distDir(t)
	version, build := fyneApp(t)
	for _, tc := range []struct {
		file   string
		legacy bool
	}{
		{"maildoctor.exe", false},
		{"maildoctor-legacy.exe", true},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join(dir, tc.file)
			info, err := Inspect(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range info.Problems(Want{
				Version: version, Build: build, Filename: tc.file,
				IconSizes: []int{16, 24, 32, 48, 256},
			}) {
				t.Error(p)
			}
			checkBuild(t, path, version, tc.legacy)
			// -trimpath keeps -ldflags out of the build info, so what
			// -s -w -buildid= do is read from the file itself.
			if info.Symbols != 0 || len(info.DebugSections) != 0 {
				t.Errorf("not stripped: %d COFF symbols, sections %v", info.Symbols, info.DebugSections)
			}
			if info.GoBuildID != "" {
				t.Errorf("Go build ID %q, want none: it differs between machines", info.GoBuildID)
			}
		})
	}
}

// TestReleaseZips: each zip holds its .exe and the console twin that
// cmd.exe waits for (packaging/windows/clitwin), with its own name,
// version and icon, from Go 1.19 so that it starts on Windows 7.
func TestReleaseZips(t *testing.T) {
	dir := distDir(t)
	version, build := fyneApp(t)
	for _, app := range []string{"maildoctor", "maildoctor-legacy"} {
		t.Run(app, func(t *testing.T) {
			files := unzip(t, filepath.Join(dir, app+"-windows-amd64.zip"))
			if len(files) != 2 {
				t.Errorf("the zip holds %d files, want %s.exe and %s-cli.exe", len(files), app, app)
			}
			exe, err := os.ReadFile(filepath.Join(dir, app+".exe"))
			if err != nil {
				t.Fatal(err)
			}
			if got, ok := files[app+".exe"]; !ok || string(got) != string(exe) {
				t.Errorf("the zip's %s.exe is not the released one", app)
			}
			twin := app + "-cli.exe"
			path := filepath.Join(t.TempDir(), twin)
			if err := os.WriteFile(path, files[twin], 0o644); err != nil {
				t.Fatal(err)
			}
			info, err := Inspect(path)
			if err != nil {
				t.Fatalf("%s: %v", twin, err)
			}
			for _, p := range info.Problems(Want{Version: version, Build: build, Filename: twin,
				IconSizes: []int{16, 32, 48}, Console: true}) {
				t.Errorf("%s: %s", twin, p)
			}
			bi, err := buildinfo.ReadFile(path)
			if err != nil {
				t.Fatalf("%s: build info: %v", twin, err)
			}
			if !strings.HasPrefix(bi.GoVersion, "go1.19") {
				t.Errorf("%s built with %s, want Go 1.19 (Windows 7)", twin, bi.GoVersion)
			}
			if len(exe) > 0 && len(files[twin]) > len(exe)/4 {
				t.Errorf("%s is %d bytes: the twin should only start %s.exe", twin, len(files[twin]), app)
			}
		})
	}
}

func unzip(t *testing.T, path string) map[string][]byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		files[f.Name] = b
	}
	return files
}

// checkBuild reads what the Go toolchain recorded: the legacy .exe must
// come from Go 1.19 (the last that starts on Windows 7/8.1), and both
// must be stripped, path-free and without VCS stamps, or two builds of
// the same commit would differ.
func checkBuild(t *testing.T, path, version string, legacy bool) {
	bi, err := buildinfo.ReadFile(path)
	if err != nil {
		t.Fatalf("build info: %v", err)
	}
	is119 := strings.HasPrefix(bi.GoVersion, "go1.19")
	if legacy != is119 {
		t.Errorf("built with %s; legacy=%v", bi.GoVersion, legacy)
	}
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
		if strings.HasPrefix(s.Key, "vcs") {
			t.Errorf("VCS stamp %s=%s: build with -buildvcs=false", s.Key, s.Value)
		}
	}
	if settings["-trimpath"] != "true" {
		t.Error("not built with -trimpath")
	}
	if settings["CGO_ENABLED"] != "1" {
		t.Error("not built with cgo: Fyne's Windows driver needs it")
	}
	// release: Fyne would otherwise read a FyneApp.toml lying beside the
	// .exe in the customer's Downloads folder.
	tags := "," + settings["-tags"] + ","
	for _, tag := range []string{"migrated_fynedo", "release"} {
		if !strings.Contains(tags, ","+tag+",") {
			t.Errorf("-tags %q lacks %s", settings["-tags"], tag)
		}
	}
}

// TestCatchesBareExe proves the checks can fail: a plain Go .exe has the
// console subsystem, no icon, no version and no manifest.
func TestCatchesBareExe(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	dir := t.TempDir()
	src := "package main\n\nfunc main() {}\n"
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module bare\n\ngo 1.19\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(dir, "bare.exe")
	cmd := exec.Command(goBin, "build", "-o", exe, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0", "GOFLAGS=", "GOTOOLCHAIN=local")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	info, err := Inspect(exe)
	if err != nil {
		t.Fatal(err)
	}
	problems := strings.Join(info.Problems(Want{Version: "0.1.0", Build: 1, Filename: "bare.exe", IconSizes: []int{16}}), "\n")
	for _, want := range []string{"subsystem 3", "no icon group", "no VS_VERSION_INFO", "no manifest"} {
		if !strings.Contains(problems, want) {
			t.Errorf("problems do not mention %q:\n%s", want, problems)
		}
	}
	// The same file passes the subsystem check as a console twin.
	twin := strings.Join(info.Problems(Want{Version: "0.1.0", Build: 1, Filename: "bare.exe", Console: true}), "\n")
	if strings.Contains(twin, "subsystem") {
		t.Errorf("a console .exe fails the console twin's subsystem check:\n%s", twin)
	}
	// Not stripped, and with a build ID: what the release checks reject.
	if info.Symbols == 0 && len(info.DebugSections) == 0 {
		t.Error("an unstripped build looks stripped")
	}
	if !info.HasGoBuildID || info.GoBuildID == "" {
		t.Errorf("build ID %q (found %v) in a default build", info.GoBuildID, info.HasGoBuildID)
	}
}

func TestFixedVersion(t *testing.T) {
	v, err := fixedVersion("2.10.3", 7)
	if err != nil || v != [4]uint16{2, 10, 3, 7} {
		t.Errorf("got %v, %v", v, err)
	}
	for _, bad := range []string{"1.2", "1.2.x", "1.2.-3", "1.2.03", "1.2.70000"} {
		if _, err := fixedVersion(bad, 1); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
