package audit

import (
	"strings"
	"time"

	"maildoctor.app/maildoctor/detect/compat"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/fix/link"
)

// Class is what the switch to implicit TLS 1.2+ will do to a mailbox.
type Class string

// Classes, worst first.
const (
	// ClassNoTLS: logins without TLS at all.
	ClassNoTLS Class = "no_tls"
	// ClassLegacyTLS: logins over TLS 1.0 or 1.1 (or SSLv3).
	ClassLegacyTLS Class = "legacy_tls"
	// ClassStartTLS: logins over STARTTLS on 143, 110 or 587.
	ClassStartTLS Class = "starttls"
	// ClassWeakCipher: TLS 1.2 with a cipher the new configuration drops
	// (no forward secrecy or no AEAD: RC4, 3DES, CBC, RSA key exchange).
	ClassWeakCipher Class = "weak_cipher"
	// ClassUnknown: nothing bad seen, but the log did not say the port or
	// the TLS version of every login.
	ClassUnknown Class = "unknown"
	// ClassOK: every login was on implicit TLS 1.2+ with a strong cipher.
	ClassOK Class = "ok"
)

// Classes lists every class, worst first.
func Classes() []Class {
	return []Class{ClassNoTLS, ClassLegacyTLS, ClassStartTLS, ClassWeakCipher, ClassUnknown, ClassOK}
}

// Issues returns the classes one access falls into ([] for a fine one).
func (x Access) Issues() []Class {
	var out []Class
	if x.Security == NoTLS {
		return []Class{ClassNoTLS}
	}
	if x.TLS == "1.0" || x.TLS == "1.1" || x.TLS == "ssl3" {
		out = append(out, ClassLegacyTLS)
	}
	if x.Security == StartTLS {
		out = append(out, ClassStartTLS)
	}
	if x.TLS == "1.2" && WeakCipher(x.Cipher) {
		out = append(out, ClassWeakCipher)
	}
	if len(out) == 0 && (x.TLS == "" || x.Security != Implicit) {
		out = append(out, ClassUnknown)
	}
	return out
}

// WeakCipher says whether a TLS 1.2 cipher (OpenSSL or IANA name) is one a
// modern configuration (Mozilla "intermediate") no longer offers: anything
// without ECDHE/DHE key exchange or without GCM/ChaCha20-Poly1305. An
// empty name is not weak (not logged).
func WeakCipher(name string) bool {
	if name == "" || strings.HasPrefix(name, "TLS_AES_") || strings.HasPrefix(name, "TLS_CHACHA20_") {
		return false
	}
	u := strings.ToUpper(name)
	fs := strings.HasPrefix(u, "ECDHE") || strings.HasPrefix(u, "DHE") || strings.HasPrefix(u, "TLS_ECDHE") || strings.HasPrefix(u, "TLS_DHE")
	aead := strings.Contains(u, "GCM") || strings.Contains(u, "CHACHA20")
	return !fs || !aead
}

// Issues returns the classes a mailbox falls into, worst first; its Class
// is the first.
func (m *Mailbox) Issues() []Class {
	seen := map[Class]bool{}
	for _, x := range m.Access {
		for _, c := range x.Issues() {
			seen[c] = true
		}
	}
	var out []Class
	for _, c := range Classes() {
		if seen[c] {
			out = append(out, c)
		}
	}
	if len(out) > 1 && out[len(out)-1] == ClassUnknown {
		// Something is known to break: "unknown" adds nothing.
		out = out[:len(out)-1]
	}
	return out
}

// Class is the worst class of the mailbox.
func (m *Mailbox) Class() Class {
	if is := m.Issues(); len(is) > 0 {
		return is[0]
	}
	return ClassOK
}

// Translator renders a translation key (i18n.Translator satisfies it).
type Translator interface {
	T(key string, args map[string]string) string
}

// Servers are the implicit-TLS servers the support link and the
// instruction name: "host:993" etc. Empty ones are left out of the link
// (Mail Doctor then finds them from its built-in provider profile).
type Servers struct {
	IMAP, POP3, SMTP string
}

// ClientRow is one client of a mailbox with what it needs.
type ClientRow struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
	// Family is the knowledge base's id of the program ("thunderbird"),
	// or "other" when it does not know the program.
	Family string `json:"family"`
	// Verdict is the knowledge base's verdict for this program against
	// a server with TLS 1.2+ and STARTTLS closed (without knowing the
	// system: "unknown" for programs on the system's TLS).
	Verdict string `json:"verdict"`
	// Needs are the kinds of action it lists (setting, registry,
	// client_update, update, webmail, …).
	Needs []string `json:"needs,omitempty"`
}

// AccessRow is one way in, for output.
type AccessRow struct {
	Protocol string `json:"protocol"`
	Port     int    `json:"port,omitempty"`
	Security string `json:"security"`
	TLS      string `json:"tls,omitempty"`
	Cipher   string `json:"cipher,omitempty"`
	Logins   int    `json:"logins"`
	LastSeen string `json:"last_seen,omitempty"`
}

// Row is one mailbox for output (CSV, JSON, HTML).
type Row struct {
	Address   string      `json:"address"`
	Class     Class       `json:"class"`
	Issues    []Class     `json:"issues"`
	Logins    int         `json:"logins"`
	FirstSeen string      `json:"first_seen,omitempty"`
	LastSeen  string      `json:"last_seen,omitempty"`
	Seen      []AccessRow `json:"seen"`
	Clients   []ClientRow `json:"clients"`
	// IMAPWithoutID counts IMAP logins whose client did not say its name.
	IMAPWithoutID int      `json:"imap_logins_without_id,omitempty"`
	IPs           []string `json:"ips,omitempty"`
	Link          string   `json:"link"`
	// Instruction is the one-line instruction per language ("it", "en").
	Instruction map[string]string `json:"instruction"`
}

// Report turns mailboxes into rows: trs give the instruction in each
// language, kb (may be nil) judges the clients, servers and lang fill the
// link.
func Report(ms []*Mailbox, kb *compat.KB, trs map[string]Translator, lang string, servers Servers) []Row {
	judge := newJudge(kb)
	rows := make([]Row, 0, len(ms))
	for _, m := range ms {
		r := Row{Address: m.Address, Class: m.Class(), Issues: m.Issues(), Logins: m.Logins,
			FirstSeen: stamp(m.First), LastSeen: stamp(m.Last), IMAPWithoutID: m.NoID, IPs: m.IPs}
		if r.Issues == nil {
			r.Issues = []Class{}
		}
		for _, x := range m.Access {
			r.Seen = append(r.Seen, AccessRow{Protocol: x.Proto, Port: x.Port, Security: securityName(x.Security),
				TLS: x.TLS, Cipher: x.Cipher, Logins: x.Logins, LastSeen: stamp(x.Last)})
		}
		r.Clients = []ClientRow{}
		for _, c := range m.Clients {
			r.Clients = append(r.Clients, judge.client(c))
		}
		r.Link = supportLink(m.Address, servers, lang)
		r.Instruction = map[string]string{}
		for l, tr := range trs {
			r.Instruction[l] = Instruction(tr, r.Class, servers)
		}
		rows = append(rows, r)
	}
	return rows
}

func securityName(s Security) string {
	if s == Unknown {
		return "unknown"
	}
	return string(s)
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02 15:04:05")
}

// supportLink builds the maildoctor:// link for address, or "" when the
// address is not one a link can carry.
func supportLink(address string, s Servers, lang string) string {
	l := link.Link{Email: address, Lang: lang, Servers: map[server.Protocol]string{}}
	if s.IMAP != "" {
		l.Servers[server.IMAP] = s.IMAP
	}
	if s.POP3 != "" {
		l.Servers[server.POP3] = s.POP3
	}
	if s.SMTP != "" {
		l.Servers[server.SMTP] = s.SMTP
	}
	out, err := link.Build(l)
	if err != nil {
		return ""
	}
	return out
}

// Instruction is the one-line instruction for a class, in tr's language.
func Instruction(tr Translator, c Class, s Servers) string {
	args := map[string]string{
		"imap": orDefault(s.IMAP, "993"),
		"pop3": orDefault(s.POP3, "995"),
		"smtp": orDefault(s.SMTP, "465"),
	}
	return tr.T("audit.instruction."+string(c), args)
}

func orDefault(hostPort, port string) string {
	if hostPort == "" {
		return port
	}
	return hostPort
}

// judge evaluates clients once per distinct name and version.
type judge struct {
	kb    *compat.KB
	cache map[Client]ClientRow
}

func newJudge(kb *compat.KB) *judge { return &judge{kb: kb, cache: map[Client]ClientRow{}} }

func (j *judge) client(c Client) ClientRow {
	if r, ok := j.cache[c]; ok {
		return r
	}
	r := ClientRow{Name: c.Name, Version: c.Version, Family: "other", Verdict: string(compat.Undetermined)}
	if j.kb != nil {
		if m, _, err := j.kb.MatchClient(strings.TrimSpace(c.Name + " " + c.Version)); err == nil {
			r.Family = m.ID
			if v, err := j.kb.Evaluate(compat.Query{Client: m.Ref(), ServerMinTLS: "1.2", STARTTLSClosed: true}); err == nil {
				r.Verdict = string(v.Verdict)
				seen := map[string]bool{}
				for _, a := range v.Actions {
					if a.Kind != compat.ActionTest && !seen[a.Kind] {
						seen[a.Kind] = true
						r.Needs = append(r.Needs, a.Kind)
					}
				}
			}
		}
	}
	if len(j.cache) < 4096 {
		j.cache[c] = r
	}
	return r
}

// Family is the client family of a row for summaries: its first client's
// family, or "unknown" when no client said its name.
func (r Row) Family() string {
	if len(r.Clients) == 0 {
		return "unknown"
	}
	return r.Clients[0].Family
}
