package gui

import (
	"context"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2/test"

	"maildoctor.app/maildoctor/detect/check"
	"maildoctor.app/maildoctor/detect/compat"
	"maildoctor.app/maildoctor/detect/probe"
	"maildoctor.app/maildoctor/detect/server"
)

// After a check, "This computer" measures the program that holds the
// checked address (Thunderbird, not Outlook which holds none) with its
// own handshakes against the account's implicit-TLS server, off the UI
// goroutine, once; the verdict per program becomes measured.
func TestComputerMeasuresTheProgramAfterACheck(t *testing.T) {
	var mu sync.Mutex
	var calls []string
	sim := func(_ context.Context, v compat.Verdict, srv string) ([]compat.MeasuredCell, error) {
		mu.Lock()
		defer mu.Unlock()
		name := ""
		if v.Client != nil {
			name = v.Client.Row
		}
		calls = append(calls, name+"@"+srv)
		return []compat.MeasuredCell{{Name: "Thunderbird 115", Measured: probe.Measured{Connects: true, Version: "1.3", Cipher: "TLS_AES_128_GCM_SHA256"}}}, nil
	}
	rep := &check.Report{Email: "mario@cliente.it", Verdict: check.VerdictOK, Endpoints: []*probe.Result{
		{Endpoint: server.Endpoint{Protocol: server.SMTP, Host: "smtp.cliente.it", Port: 465, Security: server.TLS}, Reachable: true, TLS: &probe.TLSInfo{Negotiated: "1.3"}},
		{Endpoint: server.Endpoint{Protocol: server.IMAP, Host: "imap.cliente.it", Port: 143, Security: server.StartTLS}, Reachable: true, TLS: &probe.TLSInfo{Negotiated: "1.3"}},
		{Endpoint: server.Endpoint{Protocol: server.IMAP, Host: "imap.cliente.it", Port: 993, Security: server.TLS}, Reachable: true, TLS: &probe.TLSInfo{Negotiated: "1.3"}},
	}}
	u, _ := startUI(t, Deps{Check: (&fakeCheck{report: rep}).run, Computer: fakeComputer, Plan: fakePlan, Lang: "en", Simulate: sim})
	if texts := strings.Join(allText(u.computerScreen.body), "\n"); strings.Contains(texts, "Measured on") || len(calls) != 0 {
		t.Fatalf("measured before any check: %v\n%s", calls, texts)
	}
	test.Type(u.account.email, "mario@cliente.it")
	test.Tap(u.account.start)
	settle(u)
	texts := strings.Join(allText(u.computerScreen.body), "\n")
	for _, want := range []string{"Measured on imap.cliente.it:993 with the handshake of Thunderbird", "• Thunderbird 115: connects, TLS 1.3"} {
		if !strings.Contains(texts, want) {
			t.Errorf("This computer does not say %q:\n%s", want, texts)
		}
	}
	u.computerScreen.render()
	settle(u)
	mu.Lock()
	defer mu.Unlock()
	if len(calls) != 1 || !strings.HasSuffix(calls[0], "@imap.cliente.it:993") {
		t.Errorf("Simulate calls %v, want one for Thunderbird against imap.cliente.it:993", calls)
	}
}
