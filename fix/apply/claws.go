package apply

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"maildoctor.app/maildoctor/detect/clients/inifile"
	"maildoctor.app/maildoctor/detect/server"
)

// Claws Mail's SSLType (src/common/ssl.h): 0 none, 1 SSL/TLS tunnel
// (implicit TLS), 2 STARTTLS. A port is used only when set_<proto>port is
// 1; otherwise Claws takes 143/110/25, or 993/995/465 with SSL_TUNNEL
// (detection.md §5.6), so Mail Doctor sets the port explicitly.
const clawsTunnel = "1"

// accountrcEditor changes one [Account: N] section of accountrc, the one
// whose address= is the e-mail, line by line: a key's value is replaced
// in place, a missing key is added at the end of the section.
type accountrcEditor struct {
	email  string
	target target
}

// rcLine is one line of the file with where its value starts.
type rcLine struct {
	start, end int // the line without its ending
	key        string
	valStart   int
	section    string
}

func scanLines(data []byte) []rcLine {
	var out []rcLine
	section := ""
	for pos := 0; pos < len(data); {
		end := bytes.IndexByte(data[pos:], '\n')
		next := len(data)
		if end < 0 {
			end = len(data)
		} else {
			end += pos
			next = end + 1
		}
		lineEnd := end
		if lineEnd > pos && data[lineEnd-1] == '\r' {
			lineEnd--
		}
		l := rcLine{start: pos, end: lineEnd}
		text := string(data[pos:lineEnd])
		trimmed := strings.TrimSpace(text)
		switch {
		case strings.HasPrefix(trimmed, "[") && strings.HasSuffix(trimmed, "]"):
			section = trimmed[1 : len(trimmed)-1]
		case trimmed == "" || trimmed[0] == '#' || trimmed[0] == ';':
		default:
			if i := strings.IndexByte(text, '='); i > 0 {
				l.key = strings.TrimSpace(text[:i])
				l.valStart = pos + i + 1
			}
		}
		l.section = section
		out = append(out, l)
		pos = next
	}
	return out
}

type rcWant struct{ key, value string }

// wants lists the keys for the account's servers; proto is the
// section's "protocol" value (RecvProtocol: 0 POP3, 1 IMAP4; files from
// before config_version 1 numbered IMAP4 3).
func (e *accountrcEditor) wants(proto, configVersion string) ([]rcWant, error) {
	imap := "1"
	if v, _ := strconv.Atoi(configVersion); v < 1 {
		imap = "3"
	}
	var out []rcWant
	if in := e.target.incoming; in != nil {
		switch {
		case in.Protocol == server.IMAP && proto == imap:
			out = append(out, portWants("imap", in.Port)...)
		case in.Protocol == server.POP3 && proto == "0":
			out = append(out, portWants("pop", in.Port)...)
		default:
			return nil, fmt.Errorf("the account's protocol is %q, the plan sets %s: %w", proto, in.Protocol, ErrNotAutomatic)
		}
	}
	if og := e.target.outgoing; og != nil && og.Protocol == server.SMTP {
		out = append(out, portWants("smtp", og.Port)...)
	}
	return out, nil
}

func portWants(name string, port int) []rcWant {
	return []rcWant{{"ssl_" + name, clawsTunnel}, {"set_" + name + "port", "1"}, {name + "_port", strconv.Itoa(port)}}
}

// section finds the account's section by its address= line.
func (e *accountrcEditor) section(lines []rcLine, data []byte) (string, error) {
	found := ""
	for _, l := range lines {
		if l.key == "address" && strings.HasPrefix(l.section, "Account:") &&
			strings.EqualFold(strings.TrimSpace(string(data[l.valStart:l.end])), e.email) {
			if found != "" && found != l.section {
				return "", fmt.Errorf("%s is in two accounts of accountrc (%s, %s): %w", e.email, found, l.section, ErrNotAutomatic)
			}
			found = l.section
		}
	}
	if found == "" {
		return "", fmt.Errorf("no account for %s in accountrc: %w", e.email, ErrNotAutomatic)
	}
	return found, nil
}

func (e *accountrcEditor) edit(data []byte) ([]byte, []Change, error) {
	if _, err := inifile.Parse(data); err != nil {
		return nil, nil, fmt.Errorf("%w (%v)", ErrDamaged, err)
	}
	lines := scanLines(data)
	sec, err := e.section(lines, data)
	if err != nil {
		return nil, nil, err
	}
	eol := "\n"
	if bytes.Contains(data, []byte("\r\n")) {
		eol = "\r\n"
	}
	proto, configVersion, last := "", "", -1
	values := map[string]rcLine{}
	for i, l := range lines {
		if l.section != sec {
			continue
		}
		if l.key != "" {
			values[l.key] = l // the last one wins, as when Claws reads it
			last = i
		}
		switch l.key {
		case "protocol":
			proto = strings.TrimSpace(string(data[l.valStart:l.end]))
		case "config_version":
			configVersion = strings.TrimSpace(string(data[l.valStart:l.end]))
		}
	}
	type edit struct {
		at, to int
		text   string
	}
	wants, err := e.wants(proto, configVersion)
	if err != nil {
		return nil, nil, err
	}
	var edits []edit
	var changes []Change
	var added []string
	for _, w := range wants {
		l, ok := values[w.key]
		old := ""
		if ok {
			old = strings.TrimSpace(string(data[l.valStart:l.end]))
		}
		if ok && old == w.value {
			continue
		}
		changes = append(changes, Change{Key: "[" + sec + "] " + w.key, From: old, To: w.value})
		if ok {
			edits = append(edits, edit{l.valStart, l.end, w.value})
		} else {
			added = append(added, w.key+"="+w.value)
		}
	}
	if len(changes) == 0 {
		return data, nil, nil
	}
	if len(added) > 0 {
		at := lines[last].end
		edits = append(edits, edit{at, at, eol + strings.Join(added, eol)})
	}
	// In file order; an addition after the last key line comes after that
	// line's own value edit.
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].at < edits[j].at })
	var out bytes.Buffer
	pos := 0
	for _, ed := range edits {
		out.Write(data[pos:ed.at])
		out.WriteString(ed.text)
		pos = ed.to
	}
	out.Write(data[pos:])
	return out.Bytes(), changes, nil
}

// verify reads both files as Claws would: every key of every section is
// as before, except the changed ones, which have their new values.
func (e *accountrcEditor) verify(orig, got []byte, changes []Change) error {
	o, err := inifile.Parse(orig)
	if err != nil {
		return err
	}
	g, err := inifile.Parse(got)
	if err != nil {
		return fmt.Errorf("accountrc does not parse after the change: %w", err)
	}
	changed := map[string]string{}
	for _, c := range changes {
		changed[c.Key] = c.To
	}
	if len(o.Sections) != len(g.Sections) {
		return fmt.Errorf("accountrc has %d sections after the change, %d before", len(g.Sections), len(o.Sections))
	}
	for i, os := range o.Sections {
		gs := g.Sections[i]
		if gs.Name != os.Name {
			return fmt.Errorf("section %q became %q", os.Name, gs.Name)
		}
		seen := map[string]bool{}
		for _, k := range append(append([]string(nil), os.Keys...), gs.Keys...) {
			if seen[k] {
				continue
			}
			seen[k] = true
			want, isChanged := changed["["+os.Name+"] "+k]
			if !isChanged {
				want, _ = os.Get(k)
			}
			if gv, ok := gs.Get(k); !ok || strings.TrimSpace(gv) != strings.TrimSpace(want) {
				return fmt.Errorf("[%s] %s is %q after the change, want %q", os.Name, k, gv, want)
			}
		}
	}
	return nil
}
