// Package clients is the model of the mail programs found on a computer
// and the accounts they hold, normalised to one shape whatever the client
// (Thunderbird prefs.js, Outlook's registry, Evolution's key files, …), and
// the findings each account gets (Assess).
//
// The readers for each client live in sub-packages (thunderbird, outlook,
// linuxmail, apple) and scan puts them together for a whole computer. The
// fix planner and the app's "This computer" screen build on these types.
package clients

import (
	"strconv"
	"strings"

	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/server"
)

// Client ids, stable across releases (scripts and the fix planner use
// them).
const (
	Thunderbird    = "thunderbird"
	Outlook        = "outlook"
	NewOutlook     = "new-outlook"
	WindowsLive    = "windows-live-mail"
	WindowsMail    = "windows-mail" // Vista's Windows Mail
	WindowsMailApp = "windows-mail-app"
	OutlookExpress = "outlook-express"
	EMClient       = "em-client"
	Mailbird       = "mailbird"
	TheBat         = "the-bat"
	AppleMail      = "apple-mail"
	OutlookMac     = "outlook-mac"
	Evolution      = "evolution"
	KMail          = "kmail"
	ClawsMail      = "claws-mail"
	Geary          = "geary"
	Mutt           = "mutt"
	NeoMutt        = "neomutt"
	GNOMEAccounts  = "gnome-online-accounts"
)

// Client is one installed mail program.
type Client struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Version is the installed version, "" when it could not be told.
	Version string `json:"version"`
	// Path is where the program is installed ("" when only its data was
	// found).
	Path string `json:"path"`
	// Packaging says how it was installed: deb, snap, flatpak, msi,
	// click-to-run, appx, app, tarball.
	Packaging string `json:"packaging,omitempty"`
	// Default is true for the system's default mail program.
	Default bool `json:"default,omitempty"`
	// Running is whether the program runs now (settings must only be
	// changed while it is closed); nil when unknown.
	Running  *bool             `json:"running,omitempty"`
	Accounts []Account         `json:"accounts"`
	Findings []finding.Finding `json:"findings"`
}

// Account is one mail account of a client.
type Account struct {
	// Email is the sender address ("" when the client does not say).
	Email string `json:"email"`
	// Name is the account's display name in the client.
	Name string `json:"name,omitempty"`
	// Key is the client's own id for the account: Thunderbird
	// "account2", an Outlook account subkey "00000002", a file name.
	Key string `json:"key,omitempty"`
	// Profile is the Thunderbird profile directory or the Outlook
	// profile name the account belongs to.
	Profile string `json:"profile,omitempty"`
	// Source is the file or registry key the account was read from.
	Source   string  `json:"source,omitempty"`
	Incoming *Server `json:"incoming"`
	Outgoing *Server `json:"outgoing"`
	// Kind marks accounts whose transport the user does not set:
	// no server findings then.
	Kind     AccountKind       `json:"kind,omitempty"`
	Findings []finding.Finding `json:"findings,omitempty"`
}

// AccountKind names an account whose connection the program or a big
// provider manages; the empty kind is an ordinary POP3/IMAP/SMTP account.
type AccountKind string

// The kinds detectors report. Each has a "detect.kind."+kind text.
const (
	KindExchange   AccountKind = "exchange"
	KindEAS        AccountKind = "eas"
	KindOAuthCloud AccountKind = "oauth-cloud"
)

// Managed reports whether the account's servers are not the user's to set.
func (a *Account) Managed() bool { return a.Kind != "" }

// Server is one side of an account: where it connects and how.
type Server struct {
	Protocol server.Protocol `json:"protocol"`
	Host     string          `json:"host"`
	Port     int             `json:"port"`
	// Security is tls (implicit), starttls, none, or auto (STARTTLS if
	// the server offers it: downgradable).
	Security server.Security `json:"security"`
	User     string          `json:"user,omitempty"`
	// PortDefault is true when the client stores no port and Port is the
	// default the client uses.
	PortDefault bool `json:"port_default,omitempty"`
	// Key locates the setting so a fixer can change exactly it:
	// "mail.server.server2" or "mail.smtpserver.smtp1" (Thunderbird pref
	// branches), a registry key, or "FILE#[section]" for INI-style files.
	Key string `json:"key,omitempty"`
}

// Addr is "host:port".
func (s *Server) Addr() string {
	if s == nil {
		return ""
	}
	if strings.Contains(s.Host, ":") {
		return "[" + s.Host + "]:" + strconv.Itoa(s.Port)
	}
	return s.Host + ":" + strconv.Itoa(s.Port)
}

// Endpoint is the server as the rest of Mail Doctor names endpoints.
func (s *Server) Endpoint() server.Endpoint {
	return server.Endpoint{Protocol: s.Protocol, Host: s.Host, Port: s.Port, Security: s.Security}
}

// StoreUnreadable is the finding for a client whose accounts cannot be
// read: reason is "permission" (macOS Full Disk Access and the like),
// "proprietary" (an undocumented or encrypted store) or "cloud" (the
// settings live at the vendor). Detection says so rather than guess.
func StoreUnreadable(clientID, reason, path string) finding.Finding {
	return finding.New(finding.ClientStoreUnreadable, finding.Info, clientID, "reason", reason, "path", path)
}

// StoreBroken is the finding for a settings file that exists but could
// not be read or parsed (truncated, binary garbage, over 16 MiB): the
// accounts in it are missing from the list.
func StoreBroken(clientID, path string, err error) finding.Finding {
	f := finding.New(finding.ClientStoreBroken, finding.Warn, clientID, "path", path)
	if err != nil {
		f = f.WithEvidence(err.Error())
	}
	return f
}

// Worst is the highest severity among a client's findings and its
// accounts' findings.
func (c *Client) Worst() finding.Severity {
	w := finding.Worst(c.Findings)
	for _, a := range c.Accounts {
		if s := finding.Worst(a.Findings); s.Rank() > w.Rank() {
			w = s
		}
	}
	return w
}

// AllFindings lists the client's findings and its accounts'.
func (c *Client) AllFindings() []finding.Finding {
	out := append([]finding.Finding(nil), c.Findings...)
	for _, a := range c.Accounts {
		out = append(out, a.Findings...)
	}
	return out
}
