package pop3

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

var statusLineCases = []struct {
	line     string
	ok       bool
	code     string
	text     string
	protoErr bool
}{
	{line: "+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>", ok: true, text: "POP3 server ready <1896.697170952@dbc.mtview.ca.us>"},
	{line: "+OK", ok: true},
	{line: "+ok lower case", ok: true, text: "lower case"},
	{line: "+OK\tafter tab  ", ok: true, text: "after tab"},
	{line: "-ERR [AUTH] Authentication failed.", code: "AUTH", text: "Authentication failed."},
	{line: "-ERR [SYS/TEMP] try later", code: "SYS/TEMP", text: "try later"},
	{line: "-ERR [IN-USE]", code: "IN-USE"},
	{line: "-ERR", text: ""},
	{line: "-ERR no such message", text: "no such message"},
	{line: "-ERR [not a code] text", text: "[not a code] text"},
	{line: "-ERR [unterminated", text: "[unterminated"},
	{line: "-ERR [] empty", text: "[] empty"},
	{line: "-ERR [SYS//TEMP] x", text: "[SYS//TEMP] x"},
	{line: "-ERR [" + strings.Repeat("A", 65) + "] long", text: "[" + strings.Repeat("A", 65) + "] long"},
	{line: "+OKAY", protoErr: true},
	{line: "-ERROR", protoErr: true},
	{line: "", protoErr: true},
	{line: "HTTP/1.1 400 Bad Request", protoErr: true},
	{line: "* OK IMAP4rev1 ready", protoErr: true},
	{line: "220 smtp.example.com ESMTP", protoErr: true},
	{line: "\x00\xff\xfe garbage", protoErr: true},
}

func TestParseStatusLine(t *testing.T) {
	for _, tc := range statusLineCases {
		ok, code, text, err := ParseStatusLine(tc.line)
		if tc.protoErr {
			var pe *ProtocolError
			if !errors.As(err, &pe) {
				t.Errorf("ParseStatusLine(%q) error = %v, want *ProtocolError", tc.line, err)
			}
			continue
		}
		if err != nil || ok != tc.ok || code != tc.code || text != tc.text {
			t.Errorf("ParseStatusLine(%q) = %v, %q, %q, %v; want %v, %q, %q, nil",
				tc.line, ok, code, text, err, tc.ok, tc.code, tc.text)
		}
	}
}

var statCases = []struct {
	text  string
	count int
	size  int64
	bad   bool
}{
	{text: "2 320", count: 2, size: 320},
	{text: "0 0", count: 0, size: 0},
	{text: "  3   1000  ", count: 3, size: 1000},
	{text: "1 200 extra info", count: 1, size: 200},
	{text: "5 9223372036854775807", count: 5, size: 9223372036854775807},
	{text: "5 9223372036854775808", bad: true},
	{text: "99999999999999999999999 1", bad: true},
	{text: "-1 20", bad: true},
	{text: "1 -20", bad: true},
	{text: "+1 20", bad: true},
	{text: "1", bad: true},
	{text: "", bad: true},
	{text: "two 320", bad: true},
	{text: "2 3.5", bad: true},
}

func TestParseStat(t *testing.T) {
	for _, tc := range statCases {
		count, size, err := ParseStat(tc.text)
		if tc.bad {
			var pe *ProtocolError
			if !errors.As(err, &pe) {
				t.Errorf("ParseStat(%q) error = %v, want a *ProtocolError", tc.text, err)
			}
			continue
		}
		if err != nil || count != tc.count || size != tc.size {
			t.Errorf("ParseStat(%q) = %d, %d, %v; want %d, %d, nil", tc.text, count, size, err, tc.count, tc.size)
		}
	}
}

var uidlCases = []struct {
	line string
	msg  int
	uid  string
	bad  bool
}{
	{line: "1 whqtswO00WBw418f9t5JxYwZ", msg: 1, uid: "whqtswO00WBw418f9t5JxYwZ"},
	{line: "2 QhdPYR:00WBw1Ph7x7", msg: 2, uid: "QhdPYR:00WBw1Ph7x7"},
	{line: "10  spaced ", msg: 10, uid: "spaced"},
	{line: "3 " + strings.Repeat("u", 70), msg: 3, uid: strings.Repeat("u", 70)},
	{line: "3 " + strings.Repeat("u", 71), bad: true},
	{line: "0 zero", bad: true},
	{line: "-1 neg", bad: true},
	{line: "99999999999999999999999 huge", bad: true},
	{line: "1", bad: true},
	{line: "", bad: true},
	{line: "1 two words", bad: true},
	{line: "x uid", bad: true},
	{line: "1 uid\x7f", bad: true},
	{line: "1 \xffuid", bad: true},
}

func TestParseUidlLine(t *testing.T) {
	for _, tc := range uidlCases {
		msg, uid, err := ParseUidlLine(tc.line)
		if tc.bad {
			var pe *ProtocolError
			if !errors.As(err, &pe) {
				t.Errorf("ParseUidlLine(%q) error = %v, want a *ProtocolError", tc.line, err)
			}
			continue
		}
		if err != nil || msg != tc.msg || uid != tc.uid {
			t.Errorf("ParseUidlLine(%q) = %d, %q, %v; want %d, %q, nil", tc.line, msg, uid, err, tc.msg, tc.uid)
		}
	}
}

func TestEvidence(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"tab\there\r", "tab?here?"},
		{"bidi \u202e override", "bidi ? override"},
		{"bad \xff byte", "bad ? byte"},
		{"grüße", "grüße"},
		{"real \ufffd stays", "real \ufffd stays"},
	}
	for _, tc := range cases {
		if got := evidence(tc.in); got != tc.want {
			t.Errorf("evidence(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	long := evidence(strings.Repeat("ü", 1000))
	if len(long) > evidenceLimit+len("...") || !strings.HasSuffix(long, "...") || !utf8.ValidString(long) {
		t.Errorf("evidence of a long string = %d bytes %q, want at most %d bytes ending in ...", len(long), long, evidenceLimit+3)
	}
}

func TestHasCapability(t *testing.T) {
	caps := []string{"TOP", "SASL PLAIN LOGIN", "stls", "IMPLEMENTATION Dovecot"}
	for name, want := range map[string]bool{"STLS": true, "sasl": true, "PLAIN": false, "UIDL": false, "": false} {
		if got := HasCapability(caps, name); got != want {
			t.Errorf("HasCapability(%q) = %v, want %v", name, got, want)
		}
	}
	if HasCapability([]string{"", "   "}, "") {
		t.Error("HasCapability matched an empty line")
	}
}

func FuzzParseStatusLine(f *testing.F) {
	for _, tc := range statusLineCases {
		f.Add(tc.line)
	}
	f.Fuzz(func(t *testing.T, line string) {
		ok, code, text, err := ParseStatusLine(line)
		if err != nil {
			var pe *ProtocolError
			if !errors.As(err, &pe) || len(pe.Got) > evidenceLimit+3 {
				t.Fatalf("bad error %v", err)
			}
			return
		}
		if ok != (line[0] == '+') {
			t.Fatalf("ok = %v for %q", ok, line)
		}
		if code != "" && !validCode(code) {
			t.Fatalf("invalid code %q from %q", code, line)
		}
		if !strings.Contains(line, text) {
			t.Fatalf("text %q not in line %q", text, line)
		}
	})
}

func FuzzParseStat(f *testing.F) {
	for _, tc := range statCases {
		f.Add(tc.text)
	}
	f.Fuzz(func(t *testing.T, text string) {
		count, size, err := ParseStat(text)
		if err == nil && (count < 0 || size < 0) {
			t.Fatalf("ParseStat(%q) = %d, %d: negative", text, count, size)
		}
	})
}

func FuzzParseUidlLine(f *testing.F) {
	for _, tc := range uidlCases {
		f.Add(tc.line)
	}
	f.Fuzz(func(t *testing.T, line string) {
		msg, uid, err := ParseUidlLine(line)
		if err != nil {
			return
		}
		if msg < 1 || !validUID(uid) {
			t.Fatalf("ParseUidlLine(%q) = %d, %q: accepted invalid values", line, msg, uid)
		}
	})
}

func TestSafeEvidenceHidesSecrets(t *testing.T) {
	cases := []struct {
		in, secret string
	}{
		{"echo hunter2 back", "hunter2"},
		{"hunhunter22ter2", "hunter2"},  // removal joins the rest into the secret again
		{"x d]xx", "d]x"},               // the mark plus its neighbour spells the secret
		{"a red herring", "red"},        // the secret is inside the mark itself
		{"pass a\x01b here", "a?b"},     // making it printable spells the secret
		{strings.Repeat("s", 500), "s"}, // nothing but the secret
	}
	for _, tc := range cases {
		got := safeEvidence(tc.in, []string{tc.secret})
		if strings.Contains(got, tc.secret) {
			t.Errorf("safeEvidence(%q, %q) = %q, still holds the secret", tc.in, tc.secret, got)
		}
	}
	if got := redact("keep all", []string{""}); got != "keep all" {
		t.Errorf("an empty secret changed the text to %q", got)
	}
}
