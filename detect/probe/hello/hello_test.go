package hello

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"io"
	"math/big"
	"net"
	"testing"
	"time"
)

func TestX25519RFC7748(t *testing.T) {
	// RFC 7748 §6.1, Alice's key pair.
	var k [32]byte
	priv, _ := hex.DecodeString("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")
	copy(k[:], priv)
	got := X25519Base(k)
	want := "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"
	if hex.EncodeToString(got[:]) != want {
		t.Errorf("X25519Base = %x, want %s", got, want)
	}
}

func selfSigned(t *testing.T) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "hello.test"},
		DNSNames: []string{"hello.test"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// answerFromGo sends p's hello to a crypto/tls server and parses its
// answer: Go's server checks the key share and the extensions, so this
// shows the hello is well formed.
func answerFromGo(t *testing.T, p *Profile, cfg *tls.Config) (*Answer, error) {
	t.Helper()
	c, s := net.Pipe()
	defer c.Close()
	cfg.Certificates = []tls.Certificate{selfSigned(t)}
	go func() {
		srv := tls.Server(s, cfg)
		_ = srv.Handshake()
		s.Close()
	}()
	msg, err := Build(p, "hello.test", rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.Write(msg); err != nil {
		t.Fatal(err)
	}
	return Read(c, 1<<16)
}

var modern = &Profile{
	Versions:            []uint16{0x0303, 0x0304},
	CipherSuites:        []uint16{0x1301, 0x1303, 0xc02f, 0xc02b},
	Groups:              []uint16{0x001d, 0x0017},
	KeyShares:           []uint16{0x001d},
	SignatureAlgorithms: []uint16{0x0403, 0x0804, 0x0401},
	SNI:                 true, EMS: true, RenegotiationInfo: true, ECPointFormats: true,
}

func TestBuildAgainstGoServer(t *testing.T) {
	for _, share := range []uint16{0x001d, 0x0017, 0x0018} {
		p := *modern
		p.Groups = []uint16{share}
		p.KeyShares = []uint16{share}
		ans, err := answerFromGo(t, &p, &tls.Config{})
		if err != nil {
			t.Fatalf("share %s: %v", GroupName(share), err)
		}
		if ans.Version != 0x0304 || ans.Group != share || ans.HelloRetry || ans.Alert != nil {
			t.Errorf("share %s: answer %+v", GroupName(share), ans)
		}
	}
	// TLS 1.2 only: the group comes from the ServerKeyExchange.
	p := *modern
	p.Versions = []uint16{0x0301, 0x0302, 0x0303}
	p.CipherSuites = []uint16{0xc02b}
	p.Groups = []uint16{0x0017}
	ans, err := answerFromGo(t, &p, &tls.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if ans.Version != 0x0303 || ans.CipherSuite != 0xc02b || ans.Group != 0x0017 {
		t.Errorf("TLS 1.2: answer %+v", ans)
	}
	// A share the server does not want: HelloRetryRequest for x25519.
	p = *modern
	p.Groups = []uint16{0x0018, 0x001d}
	p.KeyShares = []uint16{0x0018}
	ans, err = answerFromGo(t, &p, &tls.Config{CurvePreferences: []tls.CurveID{tls.X25519}})
	if err != nil {
		t.Fatal(err)
	}
	if !ans.HelloRetry || ans.Group != 0x001d {
		t.Errorf("retry: answer %+v", ans)
	}
	// Only TLS 1.0 against a TLS 1.2 minimum: protocol_version alert.
	p = *modern
	p.Versions = []uint16{0x0301}
	p.CipherSuites = []uint16{0xc013}
	ans, err = answerFromGo(t, &p, &tls.Config{MinVersion: tls.VersionTLS12})
	if err != nil {
		t.Fatal(err)
	}
	if ans.Alert == nil || *ans.Alert != 70 {
		t.Errorf("TLS 1.0: answer %+v, want alert protocol_version", ans)
	}
	// No shared suite: handshake_failure.
	p = *modern
	p.Versions = []uint16{0x0303}
	p.CipherSuites = []uint16{0x0004}
	ans, err = answerFromGo(t, &p, &tls.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if ans.Alert == nil || *ans.Alert != 40 {
		t.Errorf("no suite: answer %+v, want alert handshake_failure", ans)
	}
}

func TestBuildShape(t *testing.T) {
	msg, err := Build(modern, "192.0.2.1", rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if msg[0] != 22 || int(msg[3])<<8|int(msg[4]) != len(msg)-5 || msg[5] != 1 {
		t.Fatalf("record header % x", msg[:6])
	}
	// An address never goes into SNI (RFC 6066 §3).
	if containsBytes(msg, []byte("192.0.2.1")) {
		t.Error("an IP address was sent as SNI")
	}
	if _, err := Build(&Profile{}, "x", rand.Reader); err == nil {
		t.Error("an empty profile built a hello")
	}
	if _, err := Build(&Profile{Versions: []uint16{0x0304}, CipherSuites: []uint16{0x1301}, KeyShares: []uint16{0x0100}}, "x", rand.Reader); err == nil {
		t.Error("a share for ffdhe2048 was made up")
	}
}

func containsBytes(b, sub []byte) bool {
	for i := 0; i+len(sub) <= len(b); i++ {
		if string(b[i:i+len(sub)]) == string(sub) {
			return true
		}
	}
	return false
}

type chunkReader struct {
	data []byte
	n    int
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	k := r.n
	if k > len(r.data) {
		k = len(r.data)
	}
	if k > len(p) {
		k = len(p)
	}
	copy(p, r.data[:k])
	r.data = r.data[k:]
	return k, nil
}

var parseCases = []struct {
	name string
	data string
	err  error
}{
	{"http", "HTTP/1.1 400 Bad Request\r\n\r\n", ErrNotTLS},
	{"imap greeting", "* OK [CAPABILITY IMAP4rev1] ready\r\n", ErrNotTLS},
	{"ssl2-ish", "\x80\x2e\x02\x00", ErrNotTLS},
	{"truncated hello", "\x16\x03\x03\x00\x40\x02\x00\x00\x3c\x03\x03", io.ErrUnexpectedEOF},
	{"empty", "", io.EOF},
	{"short alert", "\x15\x03\x03\x00\x01\x02", ErrMalformed},
	{"wrong first message", "\x16\x03\x03\x00\x04\x0b\x00\x00\x00", ErrMalformed},
}

func TestReadBadAnswers(t *testing.T) {
	for _, tc := range parseCases {
		for _, n := range []int{1, 3, 4096} {
			_, err := Read(&chunkReader{data: []byte(tc.data), n: n}, 1<<16)
			if err == nil || (err != tc.err && !isWrapped(err, tc.err)) {
				t.Errorf("%s (chunks of %d): err %v, want %v", tc.name, n, err, tc.err)
			}
		}
	}
	// Endless records that never finish a hello stop at the limit.
	rec := append([]byte{22, 3, 3, 0x40, 0}, make([]byte, 0x4000)...)
	rec[5] = 2
	rec[6], rec[7], rec[8] = 0x0f, 0xff, 0xff
	var endless []byte
	for i := 0; i < 10; i++ {
		endless = append(endless, rec...)
	}
	if _, err := Read(&chunkReader{data: endless, n: 4096}, 1<<16); err == nil {
		t.Error("an endless hello was accepted")
	}
}

func isWrapped(err, target error) bool {
	for e := err; e != nil; {
		if e == target {
			return true
		}
		u, ok := e.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		e = u.Unwrap()
	}
	return false
}

func FuzzParse(f *testing.F) {
	for _, tc := range parseCases {
		f.Add([]byte(tc.data))
	}
	f.Add([]byte("\x15\x03\x03\x00\x02\x02\x28"))
	f.Add([]byte("\x16\x03\x03\x00\x2e\x02\x00\x00\x2a\x03\x03" + string(make([]byte, 32)) + "\x00\xc0\x2f\x00\x00\x02\xff\x01"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ans, done, err := Parse(data)
		if done && ans == nil {
			t.Fatal("done without an answer")
		}
		if err != nil && done {
			t.Fatal("done with an error")
		}
		// Any prefix of a finished answer is unfinished or the same kind.
		_, _, _ = Parse(data[:len(data)/2])
	})
}
