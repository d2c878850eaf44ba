// Package secret keeps the password out of everything Mail Doctor shows or
// hands over. A server may echo what it was sent in an error ("NO bad
// password \"…\"", "535 … <base64>"), and that text becomes a finding's
// evidence, a step's detail, a greeting; Forms lists every shape the
// password may come back in, and Scrub replaces them all in a report
// before any output (the CLI, --json, the app, the support report and
// code).
//
// Scrub should run on the finished report, after any shortening: a
// string cut inside an echoed password keeps a part of it that no whole
// form matches. For strings cut with an ellipsis (finding.Clip) Scrub
// removes that part too; see Scrub.
package secret

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"maildoctor.app/maildoctor/detect/finding"
)

// Redacted replaces every form of a secret.
const Redacted = "[redacted]"

// Ellipsis ends a string that was cut short (finding.Clip).
const Ellipsis = finding.Ellipsis

// MinDerived is the shortest encoded form (anything but the password as
// typed) that Forms returns.
//
// Every encoding is at least as long as what it encodes, so a shorter
// form comes only from a password (or user name) of one or two bytes: its
// base64 ("YQ", "b2s"), its escapes (`\"`, `\\`, "%2B"). Strings that short
// are pieces of any base64 text, fingerprint, escaped quote or id;
// replacing them everywhere would corrupt the report for no protection
// (a one-letter password is in every sentence). The password itself, as
// typed and trimmed, is always replaced, whatever its length: it is never
// output in full. Where a short password is one of Mail Doctor's own
// words, ScrubKeeping keeps the words that must not change.
const MinDerived = 4

// Forms returns the strings a server may echo that give the password
// away: the password as typed and trimmed of spaces (what a program that
// trimmed it would have sent), each of those IMAP-quoted and as IMAP
// literals, Go- and JSON-escaped, as the probe prints a server's raw
// bytes (non-ASCII as dots), URL-encoded (query, path and userinfo
// escaping, upper- and lower-case hex), base64 (standard and URL
// alphabets, with and without padding), and the base64 of the SASL
// payloads that carry it: PLAIN ("\0user\0pass", "user\0user\0pass") and
// LOGIN (the password, and the user name, each alone). Encoded forms
// shorter than MinDerived are left out (see there). The user is not a
// secret and is not in the list; only its LOGIN payload is, so that a
// server's echo of the whole exchange is gone.
//
// The list has no duplicates; an empty password gives none.
func Forms(password, user string) []string {
	if password == "" {
		return nil
	}
	var raw, derived []string
	pws := []string{password}
	if t := strings.TrimSpace(password); t != "" && t != password {
		pws = append(pws, t)
	}
	raw = append(raw, pws...)
	users := []string{user}
	if t := strings.TrimSpace(user); t != user {
		users = append(users, t)
	}
	for _, p := range pws {
		derived = append(derived, escapes(p)...)
		derived = append(derived, base64Forms(p)...)
		for _, u := range users {
			derived = append(derived, base64Forms("\x00"+u+"\x00"+p)...)
			if u != "" {
				derived = append(derived, base64Forms(u+"\x00"+u+"\x00"+p)...)
			}
		}
	}
	for _, u := range users {
		if u != "" {
			derived = append(derived, base64Forms(u)...)
		}
	}
	seen := map[string]bool{}
	var out []string
	for _, s := range raw {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, s := range derived {
		if len(s) >= MinDerived && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// escapes are the password as quoted or escaped text: the inside of the
// quotes only, so that the quoted form goes too, whatever quotes it.
func escapes(p string) []string {
	n := strconv.Itoa(len(p))
	out := []string{
		imapQuoted(p),
		// IMAP literals: synchronizing, non-synchronizing (LITERAL+,
		// LITERAL-) and literal8, length prefix and all.
		"{" + n + "}\r\n" + p,
		"{" + n + "+}\r\n" + p,
		"~{" + n + "}\r\n" + p,
		unquote(strconv.Quote(p)),
		unquote(strconv.QuoteToASCII(p)),
		jsonEscaped(p, true),
		jsonEscaped(p, false),
		jsonASCII(p),
		url.QueryEscape(p),
		url.PathEscape(p),
		strings.TrimPrefix(url.UserPassword("u", p).String(), "u:"),
	}
	for _, s := range out[len(out)-3:] {
		if l := lowerHex(s); l != s {
			out = append(out, l)
		}
	}
	// As the probe shows a server's first bytes (every byte outside
	// printable ASCII a dot), when enough of the password is left to
	// tell: a row of dots is in any binary answer.
	if pr := printable(p); len(pr)-strings.Count(pr, ".") >= MinDerived {
		out = append(out, pr, unquote(strconv.Quote(pr)))
	}
	return out
}

// printable is p with every byte outside printable ASCII made a dot.
func printable(p string) string {
	b := []byte(p)
	for i, c := range b {
		if c < 0x20 || c >= 0x7f {
			b[i] = '.'
		}
	}
	return string(b)
}

// imapQuoted is the inside of an IMAP quoted string (RFC 9051 quoted):
// backslash and double quote escaped with a backslash.
func imapQuoted(p string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(p)
}

func unquote(q string) string {
	return q[1 : len(q)-1]
}

// jsonEscaped is p as encoding/json writes it inside a string, with or
// without its HTML escaping of <, > and &.
func jsonEscaped(p string, html bool) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(html)
	if err := enc.Encode(p); err != nil {
		return p
	}
	return unquote(strings.TrimSuffix(b.String(), "\n"))
}

// jsonASCII is p as JSON encoders that keep to ASCII write it (Python's
// json.dumps, many servers): every non-ASCII character as \uXXXX.
func jsonASCII(p string) string {
	var b strings.Builder
	for _, r := range p {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r < 0x20:
			fmt.Fprintf(&b, `\u%04x`, r)
		case r < 0x80:
			b.WriteRune(r)
		case r == utf8.RuneError:
			b.WriteString(`\ufffd`)
		case r > 0xffff:
			r -= 0x10000
			fmt.Fprintf(&b, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}

// lowerHex writes the %XX escapes of s in lower case, as some servers do.
func lowerHex(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1], b[i+2] = lower(b[i+1]), lower(b[i+2])
			i += 2
		}
	}
	return string(b)
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'F' {
		return c + 'a' - 'A'
	}
	return c
}

// base64Forms is s in base64, standard and URL alphabets, padded and not.
func base64Forms(s string) []string {
	b := []byte(s)
	return []string{
		base64.StdEncoding.EncodeToString(b),
		base64.RawStdEncoding.EncodeToString(b),
		base64.URLEncoding.EncodeToString(b),
		base64.RawURLEncoding.EncodeToString(b),
	}
}

// Scrub replaces every one of secrets (Forms of the password) with
// Redacted in every string reachable from v, which must be a pointer:
// struct fields, slice and array elements, map keys and values, values
// behind pointers and interfaces. It walks the value rather than its JSON
// text, so a short secret cannot break the report's structure. Unexported
// fields are left alone: they are not output.
//
// A string that was cut short (it ends with Ellipsis) and whose cut falls
// inside a secret keeps that secret's first bytes, which no whole form
// matches: a server that pads its error can choose where the cut falls.
// Such a tail, MinDerived bytes or more, is replaced too. Strings that were
// not cut are left their endings: a user name "mario.rossi" is not a
// password "mario.rossi1" cut short.
func Scrub(v interface{}, secrets []string) {
	s := newScrubber(secrets)
	if s == nil {
		return
	}
	w := walker{s: s, seen: map[visit]bool{}}
	w.walk(reflect.ValueOf(v))
}

// ScrubKeeping is Scrub, except that the strings keep points to come out
// as they went in: Mail Doctor's own words (a verdict, a finding's id and
// severity), which no server wrote, and which a password that happens to
// be one of them ("fail") must not turn into another verdict or an unknown
// finding. Such a password is in the report's own sentences anyway.
func ScrubKeeping(v interface{}, secrets []string, keep []*string) {
	saved := make([]string, len(keep))
	for i, p := range keep {
		saved[i] = *p
	}
	Scrub(v, secrets)
	for i, p := range keep {
		*p = saved[i]
	}
}

// String returns s scrubbed as Scrub scrubs every string.
func String(s string, secrets []string) string {
	if sc := newScrubber(secrets); sc != nil {
		return sc.scrub(s)
	}
	return s
}

type scrubber struct {
	r     *strings.Replacer
	forms []string
}

// scrub replaces the cut tail first, then every whole form in the rest:
// in the other order a shorter form inside the cut one (the user's base64
// begins the PLAIN payload's) would be replaced and leave the remainder
// of the cut one behind, no longer the beginning of anything.
func (sc *scrubber) scrub(s string) string {
	body := strings.TrimSuffix(s, Ellipsis)
	if body == s {
		return sc.r.Replace(s)
	}
	if n := sc.cutTail(body); n > 0 {
		return sc.r.Replace(body[:len(body)-n]) + Redacted + Ellipsis
	}
	return sc.r.Replace(s)
}

// cutTail is the length of the longest beginning of a form, MinDerived
// bytes or more, that body (a cut string without its Ellipsis) ends with.
func (sc *scrubber) cutTail(body string) int {
	if body == "" {
		return 0
	}
	last := body[len(body)-1]
	best := 0
	for _, f := range sc.forms {
		for k := len(f) - 1; k >= MinDerived && k > best; k-- {
			if k <= len(body) && f[k-1] == last && strings.HasSuffix(body, f[:k]) {
				best = k
				break
			}
		}
	}
	return best
}

// newScrubber replaces the longest secret first, so that a form that
// holds another (a literal holds the password) goes whole; nil for no
// secrets.
func newScrubber(secrets []string) *scrubber {
	var list []string
	seen := map[string]bool{}
	for _, s := range secrets {
		if s != "" && !seen[s] {
			seen[s] = true
			list = append(list, s)
		}
	}
	if len(list) == 0 {
		return nil
	}
	sort.Slice(list, func(i, j int) bool {
		if len(list[i]) != len(list[j]) {
			return len(list[i]) > len(list[j])
		}
		return list[i] < list[j]
	})
	pairs := make([]string, 0, 2*len(list))
	for _, s := range list {
		pairs = append(pairs, s, Redacted)
	}
	return &scrubber{r: strings.NewReplacer(pairs...), forms: list}
}

// visit is a pointer, map or slice already walked: a value reachable twice
// (or through a cycle) is scrubbed once.
type visit struct {
	ptr uintptr
	n   int
	typ reflect.Type
}

type walker struct {
	s    *scrubber
	seen map[visit]bool
}

func (w walker) once(v reflect.Value, n int) bool {
	k := visit{v.Pointer(), n, v.Type()}
	if w.seen[k] {
		return false
	}
	w.seen[k] = true
	return true
}

func (w walker) walk(v reflect.Value) {
	switch v.Kind() {
	case reflect.Ptr:
		if !v.IsNil() && w.once(v, 0) {
			w.walk(v.Elem())
		}
	case reflect.Interface:
		w.walkInterface(v)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if f := v.Field(i); f.CanSet() {
				w.walk(f)
			}
		}
	case reflect.Slice:
		if !v.IsNil() && w.once(v, v.Len()) {
			w.walkElems(v)
		}
	case reflect.Array:
		w.walkElems(v)
	case reflect.Map:
		if !v.IsNil() && w.once(v, 0) {
			w.walkMap(v)
		}
	case reflect.String:
		if v.CanSet() {
			v.SetString(w.s.scrub(v.String()))
		}
	}
}

func (w walker) walkElems(v reflect.Value) {
	for i := 0; i < v.Len(); i++ {
		w.walk(v.Index(i))
	}
}

// walkInterface scrubs what an interface holds. A value that is not a
// pointer cannot be changed in place, so a copy is scrubbed and put back.
func (w walker) walkInterface(v reflect.Value) {
	if v.IsNil() {
		return
	}
	e := v.Elem()
	if e.Kind() == reflect.Ptr || !v.CanSet() {
		w.walk(e)
		return
	}
	c := reflect.New(e.Type()).Elem()
	c.Set(e)
	w.walk(c)
	v.Set(c)
}

// walkMap rebuilds the map's entries, since map elements cannot be set in
// place.
func (w walker) walkMap(v reflect.Value) {
	iter := v.MapRange()
	type entry struct{ old, k, val reflect.Value }
	var entries []entry
	for iter.Next() {
		k := reflect.New(iter.Key().Type()).Elem()
		k.Set(iter.Key())
		val := reflect.New(iter.Value().Type()).Elem()
		val.Set(iter.Value())
		w.walk(k)
		w.walk(val)
		entries = append(entries, entry{iter.Key(), k, val})
	}
	for _, e := range entries {
		v.SetMapIndex(e.old, reflect.Value{})
	}
	for _, e := range entries {
		v.SetMapIndex(e.k, e.val)
	}
}
