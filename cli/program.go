package cli

import (
	"path/filepath"
	"strings"

	"maildoctor.app/maildoctor/fix/apply"
)

// defaultProgram is the name hints use when the executable's own name is
// unknown (tests, a Run without Env.Program).
const defaultProgram = "maildoctor"

// ProgramName is what a user types to run this program again, for every
// hint that says "maildoctor …": the name it was started by (typed, the
// first argument), without directory or .exe (cmd.exe and PowerShell find
// it without), so "maildoctor-legacy.exe" hints "maildoctor-legacy help"
// and a symlink keeps its own name. exe is the executable's real path. A
// Windows GUI-subsystem .exe returns to cmd's prompt before its output,
// so when its console twin "<name>-cli.exe" lies beside it (the release
// zips), the hints send console users there. A name with a space is
// quoted, as the shell needs it.
func ProgramName(typed, exe string, guiSubsystem bool, exists func(path string) bool) string {
	name := bareName(typed)
	if name == "" {
		name = bareName(exe)
	}
	if name == "" {
		return defaultProgram
	}
	if guiSubsystem && exists != nil && bareName(exe) != "" {
		twin := bareName(exe) + "-cli"
		if exists(filepath.Join(filepath.Dir(exe), twin+".exe")) {
			name = twin
		}
	}
	if strings.ContainsAny(name, " \t") {
		return `"` + name + `"`
	}
	return name
}

// bareName is path's last element without an .exe extension.
func bareName(path string) string {
	if path == "" {
		return ""
	}
	base := filepath.Base(path)
	if strings.EqualFold(filepath.Ext(base), ".exe") {
		base = base[:len(base)-len(".exe")]
	}
	if base == "." || base == string(filepath.Separator) {
		return ""
	}
	return base
}

// program is the name env's hints use.
func (env Env) program() string {
	if env.Program == "" {
		return defaultProgram
	}
	return env.Program
}

// withProgram names the program in a synopsis or hint written with the
// default name ("maildoctor check …").
func withProgram(text, program string) string {
	if program == defaultProgram {
		return text
	}
	return strings.ReplaceAll(text, defaultProgram+" ", program+" ")
}

// nativePath is a file path as this system writes it: detection and the
// backups build some with forward slashes, which a Windows user reads as
// a web address ("C:/Program Files/…"). A registry key is left alone: its
// names may hold a slash.
func nativePath(p string) string {
	if apply.IsRegistryKey(p) {
		return p
	}
	return filepath.FromSlash(p)
}
