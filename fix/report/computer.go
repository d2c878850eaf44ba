package report

import (
	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/clients/scan"
	"maildoctor.app/maildoctor/detect/system"
)

// ComputerFrom copies what detection found about this computer into the
// report's plain shape (nil when nothing is known), so the app and any
// other caller put the same computer into a support code.
func ComputerFrom(c *scan.Report) *Computer {
	if c == nil || c.OS == nil {
		return nil
	}
	out := &Computer{OS: OS{Family: c.OS.Family, Name: c.OS.Name, Version: c.OS.Version, Build: c.OS.Build, TLS: map[string]string{}}}
	for _, v := range system.Versions {
		out.OS.TLS[v] = string(c.OS.TLS.Get(v))
	}
	for _, cl := range c.Clients {
		rc := Client{ID: cl.ID, Name: cl.Name, Version: cl.Version, Findings: cl.AllFindings()}
		for _, a := range cl.Accounts {
			rc.Accounts = append(rc.Accounts, Account{Email: a.Email, Incoming: serverFrom(a.Incoming), Outgoing: serverFrom(a.Outgoing)})
		}
		out.Clients = append(out.Clients, rc)
	}
	return out
}

func serverFrom(s *clients.Server) *Server {
	if s == nil {
		return nil
	}
	return &Server{Protocol: string(s.Protocol), Host: s.Host, Port: s.Port, Security: string(s.Security)}
}
