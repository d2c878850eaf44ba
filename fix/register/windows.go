package register

import (
	"fmt"
	"strings"
)

// Registry is the part of HKEY_CURRENT_USER registration needs. Keys are
// paths under HKCU with backslashes ("Software\Classes\maildoctor"); the
// name "" is the key's default value. Values are REG_SZ strings.
type Registry interface {
	// GetString returns a value, or an error wrapping ErrNotExist.
	GetString(key, name string) (string, error)
	// SetString creates the key (and its parents) if needed and sets the
	// value.
	SetString(key, name, value string) error
}

// ClassesKey is where a per-user URL protocol lives.
const ClassesKey = `Software\Classes\` + Scheme

// WindowsValues are the registry values that make exe the handler: the
// documented layout of a URL protocol ("Registering an Application to a
// URI Scheme", Microsoft Learn). Windows substitutes the link for %1.
func WindowsValues(exe string) []RegValue {
	q := `"` + exe + `"`
	return []RegValue{
		{ClassesKey, "", "URL:Mail Doctor support link"},
		{ClassesKey, "URL Protocol", ""},
		{ClassesKey + `\DefaultIcon`, "", q + ",0"},
		{ClassesKey + `\shell\open\command`, "", q + ` open "%1"`},
	}
}

// RegValue is one registry string value.
type RegValue struct{ Key, Name, Value string }

// Windows registers exe in reg, writing only values that differ, so a
// start with nothing to change writes nothing.
func Windows(reg Registry, exe string) error {
	if exe == "" || strings.ContainsAny(exe, "\"\r\n\x00") {
		return fmt.Errorf("registering %s:// links: program path %q cannot be put in a command line", Scheme, exe)
	}
	for _, v := range WindowsValues(exe) {
		// A value that cannot be read (missing, or of another type) is
		// simply written.
		if old, err := reg.GetString(v.Key, v.Name); err == nil && old == v.Value {
			continue
		}
		if err := reg.SetString(v.Key, v.Name, v.Value); err != nil {
			return fmt.Errorf("registering %s:// links: writing HKCU\\%s: %w", Scheme, v.Key, err)
		}
	}
	return nil
}
