// Package dovecottest runs a real, throwaway Dovecot 2.3 for integration
// tests. Each Server listens on the standard IMAP, POP3 and submission
// ports of its own random loopback address (127.83.x.y), so code under test
// connects exactly as it would to a production host once its resolver maps
// the host name to Server.Addr.
//
// Every Server is isolated: its own configuration file (nothing is read
// from /etc/dovecot and no system service is needed), base_dir, state_dir,
// log file, passwd-file and maildir tree. Servers in several test processes
// can run at once. Start takes about 0.2–0.5 s, Stop a few milliseconds.
//
// Things a test may trip over, all deliberate:
//
//   - Clients dialling Server.Addr from this machine use 127.0.0.1 as their
//     source address, which differs from Addr, so Dovecot does not treat the
//     connection as local-and-therefore-secure: LOGINDISABLED before
//     STARTTLS behaves as it would over the network.
//   - Dovecot's timing defaults are kept: a failed authentication is
//     answered only after auth_failure_delay (2 s), and every later attempt
//     from the same IP on that server, right or wrong, is held back by the
//     auth penalty (2 s, 4 s, ... up to 15 s). Use a fresh Server for each
//     scenario that needs fast logins after a failure.
//   - Start's readiness probe connects once to every listener, so the log
//     begins with a few "Disconnected ... (no auth attempts ...)" lines.
//   - Submission relays to a stub in the test process that accepts sessions
//     but refuses every message (554): AUTH, NOOP, RSET and QUIT behave
//     normally, and no mail can leave.
//   - User names are lowercased, as Dovecot's auth_username_format does.
package dovecottest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// Hostname is the name the server announces (hostname, submission_host);
// certificates passed in Config should be issued for it.
const Hostname = "mail.example.test"

// Standard ports; a Server always uses these, on its own address.
const (
	portIMAP        = 143
	portIMAPS       = 993
	portPOP3        = 110
	portPOP3S       = 995
	portSubmission  = 587
	portSubmissions = 465
)

// startTimeout bounds how long Start waits for every listener to answer.
const startTimeout = 10 * time.Second

// Config describes one Dovecot instance.
type Config struct {
	CertPEM, KeyPEM []byte // server certificate chain and key (PEM)
	// MinTLS is "TLSv1", "TLSv1.1", "TLSv1.2" (default) or "TLSv1.3".
	MinTLS string
	// Implicit listens on 993 (imaps), 995 (pop3s) and 465 (submissions).
	Implicit bool
	// StartTLS listens on 143, 110 and 587 with STARTTLS/STLS offered.
	StartTLS bool
	// Users maps full e-mail addresses to plain-text passwords.
	Users map[string]string
	// AllowPlaintextAuth sets disable_plaintext_auth = no; by default
	// authentication before TLS is refused (IMAP says LOGINDISABLED).
	AllowPlaintextAuth bool
	// Quota enables the quota (count backend, 100 MB) and imap_quota
	// plugins so that GETQUOTAROOT works.
	Quota bool
	// NoSentFolder leaves out the Sent mailbox and so any \Sent
	// special-use folder; Drafts, Trash and Junk remain.
	NoSentFolder bool
	// LoginLogFormatElements, if set, replaces Dovecot's
	// login_log_format_elements (the fields of every login line), e.g. to
	// add the local port (%{lport}) and the TLS details (%k).
	LoginLogFormatElements string
	// IMAPIDLog, if set, is imap_id_log: the IMAP ID fields logged ("*"
	// for all).
	IMAPIDLog string
	// CipherList, if set, is ssl_cipher_list: the TLS 1.2-and-older
	// suites, in OpenSSL's syntax (it replaces the low security level
	// that MinTLS "TLSv1"/"TLSv1.1" otherwise set).
	CipherList string
	// CipherSuites, if set, is ssl_cipher_suites: the TLS 1.3 suites.
	CipherSuites string
	// CurveList, if set, is ssl_curve_list: the groups for ECDHE and TLS
	// 1.3 key exchange, e.g. "X25519:P-256".
	CurveList string
	// DHParamsPEM, if set, becomes ssl_dh: the DH parameters that DHE
	// suites need.
	DHParamsPEM []byte
}

// Server is a running Dovecot.
type Server struct {
	Addr    string // loopback address all listeners are bound to
	LogPath string // Dovecot's log file (log_path and info_log_path)

	cfg        Config
	rootDir    string // base_dir and mailboxes, removed by Stop
	stderrPath string
	relay      *relayStub
	cmd        *exec.Cmd
	exited     chan struct{}
	stopOnce   sync.Once
}

// Available reports why Dovecot-backed tests cannot run here, or nil.
func Available() error {
	return available()
}

// Start launches Dovecot for cfg and waits until every configured port
// accepts connections and greets. Stop is registered with t.Cleanup. When
// Dovecot cannot run, Start fails the test rather than skipping it, so a
// machine without Dovecot cannot pass the suite by accident.
func Start(t testing.TB, cfg Config) *Server {
	t.Helper()
	if err := Available(); err != nil {
		t.Fatalf("dovecottest: %v", err)
	}
	if !cfg.Implicit && !cfg.StartTLS {
		t.Fatalf("dovecottest: Config enables no listener: set Implicit and/or StartTLS")
	}
	if len(cfg.CertPEM) == 0 || len(cfg.KeyPEM) == 0 {
		t.Fatalf("dovecottest: Config needs CertPEM and KeyPEM")
	}
	dir, err := workDir(t)
	if err != nil {
		t.Fatalf("dovecottest: %v", err)
	}
	if err := writeStaticFiles(dir, cfg); err != nil {
		t.Fatalf("dovecottest: %v", err)
	}
	s, err := startWithRetry(t, dir, cfg)
	if err != nil {
		t.Fatalf("dovecottest: %v", err)
	}
	return s
}

// workDir returns a directory for the configuration, certificate, passwd
// file and log. t.TempDir() is used unless its name, derived from the test
// name, holds characters such as '%' or spaces that Dovecot would expand or
// split in paths.
func workDir(t testing.TB) (string, error) {
	dir := t.TempDir()
	if plainPath(dir) {
		return dir, nil
	}
	dir, err := os.MkdirTemp("/tmp", "dovecottest")
	if err != nil {
		return "", fmt.Errorf("create work dir: %w", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir, nil
}

func plainPath(p string) bool {
	for _, r := range p {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-", r)
		if !ok {
			return false
		}
	}
	return true
}

// startWithRetry retries on a new address when another process won the
// race for the address between our probe and Dovecot's bind.
func startWithRetry(t testing.TB, dir string, cfg Config) (*Server, error) {
	const attempts = 5
	var err error
	for i := 0; i < attempts; i++ {
		var s *Server
		s, err = launch(dir, cfg)
		if s != nil {
			t.Cleanup(s.Stop)
		}
		if err == nil {
			return s, nil
		}
		s.Stop()
		if !errors.Is(err, errAddrInUse) {
			return nil, err
		}
	}
	return nil, fmt.Errorf("after %d attempts: %w", attempts, err)
}

// Stop kills Dovecot and removes its base_dir and mailboxes. It is idempotent. All
// processes of the instance are killed at once: nothing Dovecot keeps
// outlives the test, and a graceful shutdown costs about a second.
func (s *Server) Stop() {
	if s == nil {
		return
	}
	s.stopOnce.Do(func() {
		if s.cmd != nil && s.cmd.Process != nil {
			killGroup(s.cmd.Process.Pid)
			select {
			case <-s.exited:
			case <-time.After(5 * time.Second):
			}
			waitGroupGone(s.cmd.Process.Pid, 2*time.Second)
		}
		if s.relay != nil {
			s.relay.close()
		}
		if s.rootDir != "" {
			_ = os.RemoveAll(s.rootDir)
		}
	})
}

// Log returns the whole Dovecot log (master, auth, login and mail
// processes all write to it).
func (s *Server) Log() string {
	b, err := os.ReadFile(s.LogPath)
	if err != nil {
		return fmt.Sprintf("(cannot read Dovecot log: %v)", err)
	}
	return string(b)
}

// FailedLogins counts failed password checks in the log. With
// auth_verbose = yes, Dovecot 2.3.19's auth process logs exactly one line
// per failed attempt, written before the client is answered:
//
//	auth: Info: passwd-file(USER,RIP,<SESSION>): Password mismatch
//	auth: Info: passwd-file(USER,RIP,<SESSION>): unknown user
//
// Both count: to a client a wrong password and an unknown user are the
// same failed login.
func (s *Server) FailedLogins() int {
	n := 0
	for _, line := range strings.Split(s.Log(), "\n") {
		if isFailedLogin(line) {
			n++
		}
	}
	return n
}

func isFailedLogin(line string) bool {
	if !strings.Contains(line, " auth: ") || !strings.Contains(line, "passwd-file(") {
		return false
	}
	return strings.HasSuffix(line, "): Password mismatch") || strings.HasSuffix(line, "): unknown user")
}

// Port returns the standard port for a listener name ("imap", "imaps",
// "pop3", "pop3s", "submission", "submissions"), or 0 for an unknown name.
// It is the same whether or not the listener is enabled, just as a client
// would try it on a real host.
func (s *Server) Port(name string) int {
	switch name {
	case "imap":
		return portIMAP
	case "imaps":
		return portIMAPS
	case "pop3":
		return portPOP3
	case "pop3s":
		return portPOP3S
	case "submission":
		return portSubmission
	case "submissions":
		return portSubmissions
	}
	return 0
}

// diagnostics describes the instance's state for failure messages.
func (s *Server) diagnostics() string {
	var b bytes.Buffer
	if out, err := os.ReadFile(s.stderrPath); err == nil && len(out) > 0 {
		fmt.Fprintf(&b, "\n--- dovecot stderr ---\n%s", out)
	}
	fmt.Fprintf(&b, "\n--- dovecot log tail (%s) ---\n%s", s.LogPath, tail(s.Log(), 40))
	return b.String()
}

func tail(text string, lines int) string {
	all := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if len(all) > lines {
		all = all[len(all)-lines:]
	}
	return strings.Join(all, "\n")
}
