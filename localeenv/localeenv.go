// Package localeenv keeps Fyne's locale lookup quiet under the C locale.
//
// fyne.io/fyne/v2/lang reads the system locale in its package init and logs
// "Fyne error: Error parsing user locale C" three lines long when LC_ALL,
// LC_MESSAGES or LANG is "C.UTF-8" (the default of Debian containers and
// many SSH sessions): "C" and "POSIX" alone are understood, "C.<charset>" is
// not. A command-line run must print nothing but its own output, so this
// package, initialised before Fyne's, shows Fyne the plain "C" for the time
// of the start-up and Restore puts the user's value back.
//
// It is a module of its own so that its import path sorts before fyne.io:
// Go 1.21+ initialises packages in import-path order (as long as their
// imports are ready), and Go 1.19 in the order of the main package's files
// and imports, which is why the main package imports it from the file whose
// name sorts first. It imports nothing that could pull Fyne in before it.
package localeenv

import (
	"os"
	"strings"
)

// changed is the variable set to "C" at start-up, and its value before.
var changed, original string

func init() {
	// The first non-empty one is the one that counts, as for go-locale
	// (which Fyne uses) and gettext.
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(name)
		if v == "" {
			continue
		}
		if v != "C" && v != "POSIX" && IsC(v) {
			if os.Setenv(name, "C") == nil {
				changed, original = name, v
			}
		}
		return
	}
}

// IsC reports whether a locale value names the C or POSIX locale, with or
// without a character set or modifier ("C.UTF-8", "C.utf8", "POSIX@x").
func IsC(v string) bool {
	if i := strings.IndexAny(v, ".@"); i >= 0 {
		v = v[:i]
	}
	return v == "C" || v == "POSIX"
}

// Restore puts back the value changed at start-up, so that programs started
// from here (a browser, a mail program) get the user's locale. Call it once
// Fyne's translations are loaded: every later load reads the locale again.
func Restore() {
	if changed == "" {
		return
	}
	_ = os.Setenv(changed, original)
	changed = ""
}
