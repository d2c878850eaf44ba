package report

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"reflect"
	"strings"
	"testing"
	"time"
)

func sampleCode(t testing.TB) (*Report, string) {
	t.Helper()
	rep, err := Build(Input{App: "1.2.3", Lang: "it", Check: leakyCheck("x"), Computer: sampleComputer(),
		Now: time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	code, err := rep.Code()
	if err != nil {
		t.Fatal(err)
	}
	return rep, code
}

// frame builds a code from raw bytes with a right length and checksum, to
// reach the checks behind them.
func frame(payload []byte) string {
	bin := binary.AppendUvarint(nil, uint64(len(payload)))
	bin = append(bin, payload...)
	bin = binary.BigEndian.AppendUint32(bin, crc32.ChecksumIEEE(bin))
	return CodePrefix + codeEncoding.EncodeToString(bin)
}

func deflate(t testing.TB, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w, _ := flate.NewWriter(&b, flate.BestCompression)
	w.Write(data)
	w.Close()
	return b.Bytes()
}

func flip(code string, i int) string {
	c := code[i]
	r := byte('A')
	if c == 'A' {
		r = 'B'
	}
	return code[:i] + string(r) + code[i+1:]
}

type decodeCase struct {
	name    string
	code    string
	wantKey string
}

func decodeCases(t testing.TB) []decodeCase {
	_, code := sampleCode(t)
	body := code[len(CodePrefix):]
	bomb := deflate(t, bytes.Repeat([]byte(" "), MaxReportSize+10))
	return []decodeCase{
		{"the code", code, ""},
		{"lower case", strings.ToLower(code), ""},
		{"wrapped by a mail program", code[:70] + "\r\n" + code[70:140] + " \n " + code[140:], ""},
		{"empty", "", "report.code.not_code"},
		{"garbage", "hello, world", "report.code.not_code"},
		{"a link instead", "maildoctor://open?email=a@example.it", "report.code.not_code"},
		{"version 2", "MD2-" + body, "report.code.version"},
		{"version 10", "md10-" + body, "report.code.version"},
		{"prefix only", CodePrefix, "report.code.incomplete"},
		{"truncated by one", code[:len(code)-1], "report.code.incomplete"},
		{"truncated by half", code[:len(code)/2], "report.code.incomplete"},
		{"truncated to the length byte", code[:len(CodePrefix)+3], "report.code.incomplete"},
		{"one character more", code + "A", "report.code.extra"},
		{"two codes pasted", code + body, "report.code.extra"},
		{"one character changed", flip(code, len(code)/2), "report.code.damaged"},
		{"checksum changed", flip(code, len(code)-2), "report.code.damaged"},
		{"punctuation", code[:50] + "!" + code[51:], "report.code.characters"},
		{"base32 padding", code + "======", "report.code.characters"},
		{"oversized", CodePrefix + strings.Repeat("A", MaxCodeLen), "report.code.too_long"},
		{"oversized with spaces", strings.Repeat(" ", 2*MaxCodeLen+1), "report.code.too_long"},
		{"huge length claimed", CodePrefix + codeEncoding.EncodeToString(binary.AppendUvarint(nil, 1<<40)), "report.code.damaged"},
		{"not DEFLATE", frame([]byte("not deflate at all")), "report.code.not_report"},
		{"not JSON", frame(deflate(t, []byte("hello"))), "report.code.not_report"},
		{"JSON but not a report", frame(deflate(t, []byte(`[1,2,3]`))), "report.code.not_report"},
		{"future format", frame(deflate(t, []byte(`{"format":2}`))), "report.code.format"},
		{"no format", frame(deflate(t, []byte(`{"app_version":"x"}`))), "report.code.not_report"},
		{"decompression bomb", frame(bomb), "report.code.too_big"},
		{"cut DEFLATE stream", frame(deflate(t, []byte(`{"format":1,"app_version":"`+strings.Repeat("x", 500)+`"}`))[:20]), "report.code.not_report"},
	}
}

func TestDecode(t *testing.T) {
	want, _ := sampleCode(t)
	for _, tt := range decodeCases(t) {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode(tt.code)
			if tt.wantKey == "" {
				if err != nil || !reflect.DeepEqual(got, want) {
					t.Fatalf("Decode() = %+v, %v; want the report back", got, err)
				}
				return
			}
			var ce *CodeError
			if !errors.As(err, &ce) || ce.Key != tt.wantKey {
				t.Fatalf("Decode() error = %v, want %s", err, tt.wantKey)
			}
			if got != nil {
				t.Error("a report returned with an error")
			}
			if msg := err.Error(); strings.Contains(msg, "\n") || len(msg) > 200 {
				t.Errorf("error %q is not one short line", msg)
			}
		})
	}
}

// Every reason has a text in both languages, with its arguments filled.
func TestCodeErrorsTranslated(t *testing.T) {
	for lang, tr := range translators(t) {
		for _, tt := range decodeCases(t) {
			if tt.wantKey == "" {
				continue
			}
			var ce *CodeError
			if _, err := Decode(tt.code); errors.As(err, &ce) {
				text := ce.Text(tr)
				if text == ce.Key || strings.Contains(text, "{{") {
					t.Errorf("%s %s: %q", lang, tt.name, text)
				}
			}
		}
	}
}

// A report too large for a code is refused when encoding, not sent out
// to fail at the agent's end.
func TestCodeTooLarge(t *testing.T) {
	var timings []Timing
	for i := 0; i < 20000; i++ {
		timings = append(timings, Timing{Name: strings.Repeat(string(rune('a'+i%26)), i%7) + time.Duration(i).String(), MS: int64(i * 7919)})
	}
	rep, err := Build(Input{Timings: timings})
	if err != nil {
		t.Fatal(err)
	}
	if code, err := rep.Code(); err == nil {
		t.Errorf("Code() made %d characters", len(code))
	}
}

func FuzzDecode(f *testing.F) {
	for _, tt := range decodeCases(f) {
		if len(tt.code) < 10000 {
			f.Add(tt.code)
		}
	}
	f.Fuzz(func(t *testing.T, code string) {
		rep, err := Decode(code)
		if err != nil {
			var ce *CodeError
			if !errors.As(err, &ce) || rep != nil || strings.Contains(err.Error(), "\n") {
				t.Fatalf("Decode() = %v, %v: not one clear CodeError", rep, err)
			}
			return
		}
		// What decodes encodes again to a code that decodes the same.
		again, err := rep.Code()
		if err != nil {
			t.Fatal(err)
		}
		back, err := Decode(again)
		if err != nil || !reflect.DeepEqual(back, rep) {
			t.Fatalf("re-encoded code decodes to %+v, %v", back, err)
		}
	})
}

// FuzzDecodeContent reaches behind the checksum: the fuzzer's bytes are
// framed as a valid code, so inflating and reading the report is what
// gets exercised.
func FuzzDecodeContent(f *testing.F) {
	rep, _ := sampleCode(f)
	f.Add(deflate(f, []byte(mustJSON(f, rep))), false)
	f.Add([]byte(`{"format":1,"check":{"endpoints":[null,{}],"findings":[{"args":{"a":"b"}}]}}`), true)
	f.Add([]byte(`{"format":1,"computer":{"os":{"tls":{"1.0":"x"}},"clients":[{"accounts":[{}]}]}}`), true)
	f.Fuzz(func(t *testing.T, data []byte, compress bool) {
		if compress {
			data = deflate(t, data)
		}
		rep, err := Decode(frame(data))
		if err != nil {
			var ce *CodeError
			if !errors.As(err, &ce) || rep != nil {
				t.Fatalf("Decode() = %v, %v: not a CodeError", rep, err)
			}
			return
		}
		// Whatever decodes can be shown.
		for _, tr := range translators(t) {
			var b bytes.Buffer
			if err := Render(&b, rep, tr); err != nil {
				t.Fatal(err)
			}
			if err := WriteJSON(&b, rep, tr); err != nil {
				t.Fatal(err)
			}
		}
	})
}
