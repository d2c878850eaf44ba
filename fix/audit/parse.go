package audit

import (
	"bytes"
	"time"
)

// Security is how a login's connection was protected.
type Security string

// Securities, from the port and the TLS details of a line.
const (
	// Implicit: TLS from the first byte (993, 995, 465).
	Implicit Security = "tls"
	// StartTLS: a plain connection upgraded (143, 110, 587).
	StartTLS Security = "starttls"
	// TLSUnknownPort: TLS, but the line does not say the port, so
	// STARTTLS and implicit TLS cannot be told apart.
	TLSUnknownPort Security = "tls_port_unknown"
	// NoTLS: the login was made in plain text.
	NoTLS Security = "none"
	// Unknown: the line says nothing about TLS.
	Unknown Security = ""
)

// Event is one successful login read from a log line (or, for IMAP ID, the
// client that announced itself on a connection).
type Event struct {
	Time time.Time // zero when the line has no timestamp this parser reads
	// User is the login name, lowercased by the caller if wanted.
	User []byte
	// Proto is imap, pop3, submission (Dovecot) or smtp (Postfix).
	Proto string
	// Port is the local (server) port, 0 when the line does not say.
	Port     int
	Security Security
	// TLS is "1.0", "1.1", "1.2", "1.3" or "" (not logged); SSLv3 is "ssl3".
	TLS    string
	Cipher []byte
	// RemoteIP is the client's address (rip=, client=host[ip]).
	RemoteIP []byte
	// Session correlates Dovecot's ID line with its login line.
	Session []byte
	// ClientName and ClientVersion come from the IMAP ID (ID lines only).
	ClientName, ClientVersion []byte
	// Commands are the command counts of a Postfix "disconnect from"
	// line (Postfix 3.0+: "ehlo=2 starttls=1 auth=1 … commands=7"),
	// empty when the line has none.
	Commands []byte
}

// Kind says what a line was.
type Kind int

// Line kinds.
const (
	KindUnknown Kind = iota
	// KindLogin: a successful login; the Event is filled.
	KindLogin
	// KindID: Dovecot's "ID sent:" line (imap_id_log).
	KindID
	// KindIgnored: a line of Dovecot or Postfix this audit has no use for
	// (disconnections, deliveries, …).
	KindIgnored
	// Postfix connection state: the Event's Session is the process id.
	KindPostfixConnect
	KindPostfixTLS
	KindPostfixDisconnect
)

var (
	loginMark  = []byte("-login: ")
	postfixPID = []byte("/smtpd[")
)

// ParseLine reads one log line into ev (whose byte slices point into
// line) and says what it was. It never fails: a line it cannot read is
// KindUnknown.
func ParseLine(line []byte, ev *Event) Kind {
	*ev = Event{}
	if i := bytes.Index(line, loginMark); i >= 0 {
		return parseDovecot(line, i, ev)
	}
	if i := bytes.Index(line, postfixPID); i >= 0 {
		return parsePostfix(line, i, ev)
	}
	return KindUnknown
}

// parseDovecot reads a line of imap-login, pop3-login or
// submission-login; i is where "-login: " starts.
func parseDovecot(line []byte, i int, ev *Event) Kind {
	start := bytes.LastIndexByte(line[:i], ' ') + 1
	switch string(line[start:i]) {
	case "imap":
		ev.Proto = "imap"
	case "pop3":
		ev.Proto = "pop3"
	case "submission":
		ev.Proto = "submission"
	default:
		return KindIgnored
	}
	ev.Time = parseTime(line[:start])
	rest := line[i+len(loginMark):]
	rest = trimPrefix(rest, "Info: ")
	var kind Kind
	switch {
	case hasPrefix(rest, "Login: "):
		kind = KindLogin
		rest = rest[len("Login: "):]
	case hasPrefix(rest, "ID sent: "):
		kind = KindID
		rest = rest[len("ID sent: "):]
		j := bytes.Index(rest, []byte(": user=<"))
		if j < 0 {
			return KindIgnored
		}
		parseID(rest[:j], ev)
		rest = rest[j+2:]
	default:
		return KindIgnored
	}
	parseElements(rest, ev, kind == KindLogin)
	if kind == KindLogin && len(ev.User) == 0 {
		return KindIgnored
	}
	return kind
}

// parseID reads "name=Thunderbird, version=115.15.0, os=…".
func parseID(b []byte, ev *Event) {
	for len(b) > 0 {
		var field []byte
		if j := bytes.Index(b, []byte(", ")); j >= 0 {
			field, b = b[:j], b[j+2:]
		} else {
			field, b = b, nil
		}
		k := bytes.IndexByte(field, '=')
		if k < 0 {
			continue
		}
		switch string(bytes.ToLower(field[:k])) {
		case "name":
			ev.ClientName = field[k+1:]
		case "version":
			ev.ClientVersion = field[k+1:]
		}
	}
}

// parseElements reads Dovecot's login_log_format_elements as logged:
// "user=<a@b>, method=PLAIN, rip=…, lip=…, lport=993, mpid=…, TLS,
// TLSv1.3 with cipher … (128/128 bits), session=<…>".
func parseElements(b []byte, ev *Event, login bool) {
	tlsSaid, hasMpid := false, false
	for len(b) > 0 {
		var field []byte
		if hasPrefix(b, "user=<") || hasPrefix(b, "session=<") {
			j := bytes.IndexByte(b, '>')
			if j < 0 {
				j = len(b) - 1
			}
			field, b = b[:j+1], b[j+1:]
			b = trimPrefix(b, ", ")
		} else if j := bytes.Index(b, []byte(", ")); j >= 0 {
			field, b = b[:j], b[j+2:]
		} else {
			field, b = b, nil
		}
		switch {
		case hasPrefix(field, "user=<"):
			ev.User = bytes.TrimSuffix(field[len("user=<"):], []byte(">"))
		case hasPrefix(field, "session=<"):
			ev.Session = bytes.TrimSuffix(field[len("session=<"):], []byte(">"))
		case hasPrefix(field, "rip="):
			ev.RemoteIP = field[len("rip="):]
		case hasPrefix(field, "lport="):
			ev.Port = atoi(field[len("lport="):])
		case hasPrefix(field, "lip="):
			if ev.Port == 0 {
				ev.Port = portOf(field[len("lip="):])
			}
		case hasPrefix(field, "mpid="):
			hasMpid = true
		case string(field) == "TLS" || hasPrefix(field, "TLS:") || string(field) == "TLS handshaking":
			tlsSaid = true
		case hasPrefix(field, "TLSv1") || hasPrefix(field, "SSLv3"):
			tlsSaid = true
			parseTLSDetails(field, ev)
		}
	}
	switch {
	case tlsSaid:
		ev.Security = securityOf(ev.Proto, ev.Port)
	case login && hasMpid:
		// Dovecot's default elements include %c, which is empty only
		// when the connection had no TLS.
		ev.Security = NoTLS
	}
}

// parseTLSDetails reads %k: "TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)".
func parseTLSDetails(f []byte, ev *Event) {
	v := f
	if j := bytes.IndexByte(f, ' '); j >= 0 {
		v = f[:j]
	}
	ev.TLS = tlsVersion(v)
	if j := bytes.Index(f, []byte(" with cipher ")); j >= 0 {
		c := f[j+len(" with cipher "):]
		if k := bytes.IndexByte(c, ' '); k >= 0 {
			c = c[:k]
		}
		ev.Cipher = c
	}
}

func tlsVersion(v []byte) string {
	switch string(v) {
	case "TLSv1", "TLSv1.0":
		return "1.0"
	case "TLSv1.1":
		return "1.1"
	case "TLSv1.2":
		return "1.2"
	case "TLSv1.3":
		return "1.3"
	case "SSLv3":
		return "ssl3"
	}
	return ""
}

// securityOf names a TLS connection by its server port.
func securityOf(proto string, port int) Security {
	switch port {
	case 143, 110, 587, 25:
		return StartTLS
	case 993, 995, 465:
		return Implicit
	case 0:
		return TLSUnknownPort
	}
	// A non-standard port: the provider knows; the log does not say
	// which kind it is.
	return TLSUnknownPort
}

// portOf reads the port of "1.2.3.4:993" or "[::1]:993", 0 if none.
func portOf(b []byte) int {
	j := bytes.LastIndexByte(b, ':')
	if j < 0 || (bytes.Count(b, []byte(":")) > 1 && !bytes.HasPrefix(b, []byte("["))) {
		return 0
	}
	return atoi(b[j+1:])
}

// parsePostfix reads postfix[/service]/smtpd[PID]: MESSAGE; i is where
// "/smtpd[" starts.
func parsePostfix(line []byte, i int, ev *Event) Kind {
	start := bytes.LastIndexByte(line[:i], ' ') + 1
	name := line[start:i] // "postfix" or "postfix/submission"
	service := name
	if j := bytes.IndexByte(name, '/'); j >= 0 {
		service = name[j+1:]
	}
	rest := line[i+len(postfixPID):]
	j := bytes.Index(rest, []byte("]: "))
	if j < 0 {
		return KindUnknown
	}
	ev.Session = rest[:j]
	msg := rest[j+3:]
	ev.Time = parseTime(line[:start])
	ev.Proto = "smtp"
	// The service's syslog_name gives the port. A service without one
	// logs as plain postfix/smtpd whatever its port (25, 587 or 465 with
	// smtpd_tls_wrappermode): the port is then unknown, and the
	// disconnect line's starttls= count tells STARTTLS from implicit TLS.
	switch string(service) {
	case "submission":
		ev.Port = 587
	case "smtps", "submissions":
		ev.Port = 465
	case "smtp", "smtpd":
		ev.Port = 25
	}
	switch {
	case hasPrefix(msg, "connect from "):
		return KindPostfixConnect
	case hasPrefix(msg, "disconnect from "):
		c := msg[len("disconnect from "):]
		if k := bytes.Index(c, []byte("] ")); k >= 0 && bytes.Contains(c[k:], []byte("commands=")) {
			ev.Commands = c[k+2:]
		}
		return KindPostfixDisconnect
	case hasPrefix(msg, "warning: "):
		// "warning: host[ip]: SASL PLAIN authentication failed: …,
		// sasl_username=…" is a failed login, not a login.
		return KindIgnored
	}
	if k := bytes.Index(msg, []byte("TLS connection established from ")); k >= 0 {
		m := msg[k:]
		if l := bytes.LastIndex(m, []byte(": ")); l >= 0 {
			parseTLSDetails(m[l+2:], ev)
		}
		return KindPostfixTLS
	}
	k := bytes.Index(msg, []byte("sasl_username="))
	if k < 0 {
		return KindIgnored
	}
	if c := bytes.Index(msg, []byte("client=")); c < 0 || c > k {
		// A successful login is logged with the queue id of the first
		// message it sends: "ID: client=…, sasl_method=…, sasl_username=…".
		return KindIgnored
	}
	u := msg[k+len("sasl_username="):]
	if l := bytes.IndexByte(u, ','); l >= 0 {
		u = u[:l]
	}
	ev.User = bytes.TrimSpace(u)
	if c := bytes.Index(msg, []byte("client=")); c >= 0 {
		cl := msg[c+len("client="):]
		if a := bytes.IndexByte(cl, '['); a >= 0 {
			if z := bytes.IndexByte(cl[a:], ']'); z >= 0 {
				ev.RemoteIP = cl[a+1 : a+z]
			}
		}
	}
	if len(ev.User) == 0 {
		return KindIgnored
	}
	return KindLogin
}

// startTLSDone says whether a Postfix disconnect line's command counts
// ("ehlo=2 starttls=1 auth=1 …", or "starttls=0/1" for a failed one) hold
// a STARTTLS that succeeded.
func startTLSDone(counts []byte) bool {
	for len(counts) > 0 {
		f := counts
		if j := bytes.IndexByte(counts, ' '); j >= 0 {
			f, counts = counts[:j], counts[j+1:]
		} else {
			counts = nil
		}
		if !hasPrefix(f, "starttls=") {
			continue
		}
		n := f[len("starttls="):]
		if j := bytes.IndexByte(n, '/'); j >= 0 {
			n = n[:j]
		}
		return atoi(n) > 0
	}
	return false
}

func hasPrefix(b []byte, p string) bool {
	return len(b) >= len(p) && string(b[:len(p)]) == p
}

func trimPrefix(b []byte, p string) []byte {
	if hasPrefix(b, p) {
		return b[len(p):]
	}
	return b
}

func atoi(b []byte) int {
	if len(b) == 0 || len(b) > 5 {
		return 0
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	if n > 65535 {
		return 0
	}
	return n
}

var months = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// parseTime reads the timestamp at the start of a line: Dovecot's
// log_timestamp ("2026-11-29 15:42:08"), RFC 3339 from rsyslog or
// journalctl -o short-iso ("2026-11-29T15:42:08.123+01:00", the zone is
// ignored: times are the server's), or classic syslog ("Nov 29 15:42:08",
// which has no year: the current year is assumed). Zero if none.
func parseTime(b []byte) time.Time {
	if len(b) >= 19 && b[4] == '-' && b[7] == '-' && (b[10] == ' ' || b[10] == 'T') && b[13] == ':' && b[16] == ':' {
		y, mo, d := num(b[0:4]), num(b[5:7]), num(b[8:10])
		h, mi, s := num(b[11:13]), num(b[14:16]), num(b[17:19])
		if y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 60 {
			return time.Time{}
		}
		return time.Date(y, time.Month(mo), d, h, mi, s, 0, time.UTC)
	}
	if len(b) >= 15 && b[3] == ' ' && b[6] == ' ' && b[9] == ':' && b[12] == ':' {
		mo := 0
		for i, m := range months {
			if string(b[:3]) == m {
				mo = i + 1
			}
		}
		day := b[4:6]
		if day[0] == ' ' {
			day = day[1:]
		}
		d, h, mi, s := num(day), num(b[7:9]), num(b[10:12]), num(b[13:15])
		if mo == 0 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 60 {
			return time.Time{}
		}
		return time.Date(syslogYear, time.Month(mo), d, h, mi, s, 0, time.UTC)
	}
	return time.Time{}
}

// syslogYear is the year assumed for syslog timestamps.
var syslogYear = time.Now().Year()

// num reads 1 to 4 decimal digits, -1 if b is anything else.
func num(b []byte) int {
	if len(b) == 0 || len(b) > 4 {
		return -1
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return -1
		}
		n = n*10 + int(c-'0')
	}
	return n
}
