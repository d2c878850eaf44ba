// Package inifile reads the INI-style files mail clients keep their
// settings in: Thunderbird's profiles.ini and compatibility.ini, GLib key
// files (Evolution's *.source, GNOME Online Accounts' accounts.conf,
// Geary's geary.ini), KDE config files (akonadi_imap_resource_Nrc,
// mailtransports) and Claws Mail's accountrc.
//
// Syntax: "[Group]" lines (names may contain spaces and brackets, as in
// KDE's "[Transport 1]" or Claws' "[Account: 1]"), "key=value" lines, and
// comments starting with '#' or ';'. GLib key files escape \s \n \t \r \\
// in values (GLib "Key-value file parser" documentation); KDE adds
// "key[$e]" flags and localized "key[lang]" entries, which are kept under
// their full name. Parse is lenient and never panics: a line it cannot read
// is counted in File.Bad, and text with NUL bytes or invalid UTF-8 is an
// error (a binary file, not settings).
package inifile

import (
	"bytes"
	"errors"
	"strings"
	"unicode/utf8"
)

// Section is one [group] with its keys in file order.
type Section struct {
	Name string
	Keys []string
	vals map[string]string
}

// Get returns a key's value (the last one when repeated).
func (s *Section) Get(key string) (string, bool) {
	if s == nil {
		return "", false
	}
	v, ok := s.vals[key]
	return v, ok
}

// Value returns a key's value or "".
func (s *Section) Value(key string) string {
	v, _ := s.Get(key)
	return v
}

// Bool reads true/false, 1/0, yes/no.
func (s *Section) Bool(key string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s.Value(key))) {
	case "true", "1", "yes", "on":
		return true, true
	case "false", "0", "no", "off":
		return false, true
	}
	return false, false
}

// File is a parsed file.
type File struct {
	Sections []*Section
	// Bad counts lines that were neither a group, a key nor a comment.
	Bad int
}

// Section returns the first section with that name.
func (f *File) Section(name string) *Section {
	for _, s := range f.Sections {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// ErrBinary is returned for data that is not text.
var ErrBinary = errors.New("not a text file (binary data)")

// Parse reads an INI-style file. Keys before the first group go into a
// section named "".
func Parse(data []byte) (*File, error) {
	data = bytes.TrimPrefix(data, []byte{0xef, 0xbb, 0xbf})
	if bytes.IndexByte(data, 0) >= 0 || !utf8.Valid(data) {
		return nil, ErrBinary
	}
	f := &File{}
	var cur *Section
	for _, raw := range strings.Split(string(data), "\n") {
		line := strings.TrimSpace(strings.TrimSuffix(raw, "\r"))
		switch {
		case line == "" || line[0] == '#' || line[0] == ';':
			continue
		case line[0] == '[' && line[len(line)-1] == ']':
			cur = &Section{Name: line[1 : len(line)-1], vals: map[string]string{}}
			f.Sections = append(f.Sections, cur)
			continue
		}
		i := strings.IndexByte(line, '=')
		if i <= 0 {
			f.Bad++
			continue
		}
		if cur == nil {
			cur = &Section{vals: map[string]string{}}
			f.Sections = append(f.Sections, cur)
		}
		key := strings.TrimSpace(line[:i])
		if _, seen := cur.vals[key]; !seen {
			cur.Keys = append(cur.Keys, key)
		}
		cur.vals[key] = strings.TrimSpace(line[i+1:])
	}
	return f, nil
}

// Unescape undoes GLib key-file escapes: \s \n \t \r \\ (GLib
// g_key_file_parse_value_as_string).
func Unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch s[i] {
		case 's':
			b.WriteByte(' ')
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}
