package discover

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeDNS answers from maps and records every question, so tests can
// check which names discovery asked about.
type fakeDNS struct {
	srv   map[string][]*net.SRV // "_imaps._tcp.example.test"
	mx    map[string][]*net.MX
	hosts map[string][]string
	delay time.Duration // per query; honours the context

	mu    sync.Mutex
	asked []string
}

func (f *fakeDNS) ask(ctx context.Context, q string) error {
	f.mu.Lock()
	f.asked = append(f.asked, q)
	f.mu.Unlock()
	if f.delay <= 0 {
		return nil
	}
	select {
	case <-time.After(f.delay):
		return nil
	case <-ctx.Done():
		return &net.DNSError{Err: "i/o timeout", Name: q, IsTimeout: true}
	}
}

func (f *fakeDNS) questions() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.asked...)
}

func notFound(name string) error {
	return &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
}

func (f *fakeDNS) LookupSRV(ctx context.Context, service, proto, name string) (string, []*net.SRV, error) {
	q := "_" + service + "._" + proto + "." + name
	if err := f.ask(ctx, "SRV "+q); err != nil {
		return "", nil, err
	}
	recs, ok := f.srv[q]
	if !ok {
		return "", nil, notFound(q)
	}
	var out []*net.SRV
	for _, r := range recs {
		c := *r
		out = append(out, &c)
	}
	return q + ".", out, nil
}

func (f *fakeDNS) LookupMX(ctx context.Context, name string) ([]*net.MX, error) {
	if err := f.ask(ctx, "MX "+name); err != nil {
		return nil, err
	}
	recs, ok := f.mx[name]
	if !ok {
		return nil, notFound(name)
	}
	var out []*net.MX
	for _, r := range recs {
		c := *r
		out = append(out, &c)
	}
	return out, nil
}

func (f *fakeDNS) LookupHost(ctx context.Context, host string) ([]string, error) {
	if err := f.ask(ctx, "A "+host); err != nil {
		return nil, err
	}
	addrs, ok := f.hosts[host]
	if !ok {
		return nil, notFound(host)
	}
	return addrs, nil
}

// web is an https server that answers for some host names on port 443,
// reached through a client whose dialer maps those names to it; every
// other name fails to dial, as on a machine with no internet.
type web struct {
	srv    *httptest.Server
	client *http.Client

	mu     sync.Mutex
	dialed []string
}

// newWeb serves handler for hosts, with a certificate made for them, so
// the client verifies TLS as in production.
func newWeb(t *testing.T, hosts []string, handler http.Handler) *web {
	t.Helper()
	cert, pool := testCert(t, hosts)
	w := &web{srv: httptest.NewUnstartedServer(handler)}
	w.srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	w.srv.StartTLS()
	t.Cleanup(w.srv.Close)
	served := map[string]bool{}
	for _, h := range hosts {
		served[net.JoinHostPort(h, "443")] = true
	}
	dialer := &net.Dialer{Timeout: 2 * time.Second}
	transport := &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: pool},
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			w.mu.Lock()
			w.dialed = append(w.dialed, addr)
			w.mu.Unlock()
			if !served[addr] {
				return nil, errors.New("dial " + addr + ": no route to host (test)")
			}
			return dialer.DialContext(ctx, network, w.srv.Listener.Addr().String())
		},
	}
	t.Cleanup(transport.CloseIdleConnections)
	w.client = &http.Client{Transport: transport, Timeout: 10 * time.Second}
	return w
}

func (w *web) dials() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.dialed...)
}

// offline is a client for tests that expect no autoconfig answer.
func offline(t *testing.T) *web {
	return newWeb(t, nil, http.NotFoundHandler())
}

// testCert makes a self-signed certificate for hosts and a pool that
// trusts it: no test needs InsecureSkipVerify.
func testCert(t testing.TB, hosts []string) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "discover test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		DNSNames:              append([]string{"unused.test"}, hosts...),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// byHost routes requests by Host header, the way one web server with
// several virtual hosts would.
type byHost map[string]http.HandlerFunc

func (b byHost) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := r.Host
	if i := strings.LastIndexByte(h, ':'); i >= 0 {
		h = h[:i]
	}
	if f := b[h]; f != nil {
		f(w, r)
		return
	}
	http.NotFound(w, r)
}

func serveXML(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write([]byte(body))
	}
}
