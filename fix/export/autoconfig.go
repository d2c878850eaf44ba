package export

import (
	"encoding/xml"
	"fmt"
	"strings"

	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/fix/plan"
)

// The config-v1.1.xml shapes, limited to the v1.1 element set
// (wiki.mozilla.org/Thunderbird:Autoconfiguration:ConfigFileFormat).
type acConfig struct {
	XMLName  xml.Name   `xml:"clientConfig"`
	Version  string     `xml:"version,attr"`
	Provider acProvider `xml:"emailProvider"`
	WebMail  *acWebMail `xml:"webMail,omitempty"`
}

type acProvider struct {
	ID        string     `xml:"id,attr"`
	Domain    string     `xml:"domain"`
	Name      string     `xml:"displayName"`
	ShortName string     `xml:"displayShortName"`
	Incoming  []acServer `xml:"incomingServer"`
	Outgoing  []acServer `xml:"outgoingServer"`
}

type acServer struct {
	Type       string `xml:"type,attr"`
	Hostname   string `xml:"hostname"`
	Port       int    `xml:"port"`
	SocketType string `xml:"socketType"`
	Username   string `xml:"username"`
	Auth       string `xml:"authentication"`
}

type acWebMail struct {
	LoginPage struct {
		URL string `xml:"url,attr"`
	} `xml:"loginPage"`
}

// Autoconfig writes the settings as a Thunderbird autoconfig file: the
// implicit-TLS servers only, so a program set up from it never uses the
// ports being closed. A user name equal to the address is written as
// %EMAILADDRESS%, so a provider can publish the file for the whole
// domain.
func Autoconfig(s plan.Settings) ([]byte, error) {
	_, domain, err := discover.SplitAddress(s.Email)
	if err != nil {
		return nil, err
	}
	user := s.Username
	if strings.EqualFold(user, s.Email) {
		user = "%EMAILADDRESS%"
	}
	name := s.Provider
	if name == "" {
		name = domain
	}
	c := acConfig{Version: "1.1", Provider: acProvider{ID: domain, Domain: domain, Name: name, ShortName: name}}
	for _, p := range []server.Protocol{server.IMAP, server.POP3} {
		if ep := s.For(p); ep != nil {
			c.Provider.Incoming = append(c.Provider.Incoming, acServerFor(*ep, user))
		}
	}
	if s.SMTP != nil {
		c.Provider.Outgoing = append(c.Provider.Outgoing, acServerFor(*s.SMTP, user))
	}
	if len(c.Provider.Incoming)+len(c.Provider.Outgoing) == 0 {
		return nil, fmt.Errorf("autoconfig for %s: %w", s.Email, plan.ErrNoServers)
	}
	if s.Webmail != "" {
		c.WebMail = &acWebMail{}
		c.WebMail.LoginPage.URL = s.Webmail
	}
	out, err := xml.MarshalIndent(c, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("autoconfig for %s: %w", s.Email, err)
	}
	return append(append([]byte(xml.Header), out...), '\n'), nil
}

func acServerFor(ep server.Endpoint, user string) acServer {
	return acServer{
		Type:       string(ep.Protocol),
		Hostname:   ep.Host,
		Port:       ep.Port,
		SocketType: socketType(ep.Security),
		Username:   user,
		Auth:       "password-cleartext",
	}
}

// socketType names a security as config-v1.1.xml does.
func socketType(s server.Security) string {
	switch s {
	case server.TLS:
		return "SSL"
	case server.StartTLS:
		return "STARTTLS"
	}
	return "plain"
}
