package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAppBeside(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"maildoctor.exe", "maildoctor-legacy.exe"} {
		if err := os.WriteFile(filepath.Join(dir, f), nil, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for self, want := range map[string]string{
		"maildoctor-cli.exe":        "maildoctor.exe",
		"maildoctor-legacy-cli.exe": "maildoctor-legacy.exe",
	} {
		got, err := appBeside(filepath.Join(dir, self))
		if err != nil || got != filepath.Join(dir, want) {
			t.Errorf("%s: %q, %v; want %s", self, got, err, want)
		}
	}
	for self, why := range map[string]string{
		"maildoctor.exe":               "must end in -cli",
		"other-cli.exe":                "unpack the whole zip",
		filepath.Join("x", "-cli.exe"): "must end in -cli",
	} {
		if _, err := appBeside(filepath.Join(dir, self)); err == nil || !strings.Contains(err.Error(), why) {
			t.Errorf("%s: %v, want an error saying %q", self, err, why)
		}
	}
}
