package dovecottest

import (
	"bufio"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// errAddrInUse marks a start that lost a race for its address.
var errAddrInUse = errors.New("address already in use")

// mailUser owns every mailbox. nobody exists on every Debian system and
// owns nothing else that a test could disturb.
const mailUser = "nobody"

// File names inside the per-server test directory (t.TempDir()) and,
// for mailDir and runDir, inside the server's root directory in /tmp.
const (
	certFile   = "cert.pem"
	keyFile    = "key.pem"
	dhFile     = "dh.pem"
	passwdFile = "passwd"
	confFile   = "dovecot.conf"
	logFile    = "dovecot.log"
	stderrFile = "dovecot.stderr"
	stateDir   = "state"
	mailDir    = "mail"
	runDir     = "run"
)

// writeStaticFiles writes what does not depend on the chosen address.
func writeStaticFiles(dir string, cfg Config) error {
	passwd, err := renderPasswd(cfg.Users)
	if err != nil {
		return err
	}
	files := []struct {
		name string
		data []byte
	}{{certFile, cfg.CertPEM}, {keyFile, cfg.KeyPEM}, {passwdFile, passwd}}
	if len(cfg.DHParamsPEM) > 0 {
		files = append(files, struct {
			name string
			data []byte
		}{dhFile, cfg.DHParamsPEM})
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.name), f.data, 0o600); err != nil {
			return fmt.Errorf("write %s: %w", f.name, err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, stateDir), 0o700); err != nil {
		return fmt.Errorf("create %s: %w", stateDir, err)
	}
	return nil
}

// launch starts one Dovecot on a fresh address and waits for it. On error
// the returned Server, if any, still needs Stop.
func launch(dir string, cfg Config) (*Server, error) {
	owner, err := lookupMailOwner()
	if err != nil {
		return nil, err
	}
	addr, err := pickAddr()
	if err != nil {
		return nil, err
	}
	s := &Server{
		Addr:       addr,
		LogPath:    filepath.Join(dir, logFile),
		cfg:        cfg,
		stderrPath: filepath.Join(dir, stderrFile),
		exited:     make(chan struct{}),
	}
	if err := s.makeRootDir(owner); err != nil {
		return s, err
	}
	if s.relay, err = startRelayStub(); err != nil {
		return s, err
	}
	confPath, err := s.writeConfig(dir, owner)
	if err != nil {
		return s, err
	}
	if err := s.spawn(confPath); err != nil {
		return s, err
	}
	if err := s.waitReady(time.Now().Add(startTimeout)); err != nil {
		return s, err
	}
	return s, nil
}

// mailOwner is the unprivileged account that owns the mailboxes.
type mailOwner struct{ uid, gid int }

func lookupMailOwner() (mailOwner, error) {
	u, err := user.Lookup(mailUser)
	if err != nil {
		return mailOwner{}, fmt.Errorf("look up mail owner %s: %w", mailUser, err)
	}
	uid, err := strconv.Atoi(u.Uid)
	if err != nil {
		return mailOwner{}, fmt.Errorf("uid of %s: %w", mailUser, err)
	}
	gid, err := strconv.Atoi(u.Gid)
	if err != nil {
		return mailOwner{}, fmt.Errorf("gid of %s: %w", mailUser, err)
	}
	return mailOwner{uid, gid}, nil
}

// makeRootDir creates the directory holding base_dir and the mailboxes.
// It lives directly in /tmp, not in t.TempDir(), for two reasons: unix
// socket paths under base_dir must stay below ~108 bytes, and the mail
// owner must be able to traverse it, which t.TempDir()'s 0700 parent
// (owned by root) forbids.
func (s *Server) makeRootDir(owner mailOwner) error {
	root, err := os.MkdirTemp("/tmp", "dc")
	if err != nil {
		return fmt.Errorf("create root dir: %w", err)
	}
	s.rootDir = root
	if err := os.Chmod(root, 0o755); err != nil {
		return fmt.Errorf("chmod %s: %w", root, err)
	}
	mail := filepath.Join(root, mailDir)
	if err := os.Mkdir(mail, 0o700); err != nil {
		return fmt.Errorf("create mail root: %w", err)
	}
	if err := os.Chown(mail, owner.uid, owner.gid); err != nil {
		return fmt.Errorf("chown mail root to %s: %w", mailUser, err)
	}
	return nil
}

func (s *Server) writeConfig(dir string, owner mailOwner) (string, error) {
	conf, err := renderConfig(s.cfg, layout{
		Addr:         s.Addr,
		InstanceName: "dovecottest-" + filepath.Base(s.rootDir),
		BaseDir:      filepath.Join(s.rootDir, runDir),
		StateDir:     filepath.Join(dir, stateDir),
		LogPath:      s.LogPath,
		CertPath:     filepath.Join(dir, certFile),
		KeyPath:      filepath.Join(dir, keyFile),
		DHPath:       dhPath(dir, s.cfg),
		PasswdPath:   filepath.Join(dir, passwdFile),
		MailRoot:     filepath.Join(s.rootDir, mailDir),
		RelayPort:    s.relay.port(),
		UID:          owner.uid,
		GID:          owner.gid,
	})
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, confFile)
	if err := os.WriteFile(path, conf, 0o600); err != nil {
		return "", fmt.Errorf("write %s: %w", confFile, err)
	}
	return path, nil
}

// spawn runs the master in the foreground in its own process group, so
// Stop can kill every Dovecot process of this instance and nothing else.
func (s *Server) spawn(confPath string) error {
	// A retry reuses the directory; the previous attempt's log would
	// confuse FailedLogins and the diagnostics.
	for _, p := range []string{s.LogPath, s.stderrPath} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove stale %s: %w", filepath.Base(p), err)
		}
	}
	out, err := os.OpenFile(s.stderrPath, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("create stderr file: %w", err)
	}
	defer out.Close()
	cmd := exec.Command(dovecotBinary, "-F", "-c", confPath)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = sysProcAttr()
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("run %s: %w", dovecotBinary, err)
	}
	s.cmd = cmd
	go func() {
		_ = cmd.Wait()
		close(s.exited)
	}()
	return nil
}

// listeners returns the ports Config enables, each with whether it speaks
// TLS from the first byte and which protocol greets on it.
func (s *Server) listeners() []listener {
	var ls []listener
	if s.cfg.StartTLS {
		ls = append(ls, listener{portIMAP, false, "* OK"}, listener{portPOP3, false, "+OK"}, listener{portSubmission, false, "220 "})
	}
	if s.cfg.Implicit {
		ls = append(ls, listener{portIMAPS, true, "* OK"}, listener{portPOP3S, true, "+OK"}, listener{portSubmissions, true, "220 "})
	}
	return ls
}

type listener struct {
	port     int
	implicit bool
	greeting string
}

// waitReady waits until every listener accepts TCP and then reads one real
// greeting per listener. The greeting matters: Dovecot accepts connections
// before its auth process is up and meanwhile sends an interim
// "Waiting for authentication process" line that would confuse tests.
func (s *Server) waitReady(deadline time.Time) error {
	for _, l := range s.listeners() {
		if err := s.waitGreeting(l, deadline); err != nil {
			return err
		}
	}
	return nil
}

func (s *Server) waitGreeting(l listener, deadline time.Time) error {
	hostPort := net.JoinHostPort(s.Addr, strconv.Itoa(l.port))
	for {
		err := probe(hostPort, l, deadline)
		if err == nil {
			return nil
		}
		select {
		case <-s.exited:
			return s.exitError()
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("dovecot on %s not ready after %v: %v%s", hostPort, startTimeout, err, s.diagnostics())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (s *Server) exitError() error {
	diag := s.diagnostics()
	err := fmt.Errorf("dovecot exited during startup: %v%s", s.cmd.ProcessState, diag)
	if strings.Contains(diag, "Address already in use") {
		return fmt.Errorf("%w: %v", errAddrInUse, err)
	}
	return err
}

// probe reads the first greeting that is not Dovecot's interim
// "Waiting for authentication process" line.
func probe(hostPort string, l listener, deadline time.Time) error {
	conn, err := net.DialTimeout("tcp", hostPort, time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.SetDeadline(deadline); err != nil {
		return err
	}
	if l.implicit {
		// Only readiness is probed here; certificate checks are the
		// tests' business, and their certificate may not match anything.
		tc := tls.Client(conn, &tls.Config{InsecureSkipVerify: true})
		if err := tc.Handshake(); err != nil {
			return fmt.Errorf("TLS handshake: %w", err)
		}
		conn = tc
	}
	r := bufio.NewReader(conn)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return fmt.Errorf("read greeting: %w", err)
		}
		if strings.Contains(line, "Waiting for authentication") {
			continue
		}
		if !strings.HasPrefix(line, l.greeting) {
			return fmt.Errorf("unexpected greeting %q", strings.TrimSpace(line))
		}
		return nil
	}
}

// pickAddr chooses a random 127.83.x.y whose mail ports are all free.
// Random choice plus a bind probe keeps concurrent test processes apart
// without shared state; a lost race is caught by startWithRetry.
func pickAddr() (string, error) {
	const tries = 100
	for i := 0; i < tries; i++ {
		addr, err := randomLoopback()
		if err != nil {
			return "", err
		}
		if portsFree(addr) {
			return addr, nil
		}
	}
	return "", fmt.Errorf("no free address in 127.83.0.0/16 after %d tries", tries)
}

func randomLoopback() (string, error) {
	var b [2]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("random address: %w", err)
	}
	host := int(b[1])%254 + 1 // avoid .0 and .255, which look like network/broadcast
	return fmt.Sprintf("127.83.%d.%d", b[0], host), nil
}

func portsFree(addr string) bool {
	for _, port := range []int{portIMAP, portIMAPS, portPOP3, portPOP3S, portSubmission, portSubmissions} {
		ln, err := net.Listen("tcp", net.JoinHostPort(addr, strconv.Itoa(port)))
		if err != nil {
			return false
		}
		ln.Close()
	}
	return true
}

func dhPath(dir string, cfg Config) string {
	if len(cfg.DHParamsPEM) == 0 {
		return ""
	}
	return filepath.Join(dir, dhFile)
}
