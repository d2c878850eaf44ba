package pop3

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	// evidenceLimit bounds what of a server's text is kept in an error:
	// enough to recognise the software, short enough to show in a report.
	evidenceLimit = 200
	// maxCodeLength bounds an RFC 2449 response code; real ones are a few
	// words, so anything longer is ordinary text that starts with "[".
	maxCodeLength = 64
	// maxUIDLength is the RFC 1939 limit; enforcing it keeps the memory of a
	// huge UIDL listing proportional to the number of messages.
	maxUIDLength = 70
)

// ParseStatusLine splits a single-line reply into its status, its RFC 2449
// response code (without brackets, "" if none) and its text. It returns a
// *ProtocolError if the line starts with neither +OK nor -ERR.
func ParseStatusLine(line string) (ok bool, code, text string, err error) {
	var rest string
	switch {
	case hasStatus(line, "+OK"):
		ok, rest = true, line[len("+OK"):]
	case hasStatus(line, "-ERR"):
		rest = line[len("-ERR"):]
	default:
		return false, "", "", &ProtocolError{Got: evidence(line)}
	}
	code, text = splitCode(strings.Trim(rest, " \t"))
	return ok, code, text, nil
}

// hasStatus accepts the indicator in any case, since leniency here costs
// nothing, but not glued to further text such as "+OKAY".
func hasStatus(line, status string) bool {
	if len(line) < len(status) || !strings.EqualFold(line[:len(status)], status) {
		return false
	}
	return len(line) == len(status) || line[len(status)] == ' ' || line[len(status)] == '\t'
}

// splitCode treats a leading bracket that is not a valid response code as
// ordinary text, so a reply like "-ERR [oops" keeps all of its evidence.
func splitCode(s string) (code, text string) {
	if !strings.HasPrefix(s, "[") {
		return "", s
	}
	end := strings.IndexByte(s, ']')
	if end < 0 || !validCode(s[1:end]) {
		return "", s
	}
	return s[1:end], strings.TrimLeft(s[end+1:], " \t")
}

func validCode(code string) bool {
	if code == "" || len(code) > maxCodeLength {
		return false
	}
	for _, part := range strings.Split(code, "/") {
		if part == "" {
			return false
		}
		for i := 0; i < len(part); i++ {
			if part[i] <= ' ' || part[i] >= 0x7f || part[i] == '[' {
				return false
			}
		}
	}
	return true
}

// ParseStat parses the text of a +OK reply to STAT: the message count and
// the maildrop size in octets. Anything after them is ignored, as RFC 1939
// lets servers add it.
func ParseStat(text string) (int, int64, error) {
	fields := strings.Fields(text)
	if len(fields) < 2 {
		return 0, 0, fmt.Errorf("STAT reply lacks count and size: %w", &ProtocolError{Got: evidence(text)})
	}
	count, err := parseNumber(fields[0], strconv.IntSize)
	if err != nil {
		return 0, 0, fmt.Errorf("STAT message count: %w", err)
	}
	size, err := parseNumber(fields[1], 64)
	if err != nil {
		return 0, 0, fmt.Errorf("STAT maildrop size: %w", err)
	}
	return int(count), size, nil
}

// ParseUidlLine parses one line of a UIDL listing: a message number and
// its unique-id (1 to 70 printable ASCII characters, RFC 1939).
func ParseUidlLine(line string) (msg int, uid string, err error) {
	fields := strings.Fields(line)
	if len(fields) != 2 {
		return 0, "", fmt.Errorf("UIDL line is not a message number and an id: %w", &ProtocolError{Got: evidence(line)})
	}
	n, err := parseNumber(fields[0], strconv.IntSize)
	if err != nil {
		return 0, "", fmt.Errorf("UIDL message number: %w", err)
	}
	if n < 1 {
		return 0, "", fmt.Errorf("UIDL message number must be positive: %w", &ProtocolError{Got: evidence(line)})
	}
	if !validUID(fields[1]) {
		return 0, "", fmt.Errorf("UIDL unique-id is not 1-70 printable characters: %w", &ProtocolError{Got: evidence(line)})
	}
	return int(n), fields[1], nil
}

func validUID(uid string) bool {
	if uid == "" || len(uid) > maxUIDLength {
		return false
	}
	for i := 0; i < len(uid); i++ {
		if uid[i] < 0x21 || uid[i] > 0x7e {
			return false
		}
	}
	return true
}

// parseNumber accepts only plain decimal digits: strconv alone would also
// take a sign, and a negative count or size is as wrong as a word.
func parseNumber(s string, bits int) (int64, error) {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, &ProtocolError{Got: evidence(s)}
		}
	}
	n, err := strconv.ParseInt(s, 10, bits)
	if err != nil {
		return 0, fmt.Errorf("number out of range: %w", &ProtocolError{Got: evidence(s)})
	}
	return n, nil
}

// evidence makes server text safe to keep and show: bounded in size, valid
// UTF-8, and free of control and formatting characters that could garble a
// terminal or disguise text (such as bidirectional overrides).
func evidence(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r == utf8.RuneError && isInvalidAt(s, i) || !unicode.IsPrint(r) {
			r = '?'
		}
		if b.Len()+utf8.RuneLen(r) > evidenceLimit {
			b.WriteString("...")
			break
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isInvalidAt tells a decoding error apart from a literal U+FFFD.
func isInvalidAt(s string, i int) bool {
	_, size := utf8.DecodeRuneInString(s[i:])
	return size <= 1
}

// redactedMark stands in for a secret in server text.
const redactedMark = "[redacted]"

// redact hides secrets a hostile or careless server echoes back, so they
// cannot leak into errors, logs or reports. It repeats until none is left,
// because removing one occurrence can join the text around it into another.
func redact(s string, secrets []string) string {
	for _, secret := range secrets {
		if secret == "" {
			continue
		}
		mark := redactedMark
		if strings.Contains(mark, secret) {
			mark = ""
		}
		s = strings.ReplaceAll(s, secret, mark)
		for strings.Contains(s, secret) {
			s = strings.ReplaceAll(s, secret, "")
		}
	}
	return s
}

// safeEvidence is evidence with secrets removed both before truncation, so
// no fragment survives, and after it, since replacing unprintable
// characters with '?' could spell a secret again.
func safeEvidence(s string, secrets []string) string {
	return redact(evidence(redact(s, secrets)), secrets)
}
