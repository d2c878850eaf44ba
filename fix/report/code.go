package report

import (
	"bytes"
	"compress/flate"
	"encoding/base32"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"strconv"
	"strings"
	"unicode"

	"maildoctor.app/maildoctor/detect/finding"
)

// A support code is "MD1-" followed by the RFC 4648 base32 form (upper
// case, no padding) of:
//
//	uvarint(n) | n bytes of raw DEFLATE of the report's JSON | CRC-32 (IEEE, big-endian) of all before it
//
// Base32 has no punctuation, so a double click or a mail program's line
// wrapping does not cut the code, and a code read aloud or retyped in
// lower case still decodes. The length up front tells a cut-off code
// ("incomplete") from a damaged one ("does not check out").
const (
	// CodePrefix starts every code of this format; the digit is the
	// format version.
	CodePrefix = "MD1-"
	// MaxCodeLen is the longest code Decode reads: a report with six
	// endpoints and a few mail programs makes a code of a few kilobytes.
	MaxCodeLen = 64 << 10
	// MaxReportSize caps a decoded report's JSON, so a small code cannot
	// expand into a huge one (DEFLATE reaches about 1000:1).
	MaxReportSize = 1 << 20
)

var codeEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// CodeError is a support code that cannot be read. Key and Args render
// the reason in the reader's language (see Text); Error gives it in
// English, in one sentence.
type CodeError struct {
	Key  string
	Args map[string]string
	msg  string
}

func (e *CodeError) Error() string { return "support code: " + e.msg }

// Text renders the reason with tr.
func (e *CodeError) Text(tr finding.Translator) string { return tr.T(e.Key, e.Args) }

func codeErr(key, msg string, kv ...string) error {
	return &CodeError{Key: "report.code." + key, msg: msg, Args: finding.Args(kv...)}
}

// Code returns the report's support code.
func (r *Report) Code() (string, error) {
	data, err := json.Marshal(r)
	if err != nil {
		return "", fmt.Errorf("encoding the report: %w", err)
	}
	var z bytes.Buffer
	w, err := flate.NewWriter(&z, flate.BestCompression)
	if err != nil {
		return "", fmt.Errorf("compressing the report: %w", err)
	}
	if _, err := w.Write(data); err != nil {
		return "", fmt.Errorf("compressing the report: %w", err)
	}
	if err := w.Close(); err != nil {
		return "", fmt.Errorf("compressing the report: %w", err)
	}
	bin := binary.AppendUvarint(nil, uint64(z.Len()))
	bin = append(bin, z.Bytes()...)
	bin = binary.BigEndian.AppendUint32(bin, crc32.ChecksumIEEE(bin))
	code := CodePrefix + codeEncoding.EncodeToString(bin)
	if len(code) > MaxCodeLen {
		return "", fmt.Errorf("the report makes a %d-character code, more than the %d allowed", len(code), MaxCodeLen)
	}
	return code, nil
}

// Decode reads a support code back into its report. Spaces and line breaks
// anywhere in the code are ignored, and so is letter case. Every way a
// code can be wrong is a *CodeError with one sentence.
func Decode(code string) (*Report, error) {
	if len(code) > 2*MaxCodeLen {
		return nil, tooLong(len(code))
	}
	code = strings.ToUpper(stripSpace(code))
	if len(code) > MaxCodeLen {
		return nil, tooLong(len(code))
	}
	body, err := stripPrefix(code)
	if err != nil {
		return nil, err
	}
	bin, err := decodeBody(body)
	if err != nil {
		return nil, err
	}
	payload, err := checkFrame(bin, len(body))
	if err != nil {
		return nil, err
	}
	data, err := inflate(payload)
	if err != nil {
		return nil, err
	}
	var rep Report
	if err := json.Unmarshal(data, &rep); err != nil {
		return nil, codeErr("not_report", "its content is not a Mail Doctor report")
	}
	rep.dropNil()
	if rep.Format < 1 {
		return nil, codeErr("not_report", "its content is not a Mail Doctor report")
	}
	if rep.Format != Format {
		return nil, codeErr("format", fmt.Sprintf("it holds a report of format %d; this Mail Doctor reads format %d, update it", rep.Format, Format),
			"format", strconv.Itoa(rep.Format))
	}
	return &rep, nil
}

// dropNil removes the null endpoints JSON may hold, which no report made
// by Mail Doctor has.
func (r *Report) dropNil() {
	if r.Check == nil {
		return
	}
	eps := r.Check.Endpoints[:0]
	for _, e := range r.Check.Endpoints {
		if e != nil {
			eps = append(eps, e)
		}
	}
	r.Check.Endpoints = eps
}

func tooLong(n int) error {
	return codeErr("too_long", fmt.Sprintf("it is longer than any Mail Doctor code (%d characters)", n), "length", strconv.Itoa(n))
}

func stripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// stripPrefix checks the "MD<version>-" prefix: another version is named,
// so the agent knows to update rather than to ask for the code again.
func stripPrefix(code string) (string, error) {
	if strings.HasPrefix(code, CodePrefix) {
		return code[len(CodePrefix):], nil
	}
	if strings.HasPrefix(code, "MD") {
		if i := strings.IndexByte(code, '-'); i > 2 && i <= 6 && isDigits(code[2:i]) {
			return "", codeErr("version", fmt.Sprintf("it is a version %s code; this Mail Doctor reads version 1 codes, update it", code[2:i]),
				"version", code[2:i])
		}
	}
	return "", codeErr("not_code", "it is not a Mail Doctor support code (those start with "+CodePrefix+")", "prefix", CodePrefix)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// decodeBody decodes the base32 text. A cut-off code often ends in a
// length no base32 text has; the whole characters before it are decoded,
// so that the length check below can say "incomplete".
func decodeBody(body string) ([]byte, error) {
	switch len(body) % 8 {
	case 1, 3, 6:
		body = body[:len(body)-1]
		if len(body)%8 == 5 {
			body = body[:len(body)-1]
		}
	}
	bin, err := codeEncoding.DecodeString(body)
	if err != nil {
		return nil, codeErr("characters", "it holds characters a code never has; copy it again, all of it")
	}
	return bin, nil
}

// checkFrame checks the length and the checksum and returns the DEFLATE
// bytes. typed is how many base32 characters were given.
func checkFrame(bin []byte, typed int) ([]byte, error) {
	n, used := binary.Uvarint(bin)
	if used <= 0 {
		return nil, codeErr("incomplete", "it is incomplete; copy it again, all of it")
	}
	if n > MaxCodeLen {
		return nil, codeErr("damaged", "it is damaged; copy it again, all of it")
	}
	want := used + int(n) + 4
	switch full := codeEncoding.EncodedLen(want); {
	case typed < full:
		have, want := strconv.Itoa(len(CodePrefix)+typed), strconv.Itoa(len(CodePrefix)+full)
		return nil, codeErr("incomplete", "it is incomplete: it has "+have+" characters of "+want+"; copy it again, all of it",
			"have", have, "want", want)
	case typed > full:
		return nil, codeErr("extra", fmt.Sprintf("it has %d characters more than it should; copy only the code", typed-full),
			"extra", strconv.Itoa(typed-full))
	}
	body, sum := bin[:want-4], binary.BigEndian.Uint32(bin[want-4:want])
	if crc32.ChecksumIEEE(body) != sum {
		return nil, codeErr("damaged", "it is damaged (its checksum does not match); copy it again, all of it")
	}
	return body[used:], nil
}

// inflate decompresses at most MaxReportSize bytes and refuses more.
func inflate(payload []byte) ([]byte, error) {
	r := flate.NewReader(bytes.NewReader(payload))
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, MaxReportSize+1))
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, codeErr("not_report", "its content cannot be unpacked")
	}
	if err != nil {
		return nil, codeErr("not_report", "its content is cut short")
	}
	if len(data) > MaxReportSize {
		return nil, codeErr("too_big", fmt.Sprintf("it unpacks to more than %d bytes, more than any report", MaxReportSize))
	}
	return data, nil
}
