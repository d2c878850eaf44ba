package discover

import (
	"errors"
	"strings"
	"testing"
)

func TestSplitAddress(t *testing.T) {
	tests := []struct {
		in         string
		local, dom string
		wantErr    string
	}{
		{in: "mario.rossi@example.it", local: "mario.rossi", dom: "example.it"},
		{in: "  mario@example.it \t\n", local: "mario", dom: "example.it"},
		{in: "Mario.Rossi@Example.IT", local: "Mario.Rossi", dom: "example.it"},
		{in: "info+fatture@sub.example.co.uk", local: "info+fatture", dom: "sub.example.co.uk"},
		{in: "posta@caffè.it", local: "posta", dom: "xn--caff-8oa.it"},
		{in: "POSTA@CAFFÈ.IT", local: "POSTA", dom: "xn--caff-8oa.it"},
		{in: "hans@münchen.de", local: "hans", dom: "xn--mnchen-3ya.de"},
		{in: "hans@xn--mnchen-3ya.de", local: "hans", dom: "xn--mnchen-3ya.de"},
		{in: "user@example.it.", local: "user", dom: "example.it"},
		{in: "josé@例え.jp", local: "josé", dom: "xn--r8jz45g.jp"},
		{in: "user@ｅｘａｍｐｌｅ.it", local: "user", dom: "example.it"}, // full-width, as typed on some keyboards
		{in: "notanemail", wantErr: `"notanemail" is not an e-mail address`},
		{in: "", wantErr: "empty"},
		{in: "   ", wantErr: "empty"},
		{in: "a@", wantErr: "nothing comes after the @"},
		{in: "@b.it", wantErr: "nothing comes before the @"},
		{in: "a@@b.it", wantErr: "more than one @"},
		{in: "a@b@c.it", wantErr: "more than one @"},
		{in: "a b@c.it", wantErr: "space"},
		{in: "a@b c.it", wantErr: "not a valid domain"},
		{in: "a@localhost", wantErr: "no dot"},
		{in: "a@192.0.2.1", wantErr: "IP address"},
		{in: "a@[192.0.2.1]", wantErr: "not a valid domain"},
		{in: "a@b..it", wantErr: "not a valid domain"},
		{in: "a@-b.it", wantErr: "not a valid domain"},
		{in: "a@b_c.it", wantErr: "not a valid domain"},
		{in: "a@b.it/x", wantErr: "not a valid domain"},
		{in: `"a"@b.it`, wantErr: "not allowed"},
		{in: "a<b@c.it", wantErr: "not allowed"},
		{in: "a\x00@c.it", wantErr: "control"},
		{in: strings.Repeat("a", 65) + "@b.it", wantErr: "longer than 64"},
		{in: "a@" + strings.Repeat("b", 64) + ".it", wantErr: "longer than 63"},
		{in: "a@" + strings.Repeat("bbbbbbbbb.", 26) + "it", wantErr: "longer than 254"},
	}
	for _, tt := range tests {
		local, dom, err := SplitAddress(tt.in)
		if tt.wantErr != "" {
			var ae *AddressError
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.As(err, &ae) {
				t.Errorf("SplitAddress(%q) error = %v, want an *AddressError containing %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || local != tt.local || dom != tt.dom {
			t.Errorf("SplitAddress(%q) = %q, %q, %v; want %q, %q", tt.in, local, dom, err, tt.local, tt.dom)
		}
	}
}

func TestAddressErrorText(t *testing.T) {
	_, _, err := SplitAddress(" notanemail ")
	if got, want := err.Error(), `"notanemail" is not an e-mail address`; got != want {
		t.Errorf("error = %q, want %q", got, want)
	}
}

func TestHostName(t *testing.T) {
	for in, want := range map[string]string{
		"IMAP.Example.COM.": "imap.example.com",
		"_imaps._tcp.x.it":  "_imaps._tcp.x.it",
		"posta.caffè.it":    "posta.xn--caff-8oa.it",
		"192.0.2.1":         "192.0.2.1",
		"[2001:DB8::1]":     "2001:db8::1",
		" mail.example.it ": "mail.example.it",
	} {
		if got, err := hostName(in); err != nil || got != want {
			t.Errorf("hostName(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", ".", "a..b", "a b", "a/b", "a:b", "-a.b", "a-.b", strings.Repeat("a", 64) + ".b"} {
		if got, err := hostName(in); err == nil {
			t.Errorf("hostName(%q) = %q, want an error", in, got)
		}
	}
}
