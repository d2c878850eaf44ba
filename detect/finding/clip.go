package finding

import "unicode/utf8"

// MaxEvidence bounds a finding's evidence, in bytes: it is a technical
// fact shown folded on a card and carried in support codes, and its text
// often comes from a server (an error, a certificate's names), so a
// hostile server must not be able to make it as large as it likes.
const MaxEvidence = 512

// Ellipsis ends a string Clip had to shorten.
const Ellipsis = "…"

// Clip returns s if it is at most max bytes long, else its longest prefix
// that ends on a UTF-8 character boundary and, with Ellipsis appended,
// fits in max bytes. Invalid UTF-8 in the kept part stays as it is.
func Clip(s string, max int) string {
	if len(s) <= max {
		return s
	}
	n := max - len(Ellipsis)
	if n <= 0 {
		return ""
	}
	for i := 1; i < utf8.UTFMax && n > 0 && !utf8.RuneStart(s[n]); i++ {
		n--
	}
	return s[:n] + Ellipsis
}
