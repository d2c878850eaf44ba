// Package postfixtest starts a real Postfix (Debian's postfix 3.7) for the
// tests: its own configuration, queue and log in a directory of its own,
// submission on 587 (STARTTLS) and 465 (implicit TLS) of a random loopback
// address, SASL PLAIN and LOGIN through Cyrus SASL with a sasldb file.
// It is what most providers run for submission, and its log counts every
// command of every connection ("disconnect from … ehlo=2 starttls=1
// auth=0/1 quit=1 commands=…").
//
// It needs root and the packages postfix, sasl2-bin and libsasl2-modules;
// Available says whether they are there.
package postfixtest

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Config describes one Postfix.
type Config struct {
	// CertPEM and KeyPEM are the server's certificate (with its chain)
	// and key.
	CertPEM, KeyPEM []byte
	// Users maps "user@realm" to a password.
	Users map[string]string
	// Hostname is myhostname (default mail.example.test).
	Hostname string
	// TLSLogLevel is smtpd_tls_loglevel; 0 leaves Postfix's default (0),
	// 1 logs "… TLS connection established from …: TLSv1.3 with cipher
	// …" for every TLS connection.
	TLSLogLevel int
	// SyslogNames names the services in the log as Debian's master.cf
	// suggests (-o syslog_name=postfix/submission on 587,
	// postfix/submissions on 465); by default both log as postfix/smtpd.
	SyslogNames bool
}

// Server is a running Postfix.
type Server struct {
	// Addr is its loopback address (no port); 587 and 465 listen there.
	Addr string
	dir  string
}

// Available reports why Postfix cannot be started here, or nil.
func Available() error {
	if os.Geteuid() != 0 {
		return errors.New("postfixtest needs root")
	}
	for _, b := range []string{"postfix", "saslpasswd2", "script"} {
		if _, err := exec.LookPath(b); err != nil {
			return fmt.Errorf("%s not installed (apt-get install postfix sasl2-bin libsasl2-modules)", b)
		}
	}
	return nil
}

// Start starts a Postfix, or skips the test when it is not installed; it
// is stopped when the test ends.
func Start(t testing.TB, cfg Config) *Server {
	t.Helper()
	if err := Available(); err != nil {
		t.Skip(err)
	}
	var lastErr error
	for try := 0; try < 5; try++ {
		s, err := start(cfg)
		if err == nil {
			t.Cleanup(s.Stop)
			return s
		}
		lastErr = err
	}
	t.Fatalf("postfix: %v", lastErr)
	return nil
}

func start(cfg Config) (*Server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	// Postfix's daemons run as user postfix and must reach every file:
	// a world-readable directory of its own under /tmp, not t.TempDir.
	dir, err := os.MkdirTemp("", "postfixtest")
	if err != nil {
		return nil, err
	}
	s := &Server{Addr: addr, dir: dir}
	if err := s.configure(cfg); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	out, err := exec.Command("script", "-qc", "postfix -c "+dir+" start", "/dev/null").CombinedOutput()
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("postfix start: %v: %s", err, out)
	}
	if err := s.waitReady(10 * time.Second); err != nil {
		s.Stop()
		return nil, fmt.Errorf("%v: %s\n%s", err, out, s.Log())
	}
	return s, nil
}

func (s *Server) configure(cfg Config) error {
	d := s.dir
	host := cfg.Hostname
	if host == "" {
		host = "mail.example.test"
	}
	for _, sub := range []string{"queue", "data", "sasl"} {
		if err := os.MkdirAll(filepath.Join(d, sub), 0o755); err != nil {
			return err
		}
	}
	if err := os.Chmod(d, 0o755); err != nil {
		return err
	}
	files := map[string][]byte{
		"cert.pem":        cfg.CertPEM,
		"key.pem":         cfg.KeyPEM,
		"main.cf":         []byte(strings.ReplaceAll(strings.ReplaceAll(mainCF, "DIR", d), "HOST", host) + extraMain(cfg)),
		"sasl/smtpd.conf": []byte(strings.ReplaceAll(smtpdConf, "DIR", d)),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(d, name), data, 0o644); err != nil {
			return err
		}
	}
	if err := os.Chmod(filepath.Join(d, "key.pem"), 0o600); err != nil {
		return err
	}
	master, err := masterCF(s.Addr, cfg.SyslogNames)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(d, "master.cf"), master, 0o644); err != nil {
		return err
	}
	for user, pass := range cfg.Users {
		name, realm := user, ""
		if i := strings.LastIndex(user, "@"); i >= 0 {
			name, realm = user[:i], user[i+1:]
		}
		cmd := exec.Command("saslpasswd2", "-c", "-p", "-f", filepath.Join(d, "sasldb"), "-u", realm, name)
		cmd.Stdin = strings.NewReader(pass)
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("saslpasswd2: %v: %s", err, out)
		}
	}
	for _, p := range []string{"data", "sasldb"} {
		if out, err := exec.Command("chown", "postfix", filepath.Join(d, p)).CombinedOutput(); err != nil {
			return fmt.Errorf("chown: %v: %s", err, out)
		}
	}
	return nil
}

const mainCF = `compatibility_level = 3.6
queue_directory = DIR/queue
data_directory = DIR/data
meta_directory = /etc/postfix
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = all
inet_protocols = ipv4
myhostname = HOST
mydestination =
alias_maps =
alias_database =
maillog_file = DIR/maillog
maillog_file_prefixes = DIR
smtpd_tls_cert_file = DIR/cert.pem
smtpd_tls_key_file = DIR/key.pem
smtpd_tls_security_level = may
smtpd_tls_auth_only = yes
smtpd_sasl_auth_enable = yes
smtpd_sasl_type = cyrus
smtpd_sasl_path = smtpd
cyrus_sasl_config_path = DIR/sasl
smtpd_relay_restrictions = permit_sasl_authenticated, reject
`

// extraMain is the main.cf settings the options ask for.
func extraMain(cfg Config) string {
	if cfg.TLSLogLevel > 0 {
		return fmt.Sprintf("smtpd_tls_loglevel = %d\n", cfg.TLSLogLevel)
	}
	return ""
}

const smtpdConf = `pwcheck_method: auxprop
auxprop_plugin: sasldb
mech_list: PLAIN LOGIN
sasldb_path: DIR/sasldb
`

// masterCF is Debian's master.cf without its port 25 service, with no
// chroot (the queue directory is no chroot jail), and the two submission
// services on addr (named postfix/submission and postfix/submissions in
// the log when syslogNames is set).
func masterCF(addr string, syslogNames bool) ([]byte, error) {
	base, err := os.ReadFile("/etc/postfix/master.cf")
	if err != nil {
		return nil, err
	}
	service := regexp.MustCompile(`^(\S+\s+\S+\s+\S+\s+\S+\s+)(\S+)(\s.*)$`)
	var out bytes.Buffer
	for _, line := range strings.Split(string(base), "\n") {
		if strings.HasPrefix(line, "#") || strings.HasPrefix(line, "smtp      inet") {
			continue
		}
		if line != "" && line[0] != ' ' && line[0] != '\t' {
			line = service.ReplaceAllString(line, "${1}n${3}")
		}
		out.WriteString(line + "\n")
	}
	sub, subs := "", ""
	if syslogNames {
		sub, subs = " -o syslog_name=postfix/submission", " -o syslog_name=postfix/submissions"
	}
	fmt.Fprintf(&out, "%s:587 inet n - n - - smtpd%s\n", addr, sub)
	fmt.Fprintf(&out, "%s:465 inet n - n - - smtpd%s -o smtpd_tls_wrappermode=yes\n", addr, subs)
	return out.Bytes(), nil
}

func (s *Server) waitReady(within time.Duration) error {
	deadline := time.Now().Add(within)
	for _, port := range []int{587, 465} {
		for {
			c, err := net.DialTimeout("tcp", net.JoinHostPort(s.Addr, strconv.Itoa(port)), time.Second)
			if err == nil {
				c.Close()
				break
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("postfix not listening on %s:%d: %v", s.Addr, port, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	return nil
}

// Stop stops Postfix and removes its directory.
func (s *Server) Stop() {
	_ = exec.Command("script", "-qc", "postfix -c "+s.dir+" stop", "/dev/null").Run()
	// master waits for its children; give it a moment before the files go.
	time.Sleep(200 * time.Millisecond)
	os.RemoveAll(s.dir)
}

// Log is Postfix's log so far.
func (s *Server) Log() string {
	data, _ := os.ReadFile(filepath.Join(s.dir, "maillog"))
	return string(data)
}

// Disconnects are the "disconnect from" lines' command counts, e.g.
// "ehlo=1 auth=0/1 quit=1 commands=2/3", in order.
func (s *Server) Disconnects() []string {
	var out []string
	for _, line := range strings.Split(s.Log(), "\n") {
		if i := strings.Index(line, "disconnect from "); i >= 0 {
			rest := line[i+len("disconnect from "):]
			if j := strings.Index(rest, " "); j >= 0 {
				out = append(out, rest[j+1:])
			}
		}
	}
	return out
}

// freeAddr picks a random 127.85.x.y where 587 and 465 are free.
func freeAddr() (string, error) {
	for try := 0; try < 50; try++ {
		var b [2]byte
		if _, err := rand.Read(b[:]); err != nil {
			return "", err
		}
		addr := fmt.Sprintf("127.85.%d.%d", b[0], int(b[1])%254+1)
		free := true
		for _, port := range []int{587, 465} {
			ln, err := net.Listen("tcp", net.JoinHostPort(addr, strconv.Itoa(port)))
			if err != nil {
				free = false
				break
			}
			ln.Close()
		}
		if free {
			return addr, nil
		}
	}
	return "", errors.New("no free loopback address in 127.85/16")
}
