package discover

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// A support link (or --profile) naming settings on this computer, the
// local network, a cloud metadata service or a bare IP address is refused
// before anything is sent: a blind GET there is what an attacker wants
// from the customer's machine.
func TestLinkProfileOnLoopbackLANOrIPLiteralRefusedUnfetched(t *testing.T) {
	var hits int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		atomic.AddInt32(&hits, 1)
		serveXML(hosterFile)(w, r)
	}))
	defer srv.Close()
	// srv.URL is https://127.0.0.1:port, and srv.Client() trusts it.
	if p, err := LoadProfile(context.Background(), srv.URL+"/p.xml", srv.Client()); err == nil {
		t.Errorf("loaded %s from loopback", p.ID)
	}
	if n := atomic.LoadInt32(&hits); n != 0 {
		t.Errorf("the loopback server got %d requests", n)
	}

	w := newWeb(t, nil, http.NotFoundHandler()) // dials nothing, records every dial
	for _, src := range []string{
		"https://127.0.0.1/p.xml",
		"https://169.254.169.254/latest/meta-data/",
		"https://[::1]/p.xml",
		"https://[::ffff:127.0.0.1]/p.xml",
		"https://10.0.0.8/p.xml",
		"https://172.16.5.4/p.xml",
		"https://192.168.1.1/p.xml",
		"https://[fd00::1]/p.xml",
		"https://[fe80::1%25eth0]/p.xml",
		"https://93.184.216.34/p.xml", // public, but a bare address
		"https://localhost/p.xml",
		"https://LOCALHOST./p.xml",
		"https://mail.localhost/p.xml",
		"https://printer.local/p.xml",
		"https://router/p.xml",
		"https://2130706433/p.xml",
		"https://0x7f000001/p.xml",
		"https://127.1/p.xml",
	} {
		_, err := LoadProfile(context.Background(), src, w.client)
		var he *ProfileHostError
		if !errors.As(err, &he) {
			t.Errorf("LoadProfile(%s) error = %v, want a refused host", src, err)
		}
	}
	if d := w.dials(); len(d) != 0 {
		t.Errorf("dialled %v", d)
	}
}

// A profile may redirect only within its own host: a provider's web
// server that sends the fetch elsewhere is not the provider's word.
func TestLinkProfileRedirectToAnotherHostRefused(t *testing.T) {
	var other int32
	w := newWeb(t, []string{"profiles.example.net", "other.example.net"}, byHost{
		"profiles.example.net": func(rw http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/away.xml":
				http.Redirect(rw, r, "https://other.example.net/p.xml", http.StatusFound)
			case "/moved.xml":
				http.Redirect(rw, r, "/p.xml", http.StatusMovedPermanently)
			default:
				serveXML(hosterFile)(rw, r)
			}
		},
		"other.example.net": func(rw http.ResponseWriter, r *http.Request) {
			atomic.AddInt32(&other, 1)
			serveXML(hosterFile)(rw, r)
		},
	})
	_, err := LoadProfile(context.Background(), "https://profiles.example.net/away.xml", w.client)
	if err == nil || !strings.Contains(err.Error(), "another host") {
		t.Errorf("redirect to another host: error = %v", err)
	}
	if n := atomic.LoadInt32(&other); n != 0 {
		t.Errorf("the other host got %d requests", n)
	}
	if p, err := LoadProfile(context.Background(), "https://profiles.example.net/moved.xml", w.client); err != nil || p.ID != "hoster.example" {
		t.Errorf("redirect on the same host: %+v, %v", p, err)
	}
}

// A public name whose DNS answer is a loopback, private or link-local
// address is refused when connecting (the client LoadProfile makes when
// given none).
func TestProfileClientRefusesLocalAddresses(t *testing.T) {
	var hits int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		atomic.AddInt32(&hits, 1)
	}))
	defer srv.Close()
	c := publicClient()
	resp, err := c.Get(srv.URL)
	if err == nil {
		resp.Body.Close()
		t.Fatal("connected to a loopback address")
	}
	if !strings.Contains(err.Error(), "not a public internet address") || atomic.LoadInt32(&hits) != 0 {
		t.Errorf("error = %v, %d requests", err, hits)
	}
	for _, addr := range []string{"127.0.0.1:443", "10.1.2.3:443", "172.31.0.1:443", "192.168.0.10:443", "169.254.169.254:443",
		"100.64.0.1:443", "0.0.0.0:443", "[::1]:443", "[fd12::1]:443", "[fe80::1]:443", "[::ffff:10.0.0.1]:443", "224.0.0.1:443"} {
		if refuseLocal("tcp", addr, nil) == nil {
			t.Errorf("%s allowed", addr)
		}
	}
	for _, addr := range []string{"93.184.216.34:443", "[2606:2800:220:1:248:1893:25c8:1946]:443"} {
		if err := refuseLocal("tcp", addr, nil); err != nil {
			t.Errorf("%s refused: %v", addr, err)
		}
	}
}

func TestCheckProfileHost(t *testing.T) {
	for _, h := range []string{"www.example.it", "profiles.maildoctor.example", "caffè.it", "xn--caff-epa.it"} {
		if err := CheckProfileHost(h); err != nil {
			t.Errorf("CheckProfileHost(%q) = %v", h, err)
		}
	}
}
