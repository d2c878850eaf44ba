package gui

import (
	"context"
	"errors"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"maildoctor.app/maildoctor/detect/compat"
	"maildoctor.app/maildoctor/detect/probe"
)

// TestAgentCompatToolServer: with a server typed, "Will it still work?"
// hands the verdict and the server to Simulate off the UI goroutine and
// adds one line per client handshake; a failure is one line; without a
// server, nothing is measured.
func TestAgentCompatToolServer(t *testing.T) {
	var gotServer string
	var gotClient string
	fail := false
	sim := func(_ context.Context, v compat.Verdict, server string) ([]compat.MeasuredCell, error) {
		gotServer = server
		if v.Client != nil {
			gotClient = v.Client.Row
		}
		if fail {
			return nil, errors.New("no such host")
		}
		return []compat.MeasuredCell{
			{Name: "Windows 7 SP1 with TLS 1.2", Measured: probe.Measured{Reason: probe.ReasonNoSharedCipher}},
			{Name: "Windows 11", Measured: probe.Measured{Connects: true, Version: "1.3", Cipher: "TLS_AES_256_GCM_SHA384"}},
		}, nil
	}
	u, _ := startUI(t, Deps{Check: (&fakeCheck{}).run, Computer: fakeComputer, Plan: fakePlan, Lang: "en", Simulate: sim})
	tool := u.support.compatTool()
	entries := findEntries(tool)
	if len(entries) != 3 {
		t.Fatalf("%d entries in the tool, want system, program and server", len(entries))
	}
	test.Type(entries[0], "windows 7")
	test.Type(entries[1], "outlook 2010")
	ask := findButton(tool, u.T("gui.agent.ask"))
	test.Tap(ask)
	settle(u)
	if gotServer != "" {
		t.Fatalf("measured without a server: %q", gotServer)
	}
	test.Type(entries[2], "imap.provider.example:993")
	test.Tap(ask)
	settle(u)
	text := allText(container.NewVBox(tool))
	if gotServer != "imap.provider.example:993" || gotClient == "" {
		t.Errorf("Simulate got server %q, client row %q", gotServer, gotClient)
	}
	for _, want := range []string{"Measured with imap.provider.example:993", "Windows 7 SP1 with TLS 1.2: does not connect — the server accepts no cipher suite",
		"Windows 11: connects, TLS 1.3 (TLS_AES_256_GCM_SHA384)"} {
		if !contains(text, want) {
			t.Errorf("no %q in %v", want, text)
		}
	}
	fail = true
	test.Tap(ask)
	settle(u)
	if text := allText(container.NewVBox(tool)); !contains(text, "imap.provider.example:993 could not be tried: no such host") {
		t.Errorf("failure not shown: %v", text)
	}
}

// findEntries lists the text fields under o, forms included, in order.
func findEntries(o fyne.CanvasObject) []*entry {
	var out []*entry
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *entry:
			out = append(out, w)
		case *widget.Form:
			for _, it := range w.Items {
				walk(it.Widget)
			}
		case *widget.Card:
			walk(w.Content)
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		}
	}
	walk(o)
	return out
}
