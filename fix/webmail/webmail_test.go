package webmail

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"maildoctor.app/maildoctor/internal/testpki"
)

const (
	email = "mario@maildoctor.test"
	guess = "https://webmail.maildoctor.test/"
)

// server starts an HTTPS server on loopback with the given certificate
// and returns a client that sends every host there and trusts ca.
func server(t *testing.T, cert tls.Certificate, ca *testpki.CA, h http.HandlerFunc) *http.Client {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return clientTo(srv.Listener.Addr().String(), ca)
}

func clientTo(addr string, ca *testpki.CA) *http.Client {
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		},
		TLSClientConfig: &tls.Config{RootCAs: ca.Pool()},
	}
	return &http.Client{Transport: tr}
}

type refuseDoer struct{ t *testing.T }

func (r refuseDoer) Do(*http.Request) (*http.Response, error) {
	r.t.Error("a request was sent although the profile names the webmail")
	return nil, errors.New("no")
}

func TestProfileWebmailWins(t *testing.T) {
	got, err := Find(context.Background(), email, "https://posta.provider.example/login", Options{Client: refuseDoer{t}})
	if err != nil || got != "https://posta.provider.example/login" {
		t.Errorf("got %q, %v", got, err)
	}
}

func TestGuess(t *testing.T) {
	ca := testpki.NewCA(t, "test CA")
	good := ca.Leaf(t, testpki.LeafOptions{Names: []string{"webmail.maildoctor.test"}}).TLSCertificate(t)
	wrongName := ca.Leaf(t, testpki.LeafOptions{Names: []string{"www.elsewhere.test"}}).TLSCertificate(t)
	selfSigned := testpki.SelfSigned(t, testpki.LeafOptions{Names: []string{"webmail.maildoctor.test"}}).TLSCertificate(t)
	expired := ca.Leaf(t, testpki.LeafOptions{Names: []string{"webmail.maildoctor.test"},
		NotBefore: time.Now().AddDate(0, -3, 0), NotAfter: time.Now().AddDate(0, 0, -1)}).TLSCertificate(t)
	status := func(code int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(code) }
	}
	cases := []struct {
		name    string
		cert    tls.Certificate
		profile string
		handler http.HandlerFunc
		want    string
	}{
		{"answers 200", good, "", status(200), guess},
		{"asks for a login", good, "", status(401), guess},
		{"profile link not https: guessed instead", good, "http://webmail.maildoctor.test/", status(200), guess},
		{"HEAD not allowed, GET works", good, "", func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodHead {
				w.WriteHeader(http.StatusMethodNotAllowed)
				return
			}
			w.WriteHeader(200)
		}, guess},
		{"redirect within https", good, "", func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/" {
				http.Redirect(w, r, "/roundcube/", http.StatusFound)
				return
			}
			w.WriteHeader(200)
		}, guess},
		{"redirect to plain http", good, "", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://webmail.maildoctor.test/", http.StatusFound)
		}, ""},
		{"not found", good, "", status(404), ""},
		{"server error", good, "", status(502), ""},
		{"certificate for another name", wrongName, "", status(200), ""},
		{"self-signed certificate", selfSigned, "", status(200), ""},
		{"expired certificate", expired, "", status(200), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			client := server(t, c.cert, ca, c.handler)
			got, err := Find(context.Background(), email, c.profile, Options{Client: client, Timeout: 3 * time.Second})
			if err != nil || got != c.want {
				t.Errorf("got %q, %v; want %q", got, err, c.want)
			}
		})
	}
}

// A server that accepts and says nothing costs the timeout, no more; a
// closed port costs nothing.
func TestSilentAndClosed(t *testing.T) {
	ca := testpki.NewCA(t, "test CA")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	start := time.Now()
	got, err := Find(context.Background(), email, "", Options{Client: clientTo(ln.Addr().String(), ca), Timeout: 300 * time.Millisecond})
	if err != nil || got != "" {
		t.Errorf("silent server: got %q, %v", got, err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("silent server took %v with a 300ms timeout", d)
	}
	closed := ln.Addr().String()
	ln.Close()
	got, err = Find(context.Background(), email, "", Options{Client: clientTo(closed, ca)})
	if err != nil || got != "" {
		t.Errorf("closed port: got %q, %v", got, err)
	}
}

func TestBadInput(t *testing.T) {
	if _, err := Find(context.Background(), "no address", "", Options{}); err == nil {
		t.Error("a bad address was accepted")
	}
	if err := Answers(context.Background(), "http://webmail.maildoctor.test/", Options{}); err == nil {
		t.Error("a plain-http page was checked")
	}
}

// The default client is strict: it refuses a redirect to plain HTTP
// before following it.
func TestDefaultClientRedirects(t *testing.T) {
	c := defaultClient()
	req, _ := http.NewRequest(http.MethodGet, "http://webmail.maildoctor.test/", nil)
	if err := c.CheckRedirect(req, nil); err == nil {
		t.Error("redirect to http allowed")
	}
	req, _ = http.NewRequest(http.MethodGet, "https://webmail.maildoctor.test/x", nil)
	if err := c.CheckRedirect(req, nil); err != nil {
		t.Errorf("https redirect refused: %v", err)
	}
}
