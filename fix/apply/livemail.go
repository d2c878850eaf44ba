package apply

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/clients/outlook"
	"maildoctor.app/maildoctor/detect/server"
)

// Windows Live Mail keeps each account in an .oeaccount XML file
// (detect/clients/outlook ParseOEAccount): <IMAP_Port type="DWORD">
// 000003e1</IMAP_Port> and the like, DWORDs as 8 hex digits, only the
// values that differ from the defaults. The change sets
//
//	IMAP_Port / POP3_Port                    993 / 995
//	IMAP_Secure_Connection / POP3_…          1
//	SMTP_Port                                465
//	SMTP_Secure_Connection                   1 (SSL on 465)
//	IMAP_Server / POP3_Server / SMTP_Server  the plan's host, only when it differs
//
// in place: only the text of those elements changes, a missing one is
// added on its own line before </MessageAccount> with the file's
// indentation and line ends, and the file keeps its encoding (UTF-16LE or
// BE with a byte-order mark, UTF-8 with or without one) and every other
// byte. WLM rewrites the files while it runs, so only while wlmail.exe is
// closed.
var liveMailProcs = []string{"wlmail.exe"}

type oeEditor struct {
	account clients.Account
	target  target
}

type oeEncoding int

const (
	oeUTF8 oeEncoding = iota
	oeUTF8BOM
	oeUTF16LE
	oeUTF16BE
)

func oeDecode(data []byte) (string, oeEncoding, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}), bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		if len(data)%2 != 0 {
			return "", 0, fmt.Errorf("%w (odd length for UTF-16)", ErrDamaged)
		}
		be := data[0] == 0xfe
		u := make([]uint16, (len(data)-2)/2)
		for i := range u {
			a, b := data[2+2*i], data[3+2*i]
			if be {
				u[i] = uint16(a)<<8 | uint16(b)
			} else {
				u[i] = uint16(a) | uint16(b)<<8
			}
		}
		s := string(utf16.Decode(u))
		enc := oeUTF16LE
		if be {
			enc = oeUTF16BE
		}
		if !bytes.Equal(oeEncode(s, enc), data) {
			return "", 0, fmt.Errorf("%w (the UTF-16 text does not convert back exactly)", ErrDamaged)
		}
		return s, enc, nil
	case bytes.HasPrefix(data, []byte{0xef, 0xbb, 0xbf}):
		return string(data[3:]), oeUTF8BOM, nil
	}
	return string(data), oeUTF8, nil
}

func oeEncode(s string, enc oeEncoding) []byte {
	switch enc {
	case oeUTF8BOM:
		return append([]byte{0xef, 0xbb, 0xbf}, s...)
	case oeUTF16LE, oeUTF16BE:
		u := utf16.Encode([]rune(s))
		out := make([]byte, 2, 2+2*len(u))
		out[0], out[1] = 0xff, 0xfe
		if enc == oeUTF16BE {
			out[0], out[1] = 0xfe, 0xff
		}
		for _, c := range u {
			if enc == oeUTF16BE {
				out = append(out, byte(c>>8), byte(c))
			} else {
				out = append(out, byte(c), byte(c>>8))
			}
		}
		return out
	}
	return []byte(s)
}

type oeWant struct {
	name, text string
	dword      bool
}

func (e *oeEditor) wants() ([]oeWant, error) {
	var out []oeWant
	add := func(s *clients.Server, want *server.Endpoint, prefix string) error {
		if s == nil || want == nil {
			return nil
		}
		if s.Protocol != want.Protocol {
			return fmt.Errorf("the account uses %s, the plan sets %s", s.Protocol, want.Protocol)
		}
		if want.Security != server.TLS || want.Port <= 0 || want.Port > 65535 {
			return fmt.Errorf("%w (the plan asks for %s on port %d)", ErrNotAutomatic, want.Security, want.Port)
		}
		if want.Host != "" && !strings.EqualFold(want.Host, s.Host) {
			out = append(out, oeWant{name: prefix + "_Server", text: want.Host})
		}
		out = append(out, oeWant{name: prefix + "_Port", text: fmt.Sprintf("%08x", want.Port), dword: true},
			oeWant{name: prefix + "_Secure_Connection", text: "00000001", dword: true})
		return nil
	}
	if in := e.account.Incoming; in != nil {
		if err := add(in, e.target.incoming, in.Protocol.Name()); err != nil {
			return nil, err
		}
	}
	if err := add(e.account.Outgoing, e.target.outgoing, "SMTP"); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, ErrNotAutomatic
	}
	return out, nil
}

func oeElement(name string) *regexp.Regexp {
	return regexp.MustCompile(`<` + regexp.QuoteMeta(name) + `(\s[^<>]*)?>([^<]*)</` + regexp.QuoteMeta(name) + `\s*>`)
}

func xmlText(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func (e *oeEditor) edit(data []byte) ([]byte, []Change, error) {
	wants, err := e.wants()
	if err != nil {
		return nil, nil, err
	}
	text, enc, err := oeDecode(data)
	if err != nil {
		return nil, nil, err
	}
	a, err := outlook.ParseOEAccount(data)
	if err != nil {
		return nil, nil, fmt.Errorf("%w (%v)", ErrDamaged, err)
	}
	if !strings.EqualFold(a.Email, e.account.Email) {
		return nil, nil, fmt.Errorf("the file holds %q now, not %q: %w", a.Email, e.account.Email, ErrNotAutomatic)
	}
	end := strings.LastIndex(text, "</MessageAccount>")
	if end < 0 || strings.Count(text, "</MessageAccount>") != 1 {
		return nil, nil, fmt.Errorf("%w (no single </MessageAccount>)", ErrDamaged)
	}
	var changes []Change
	for _, w := range wants {
		re := oeElement(w.name)
		locs := re.FindAllStringSubmatchIndex(text, -1)
		if len(locs) > 1 {
			return nil, nil, fmt.Errorf("%w (%s appears %d times)", ErrDamaged, w.name, len(locs))
		}
		if len(locs) == 1 {
			l := locs[0]
			cur := text[l[4]:l[5]]
			if w.dword {
				n, err := strconv.ParseUint(strings.TrimSpace(cur), 16, 32)
				if want, _ := strconv.ParseUint(w.text, 16, 32); err == nil && n == want {
					continue
				}
			} else if strings.EqualFold(strings.TrimSpace(cur), w.text) {
				continue
			}
			text = text[:l[4]] + xmlText(w.text) + text[l[5]:]
			changes = append(changes, Change{Key: w.name, From: cur, To: w.text})
			continue
		}
		if !w.dword {
			continue // the server name is always written by WLM
		}
		// Insert before the line of </MessageAccount>, indented like the
		// other elements, with the file's line ending.
		end = strings.LastIndex(text, "</MessageAccount>")
		lineStart := strings.LastIndexByte(text[:end], '\n') + 1
		eol := "\n"
		if lineStart >= 2 && text[lineStart-2] == '\r' {
			eol = "\r\n"
		}
		indent := "\t"
		if m := regexp.MustCompile(`\n([ \t]*)<[A-Za-z]`).FindStringSubmatch(text[:end]); m != nil && len(m[1]) > 0 {
			indent = m[1]
		}
		ins := indent + `<` + w.name + ` type="DWORD">` + w.text + `</` + w.name + `>` + eol
		if strings.TrimSpace(text[lineStart:end]) != "" {
			// </MessageAccount> shares its line: add the element there.
			ins = `<` + w.name + ` type="DWORD">` + w.text + `</` + w.name + `>`
			lineStart = end
		}
		text = text[:lineStart] + ins + text[lineStart:]
		changes = append(changes, Change{Key: w.name, To: w.text})
	}
	if len(changes) == 0 {
		return data, nil, nil
	}
	return oeEncode(text, enc), changes, nil
}

// verify reads the file back as the detector does (the account has the
// new ports and SSL/TLS) and checks that, without the changed elements,
// the text is the same as before.
func (e *oeEditor) verify(orig, got []byte, changes []Change) error {
	a, err := outlook.ParseOEAccount(got)
	if err != nil {
		return err
	}
	check := func(s *clients.Server, want *server.Endpoint) error {
		if want == nil {
			return nil
		}
		if s == nil || s.Port != want.Port || s.Security != server.TLS {
			return fmt.Errorf("the file reads %+v after the change", s)
		}
		return nil
	}
	if err := check(a.Incoming, e.target.incoming); err != nil {
		return err
	}
	if err := check(a.Outgoing, e.target.outgoing); err != nil {
		return err
	}
	ot, oenc, err := oeDecode(orig)
	if err != nil {
		return err
	}
	gt, genc, err := oeDecode(got)
	if err != nil {
		return err
	}
	if oenc != genc {
		return fmt.Errorf("the encoding changed")
	}
	strip := func(s string) string {
		for _, c := range changes {
			s = oeElement(c.Key).ReplaceAllString(s, "")
		}
		return regexp.MustCompile(`>[ \t\r\n]+<`).ReplaceAllString(s, "><")
	}
	if strip(ot) != strip(gt) {
		return fmt.Errorf("more than the intended elements changed")
	}
	return nil
}
