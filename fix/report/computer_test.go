package report

import (
	"testing"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/clients/scan"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/detect/system"
)

func TestComputerFrom(t *testing.T) {
	if ComputerFrom(nil) != nil || ComputerFrom(&scan.Report{}) != nil {
		t.Error("nothing detected should give no computer")
	}
	warn := finding.New(finding.StartTLSInUse, finding.Warn, "thunderbird")
	rep := &scan.Report{
		OS: &system.Info{Family: "windows", Name: "Windows 7", Version: "6.1", Build: "7601",
			TLS: system.TLS{V10: system.Default, V11: system.Off, V12: system.Off, V13: system.No}},
		Clients: []clients.Client{{ID: "thunderbird", Name: "Thunderbird", Version: "128.3.1",
			Accounts: []clients.Account{{Email: "anna@example.test", Findings: []finding.Finding{warn},
				Incoming: &clients.Server{Protocol: server.IMAP, Host: "mail.example.test", Port: 143, Security: server.StartTLS}}}}},
	}
	c := ComputerFrom(rep)
	if c.OS.Name != "Windows 7" || c.OS.Build != "7601" || c.OS.TLS["1.1"] != "off" || c.OS.TLS["1.3"] != "no" || len(c.OS.TLS) != 4 {
		t.Errorf("OS %+v", c.OS)
	}
	if len(c.Clients) != 1 || len(c.Clients[0].Accounts) != 1 {
		t.Fatalf("clients %+v", c.Clients)
	}
	cl := c.Clients[0]
	in := cl.Accounts[0].Incoming
	if cl.Version != "128.3.1" || in == nil || *in != (Server{Protocol: "imap", Host: "mail.example.test", Port: 143, Security: "starttls"}) ||
		cl.Accounts[0].Outgoing != nil {
		t.Errorf("client %+v, incoming %+v", cl, in)
	}
	if !finding.Has(cl.Findings, finding.StartTLSInUse) {
		t.Errorf("the account's findings are not the client's: %v", cl.Findings)
	}
}
