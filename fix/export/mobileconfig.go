package export

import (
	"bytes"
	"crypto/rand"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/fix/plan"
)

// MobileconfigOptions tune Mobileconfig. The zero value works.
type MobileconfigOptions struct {
	// Incoming is the protocol to set up: IMAP (default) or POP3.
	Incoming server.Protocol
	// Random supplies the payload UUIDs; nil means crypto/rand.
	Random io.Reader
}

// Mobileconfig writes an Apple configuration profile with one
// com.apple.mail.managed payload: explicit ports (993 or 995, and 465) with
// SSL on, because a profile without a port makes Mail try 25, 587 and 465
// in turn, and UseSSL alone says nothing about implicit TLS versus
// STARTTLS. The profile is unsigned and holds no password: iOS shows it as
// "Not Verified" and asks for the password while installing it.
//
// Its PayloadIdentifier depends only on the address, so installing a new
// one replaces the old one instead of adding a second account.
func Mobileconfig(s plan.Settings, opt MobileconfigOptions) ([]byte, error) {
	local, domain, err := discover.SplitAddress(s.Email)
	if err != nil {
		return nil, err
	}
	proto := opt.Incoming
	if proto == "" {
		proto = server.IMAP
	}
	in, out := s.For(proto), s.SMTP
	if proto == server.SMTP || in == nil || out == nil {
		return nil, fmt.Errorf("profile for %s: no %s and SMTP servers to set up: %w", s.Email, proto, plan.ErrNoServers)
	}
	rnd := opt.Random
	if rnd == nil {
		rnd = rand.Reader
	}
	profileUUID, err := newUUID(rnd)
	if err != nil {
		return nil, err
	}
	mailUUID, err := newUUID(rnd)
	if err != nil {
		return nil, err
	}
	id := "app.maildoctor.mail." + reverseDomain(domain) + "." + identifierPart(local)
	title := "Mail: " + s.Email
	summary := fmt.Sprintf("%s %s:%d and SMTP %s:%d, SSL/TLS, user name %s",
		strings.ToUpper(string(proto)), in.Host, in.Port, out.Host, out.Port, s.Username)

	var b plistWriter
	b.open()
	b.key("PayloadContent")
	b.raw("<array>\n")
	b.raw("<dict>\n")
	accountType := "EmailTypeIMAP"
	if proto == server.POP3 {
		accountType = "EmailTypePOP"
	}
	b.str("EmailAccountDescription", s.Email)
	b.str("EmailAccountType", accountType)
	b.str("EmailAddress", s.Email)
	b.server("Incoming", *in, s.Username)
	b.server("Outgoing", *out, s.Username)
	b.boolean("OutgoingPasswordSameAsIncomingPassword", true)
	b.str("PayloadDescription", summary)
	b.str("PayloadDisplayName", title)
	b.str("PayloadIdentifier", id+".account")
	b.str("PayloadType", "com.apple.mail.managed")
	b.str("PayloadUUID", mailUUID)
	b.integer("PayloadVersion", 1)
	b.raw("</dict>\n")
	b.raw("</array>\n")
	b.str("PayloadDescription", summary)
	b.str("PayloadDisplayName", title)
	b.str("PayloadIdentifier", id)
	if s.Provider != "" {
		b.str("PayloadOrganization", s.Provider)
	}
	b.str("PayloadType", "Configuration")
	b.str("PayloadUUID", profileUUID)
	b.integer("PayloadVersion", 1)
	b.close()
	return b.buf.Bytes(), nil
}

// plistWriter writes an XML property list. Keys are written in sorted
// order by the caller, as Apple's tools do, which keeps diffs readable.
type plistWriter struct{ buf bytes.Buffer }

func (w *plistWriter) open() {
	w.buf.WriteString(xml.Header)
	w.buf.WriteString(`<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">` + "\n")
	w.buf.WriteString("<plist version=\"1.0\">\n<dict>\n")
}

func (w *plistWriter) close() { w.buf.WriteString("</dict>\n</plist>\n") }

func (w *plistWriter) raw(s string) { w.buf.WriteString(s) }

func (w *plistWriter) key(k string) {
	w.buf.WriteString("<key>")
	_ = xml.EscapeText(&w.buf, []byte(k)) // bytes.Buffer never fails
	w.buf.WriteString("</key>\n")
}

func (w *plistWriter) str(k, v string) {
	w.key(k)
	w.buf.WriteString("<string>")
	_ = xml.EscapeText(&w.buf, []byte(v))
	w.buf.WriteString("</string>\n")
}

func (w *plistWriter) integer(k string, v int) {
	w.key(k)
	w.buf.WriteString("<integer>" + strconv.Itoa(v) + "</integer>\n")
}

func (w *plistWriter) boolean(k string, v bool) {
	w.key(k)
	if v {
		w.buf.WriteString("<true/>\n")
	} else {
		w.buf.WriteString("<false/>\n")
	}
}

// server writes the Incoming… or Outgoing… keys of one server.
func (w *plistWriter) server(dir string, ep server.Endpoint, user string) {
	w.str(dir+"MailServerAuthentication", "EmailAuthPassword")
	w.str(dir+"MailServerHostName", ep.Host)
	w.integer(dir+"MailServerPortNumber", ep.Port)
	w.boolean(dir+"MailServerUseSSL", ep.Security == server.TLS)
	w.str(dir+"MailServerUsername", user)
}

// newUUID returns a random (version 4) UUID in upper case, as Apple's
// tools write them.
func newUUID(r io.Reader) (string, error) {
	var u [16]byte
	if _, err := io.ReadFull(r, u[:]); err != nil {
		return "", fmt.Errorf("making a profile UUID: %w", err)
	}
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return strings.ToUpper(fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])), nil
}

// reverseDomain turns mail.example.it into it.example.mail.
func reverseDomain(d string) string {
	labels := strings.Split(d, ".")
	for i, j := 0, len(labels)-1; i < j; i, j = i+1, j-1 {
		labels[i], labels[j] = labels[j], labels[i]
	}
	return strings.Join(labels, ".")
}

// identifierPart keeps a local part usable in a reverse-DNS identifier:
// letters, digits and '-', everything else as '-'.
func identifierPart(local string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(local) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	return b.String()
}
