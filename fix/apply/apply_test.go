package apply

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"maildoctor.app/maildoctor/assets"
	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/clients/prefsjs"
	"maildoctor.app/maildoctor/detect/clients/thunderbird"
	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/detect/system"
	"maildoctor.app/maildoctor/fix/plan"
)

// Fixtures owned by detect/clients: a prefs.js written by a real
// Thunderbird 153 (LF), and one in Thunderbird's Windows format (CRLF).
const (
	realPrefs    = "../../detect/clients/thunderbird/testdata/linux-real/tmp/tbhome/prof/prefs.js"
	windowsPrefs = "../../detect/clients/thunderbird/testdata/windows/C/Users/anna/AppData/Roaming/Thunderbird/Profiles/k2x9qv1a.default-release/prefs.js"
)

var clock = func() time.Time { return time.Date(2026, 11, 22, 18, 30, 5, 0, time.UTC) }

func procs(names ...string) func() ([]system.Process, error) {
	return func() ([]system.Process, error) {
		out := []system.Process{{PID: 1, Name: "systemd"}, {PID: 200, Name: "bash"}}
		for i, n := range names {
			out = append(out, system.Process{PID: 1000 + i, Name: n})
		}
		return out, nil
	}
}

func opts() Options { return Options{Processes: procs(), Now: clock} }

// profile copies a fixture prefs.js into a fresh profile directory.
func profile(t *testing.T, fixture string) (dir string, orig []byte) {
	t.Helper()
	data, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "prefs.js"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir, data
}

// account reads the profile as detect does and returns the address's
// account.
func account(t *testing.T, dir, email string) clients.Account {
	t.Helper()
	accts, _, _ := thunderbird.ReadProfile(system.DirFS(""), filepath.ToSlash(dir))
	for _, a := range accts {
		if a.Email == email {
			return a
		}
	}
	t.Fatalf("no account for %s in %s (%d accounts)", email, dir, len(accts))
	return clients.Account{}
}

func servers(t *testing.T, email string) []discover.Server {
	t.Helper()
	prof, err := discover.ParseProfile(assets.DefaultProfile)
	if err != nil {
		t.Fatal(err)
	}
	res, err := discover.Find(context.Background(), email, discover.Options{Profiles: []*discover.Profile{prof}})
	if err != nil {
		t.Fatal(err)
	}
	return res.Servers
}

func makePlan(t *testing.T, clientID string, a clients.Account) *plan.Plan {
	t.Helper()
	p, err := plan.Build(plan.Input{Email: a.Email, Servers: servers(t, a.Email),
		Client: &clients.Client{ID: clientID}, Account: &a})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// linesWithout drops the lines that mention any of keys.
func linesWithout(data []byte, keys []string) []string {
	var out []string
	for _, l := range strings.Split(string(data), "\n") {
		skip := false
		for _, k := range keys {
			if strings.Contains(l, `"`+k+`"`) || strings.Contains(l, k+"=") {
				skip = true
			}
		}
		if !skip {
			out = append(out, l)
		}
	}
	return out
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func TestThunderbirdApplyAndUndo(t *testing.T) {
	cases := []struct {
		name, fixture, email string
		want                 map[string]string // pref → new literal
		in                   server.Endpoint
		crlf                 bool
	}{
		{
			name: "real Thunderbird 153, IMAP STARTTLS without ports", fixture: realPrefs,
			email: "mario.rossi@maildoctor.example",
			want: map[string]string{
				"mail.server.server1.port": "993", "mail.server.server1.socketType": "3",
				"mail.smtpserver.smtp1.port": "465", "mail.smtpserver.smtp1.try_ssl": "3",
			},
			in: server.Endpoint{Protocol: server.IMAP, Host: "imap.maildoctor.example", Port: 993, Security: server.TLS},
		},
		{
			name: "Windows profile, POP3 STARTTLS with port -1, SMTP \"STARTTLS if available\"", fixture: windowsPrefs,
			email: "paolo@maildoctor.example",
			want: map[string]string{
				"mail.server.server2.port": "995", "mail.server.server2.socketType": "3",
				"mail.smtpserver.smtp1.port": "465", "mail.smtpserver.smtp1.try_ssl": "3",
			},
			in:   server.Endpoint{Protocol: server.POP3, Host: "pop.maildoctor.example", Port: 995, Security: server.TLS},
			crlf: true,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir, orig := profile(t, c.fixture)
			file := filepath.Join(dir, "prefs.js")
			p := makePlan(t, clients.Thunderbird, account(t, dir, c.email))
			if !p.Automatic || p.Status != plan.StatusChange {
				t.Fatalf("plan status %s automatic %v", p.Status, p.Automatic)
			}
			res, err := Plan(p, opts())
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Changes) != len(c.want) {
				t.Errorf("changes %+v, want %d", res.Changes, len(c.want))
			}
			got, _ := os.ReadFile(file)
			f := prefsjs.Parse(got)
			if len(f.Problems) > 0 {
				t.Fatalf("the result does not parse: %v", f.Problems)
			}
			var keys []string
			for k, v := range c.want {
				keys = append(keys, k)
				if pr, ok := f.Get(k); !ok || pr.Value.Literal() != v {
					t.Errorf("%s = %v, want %s", k, pr.Value, v)
				}
			}
			// Only the intended keys changed: every other line is as it was.
			if a, b := linesWithout(orig, keys), linesWithout(got, keys); strings.Join(a, "\n") != strings.Join(b, "\n") {
				t.Errorf("lines other than the changed prefs moved:\n%s", strings.Join(b, "\n"))
			}
			if c.crlf && bytes.Count(got, []byte("\n")) != bytes.Count(got, []byte("\r\n")) {
				t.Error("a line without CRLF was added to a CRLF file")
			}
			// Detect now reads the account as SSL/TLS on the right ports.
			a := account(t, dir, c.email)
			if a.Incoming.Endpoint() != c.in || a.Outgoing.Port != 465 || a.Outgoing.Security != server.TLS {
				t.Errorf("after the change detect reads %v and %v", a.Incoming.Endpoint(), a.Outgoing.Endpoint())
			}
			backup, _ := os.ReadFile(res.Backup)
			if !bytes.Equal(backup, orig) {
				t.Error("the backup is not the original byte for byte")
			}
			if !strings.Contains(res.Backup, "prefs.js.maildoctor-20261122-183005.bak") {
				t.Errorf("backup name %s", res.Backup)
			}
			// A second run finds nothing to do and writes nothing.
			again, err := run(tool{client: clients.Thunderbird, procs: thunderbirdProcs, file: file,
				ed: &prefsEditor{account: account(t, dir, c.email), target: target{p.Incoming, p.Outgoing}, fs: OS{}, profile: dir}}, opts())
			if err != nil || len(again.Changes) != 0 || again.Backup != "" {
				t.Errorf("second run: %+v, %v", again, err)
			}
			u, err := Undo(plan.Thunderbird, account(t, dir, c.email), opts())
			if err != nil {
				t.Fatal(err)
			}
			restored, _ := os.ReadFile(file)
			if !bytes.Equal(restored, orig) {
				t.Error("undo did not restore the original byte for byte")
			}
			saved, _ := os.ReadFile(u.Saved)
			if !bytes.Equal(saved, got) {
				t.Error("the file from before the undo was not kept")
			}
			if _, err := Undo(plan.Thunderbird, account(t, dir, c.email), opts()); !errors.Is(err, ErrNoBackup) {
				t.Errorf("second undo: %v, want ErrNoBackup", err)
			}
		})
	}
}

func TestDryRun(t *testing.T) {
	dir, orig := profile(t, realPrefs)
	p := makePlan(t, clients.Thunderbird, account(t, dir, "mario.rossi@maildoctor.example"))
	o := opts()
	o.DryRun = true
	res, err := Plan(p, o)
	if err != nil || len(res.Changes) != 4 || res.Backup != "" || !res.DryRun {
		t.Fatalf("dry run: %+v, %v", res, err)
	}
	want := map[string][2]string{
		"mail.server.server1.port":       {"", "993"},
		"mail.server.server1.socketType": {"2", "3"},
		"mail.smtpserver.smtp1.port":     {"", "465"},
		"mail.smtpserver.smtp1.try_ssl":  {"2", "3"},
	}
	for _, c := range res.Changes {
		if w := want[c.Key]; w[0] != c.From || w[1] != c.To {
			t.Errorf("change %+v, want %v", c, w)
		}
	}
	got, _ := os.ReadFile(filepath.Join(dir, "prefs.js"))
	if !bytes.Equal(got, orig) || len(dirNames(t, dir)) != 1 {
		t.Errorf("a dry run wrote something: %v", dirNames(t, dir))
	}
}

// A running program blocks the change with a clear message; so does a
// process list that cannot be read.
func TestRunningBlocks(t *testing.T) {
	cases := []struct {
		name  string
		procs func() ([]system.Process, error)
		want  error
	}{
		{"thunderbird on Linux", procs("thunderbird"), &RunningError{}},
		{"the tarball's thunderbird-bin", procs("thunderbird-bin"), &RunningError{}},
		{"Thunderbird on Windows", procs("Thunderbird.exe"), &RunningError{}},
		{"process list unreadable", func() ([]system.Process, error) { return nil, errors.New("denied") }, ErrUnknownRunning},
		{"no process list", nil, ErrUnknownRunning},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir, orig := profile(t, realPrefs)
			p := makePlan(t, clients.Thunderbird, account(t, dir, "mario.rossi@maildoctor.example"))
			_, err := Plan(p, Options{Processes: c.procs, Now: clock})
			var re *RunningError
			switch c.want.(type) {
			case *RunningError:
				if !errors.As(err, &re) || re.Client != clients.Thunderbird || !strings.Contains(err.Error(), "close it") {
					t.Errorf("err %v, want a RunningError for thunderbird", err)
				}
			default:
				if !errors.Is(err, c.want) {
					t.Errorf("err %v, want %v", err, c.want)
				}
			}
			got, _ := os.ReadFile(filepath.Join(dir, "prefs.js"))
			if !bytes.Equal(got, orig) || len(dirNames(t, dir)) != 1 {
				t.Errorf("the profile was touched: %v", dirNames(t, dir))
			}
			if _, err := Undo(plan.Thunderbird, account(t, dir, "mario.rossi@maildoctor.example"), Options{Processes: c.procs}); err == nil {
				t.Error("undo ran while the program might be open")
			}
		})
	}
}

// faultFS is the real file system with one failure injected.
type faultFS struct {
	OS
	createErr error // CreateTemp fails (read-only folder)
	spaceLeft int   // >0: writes fail with ENOSPC after this many bytes (full disk)
	syncErr   error
	renameErr error
	// only limits the fault to temporary files for this base name.
	only string
	// mangle makes the first read of this file after a rename return
	// other bytes, as a disk that does not keep what it was given.
	mangle  string
	renamed bool
	// fired records that the fault happened, so a case cannot pass by
	// failing somewhere else.
	fired bool
}

type faultFile struct {
	*os.File
	fs      *faultFS
	written int
	faulty  bool
}

func (f *faultFile) Write(p []byte) (int, error) {
	if f.faulty && f.fs.spaceLeft > 0 && f.written+len(p) > f.fs.spaceLeft {
		n, _ := f.File.Write(p[:f.fs.spaceLeft-f.written])
		f.written += n
		f.fs.fired = true
		return n, &fs.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
	}
	n, err := f.File.Write(p)
	f.written += n
	return n, err
}

func (f *faultFile) Sync() error {
	if f.faulty && f.fs.syncErr != nil {
		f.fs.fired = true
		return f.fs.syncErr
	}
	return f.File.Sync()
}

func (x *faultFS) hits(pattern string) bool {
	return x.only == "" || strings.HasPrefix(pattern, "."+x.only+".")
}

func (x *faultFS) CreateTemp(dir, pattern string) (File, error) {
	if x.createErr != nil && x.hits(pattern) {
		x.fired = true
		return nil, &fs.PathError{Op: "open", Path: dir, Err: x.createErr}
	}
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	return &faultFile{File: f, fs: x, faulty: x.hits(pattern)}, nil
}

func (x *faultFS) Rename(oldpath, newpath string) error {
	if x.renameErr != nil && (x.only == "" || filepath.Base(newpath) == x.only) {
		x.fired = true
		return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: x.renameErr}
	}
	if filepath.Base(newpath) == x.mangle {
		x.renamed = true
	}
	return os.Rename(oldpath, newpath)
}

func (x *faultFS) ReadFile(name string) ([]byte, error) {
	data, err := os.ReadFile(name)
	if x.renamed && filepath.Base(name) == x.mangle {
		x.renamed, x.mangle, x.fired = false, "", true // once: putting the original back works
		return append(data, "garbage"...), err
	}
	return data, err
}

// A read-only folder or a full disk, at any step, leaves the original
// exactly as it was and no stray files.
func TestWriteFailuresLeaveOriginal(t *testing.T) {
	cases := []struct {
		name    string
		fs      *faultFS
		mangles bool
	}{
		{"read-only folder", &faultFS{createErr: syscall.EROFS}, false},
		{"permission denied", &faultFS{createErr: syscall.EACCES}, false},
		{"disk full while writing the backup", &faultFS{spaceLeft: 100, only: "prefs.js.maildoctor-20261122-183005.bak"}, false},
		{"disk full while writing prefs.js", &faultFS{spaceLeft: 100, only: "prefs.js"}, false},
		{"sync fails (disk full on flush)", &faultFS{syncErr: syscall.ENOSPC, only: "prefs.js"}, false},
		{"rename refused", &faultFS{renameErr: syscall.EACCES, only: "prefs.js"}, false},
		{"the disk returns other bytes", &faultFS{mangle: "prefs.js"}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir, orig := profile(t, realPrefs)
			before := dirNames(t, dir)
			p := makePlan(t, clients.Thunderbird, account(t, dir, "mario.rossi@maildoctor.example"))
			o := opts()
			o.FS = c.fs
			_, err := Plan(p, o)
			var we *WriteError
			if !errors.As(err, &we) || !c.fs.fired {
				t.Fatalf("err %v (fault fired: %v), want a WriteError from the fault", err, c.fs.fired)
			}
			got, _ := os.ReadFile(filepath.Join(dir, "prefs.js"))
			if !bytes.Equal(got, orig) {
				t.Error("the original was changed")
			}
			after := dirNames(t, dir)
			if !c.mangles && strings.Join(after, ",") != strings.Join(before, ",") {
				t.Errorf("files left behind: %v", after)
			}
			if c.mangles && len(after) != 2 {
				t.Errorf("after a failed verification the backup should remain next to the restored file: %v", after)
			}
		})
	}
}

// For real, where the test does not run as root: a read-only profile
// folder.
func TestReadOnlyFolder(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes into read-only folders; TestWriteFailuresLeaveOriginal covers it through the FS")
	}
	dir, orig := profile(t, realPrefs)
	p := makePlan(t, clients.Thunderbird, account(t, dir, "mario.rossi@maildoctor.example"))
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o755)
	var we *WriteError
	if _, err := Plan(p, opts()); !errors.As(err, &we) {
		t.Fatalf("err %v, want a WriteError", err)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "prefs.js"))
	if !bytes.Equal(got, orig) {
		t.Error("the original was changed")
	}
}

func TestRefusals(t *testing.T) {
	t.Run("user.js overrides", func(t *testing.T) {
		dir, orig := profile(t, realPrefs)
		os.WriteFile(filepath.Join(dir, "user.js"), []byte(`user_pref("mail.server.server1.socketType", 2);`+"\n"), 0o600)
		p := makePlan(t, clients.Thunderbird, account(t, dir, "mario.rossi@maildoctor.example"))
		if _, err := Plan(p, opts()); !errors.Is(err, ErrOverridden) {
			t.Errorf("err %v, want ErrOverridden", err)
		}
		if got, _ := os.ReadFile(filepath.Join(dir, "prefs.js")); !bytes.Equal(got, orig) {
			t.Error("changed")
		}
	})
	t.Run("damaged prefs.js", func(t *testing.T) {
		dir, _ := profile(t, realPrefs)
		a := account(t, dir, "mario.rossi@maildoctor.example")
		p := makePlan(t, clients.Thunderbird, a)
		f, _ := os.OpenFile(filepath.Join(dir, "prefs.js"), os.O_APPEND|os.O_WRONLY, 0)
		f.WriteString("user_pref(\"broken\", \n")
		f.Close()
		if _, err := Plan(p, opts()); !errors.Is(err, ErrDamaged) {
			t.Errorf("err %v, want ErrDamaged", err)
		}
	})
	t.Run("account no longer in the file", func(t *testing.T) {
		dir, _ := profile(t, realPrefs)
		a := account(t, dir, "mario.rossi@maildoctor.example")
		a.Incoming.Key = "mail.server.server9"
		p := makePlan(t, clients.Thunderbird, a)
		if _, err := Plan(p, opts()); !errors.Is(err, ErrNotAutomatic) {
			t.Errorf("err %v, want ErrNotAutomatic", err)
		}
	})
	t.Run("not an automatic plan", func(t *testing.T) {
		dir, _ := profile(t, realPrefs)
		a := account(t, dir, "anna.bianchi@maildoctor.example") // already SSL/TLS
		p := makePlan(t, clients.Thunderbird, a)
		if _, err := Plan(p, opts()); !errors.Is(err, ErrNotAutomatic) {
			t.Errorf("err %v, want ErrNotAutomatic", err)
		}
		if _, err := Plan(makePlan(t, "outlook", a), opts()); !errors.Is(err, ErrNotAutomatic) {
			t.Errorf("Outlook: err %v, want ErrNotAutomatic", err)
		}
	})
}

// clawsAccount is the account as detect would list it from accountrc.
func clawsAccount(t *testing.T, email string, in, out server.Endpoint) (clients.Account, string, []byte) {
	t.Helper()
	data, err := os.ReadFile("testdata/accountrc")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	rc := filepath.Join(dir, "accountrc")
	if err := os.WriteFile(rc, data, 0o600); err != nil {
		t.Fatal(err)
	}
	a := clients.Account{Email: email, Source: rc,
		Incoming: &clients.Server{Protocol: in.Protocol, Host: in.Host, Port: in.Port, Security: in.Security},
		Outgoing: &clients.Server{Protocol: out.Protocol, Host: out.Host, Port: out.Port, Security: out.Security}}
	return a, rc, data
}

func TestClawsApplyAndUndo(t *testing.T) {
	cases := []struct {
		email   string
		in, out server.Endpoint
		want    map[string]string
	}{
		{"mario.rossi@maildoctor.example",
			server.Endpoint{Protocol: server.IMAP, Host: "imap.maildoctor.example", Port: 143, Security: server.StartTLS},
			server.Endpoint{Protocol: server.SMTP, Host: "smtp.maildoctor.example", Port: 25, Security: server.StartTLS},
			map[string]string{"ssl_imap": "1", "set_imapport": "1", "imap_port": "993", "ssl_smtp": "1", "set_smtpport": "1", "smtp_port": "465"}},
		{"Anna.Bianchi@maildoctor.example",
			server.Endpoint{Protocol: server.POP3, Host: "pop.maildoctor.example", Port: 110, Security: server.StartTLS},
			server.Endpoint{Protocol: server.SMTP, Host: "smtp.maildoctor.example", Port: 587, Security: server.StartTLS},
			map[string]string{"ssl_pop": "1", "set_popport": "1", "pop_port": "995", "ssl_smtp": "1", "smtp_port": "465"}},
	}
	for _, c := range cases {
		t.Run(c.email, func(t *testing.T) {
			a, rc, orig := clawsAccount(t, c.email, c.in, c.out)
			p := makePlan(t, clients.ClawsMail, a)
			if !p.Automatic {
				t.Fatalf("plan %s not automatic", p.Status)
			}
			if _, err := Plan(p, Options{Processes: procs("claws-mail"), Now: clock}); !errors.As(err, new(*RunningError)) {
				t.Fatalf("running Claws Mail: err %v", err)
			}
			res, err := Plan(p, opts())
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Changes) != len(c.want) {
				t.Errorf("changes %+v, want %v", res.Changes, c.want)
			}
			got, _ := os.ReadFile(rc)
			var keys []string
			for k := range c.want {
				keys = append(keys, k)
			}
			if a, b := linesWithout(orig, keys), linesWithout(got, keys); strings.Join(a, "\n") != strings.Join(b, "\n") {
				t.Errorf("other lines moved:\n%s", got)
			}
			sec := "[Account: 1]"
			if c.in.Protocol == server.POP3 {
				sec = "[Account: 2]"
			}
			part := string(got[strings.Index(string(got), sec):])
			if i := strings.Index(part[1:], "[Account:"); i > 0 {
				part = part[:i+1]
			}
			for k, v := range c.want {
				if !strings.Contains(part, "\n"+k+"="+v+"\n") {
					t.Errorf("%s %s is not %s:\n%s", sec, k, v, part)
				}
			}
			if _, err := Undo(plan.ClawsMail, a, opts()); err != nil {
				t.Fatal(err)
			}
			if back, _ := os.ReadFile(rc); !bytes.Equal(back, orig) {
				t.Error("undo did not restore accountrc byte for byte")
			}
		})
	}
}

func TestClawsOldProtocolNumbers(t *testing.T) {
	old := "[Account: 1]\naddress=old@maildoctor.example\nprotocol=3\nssl_imap=0\nssl_smtp=0\n"
	e := &accountrcEditor{email: "old@maildoctor.example", target: target{
		&server.Endpoint{Protocol: server.IMAP, Port: 993, Security: server.TLS},
		&server.Endpoint{Protocol: server.SMTP, Port: 465, Security: server.TLS}}}
	out, changes, err := e.edit([]byte(old))
	if err != nil || len(changes) != 6 {
		t.Fatalf("changes %v, err %v", changes, err)
	}
	want := "[Account: 1]\naddress=old@maildoctor.example\nprotocol=3\nssl_imap=1\nssl_smtp=1\nset_imapport=1\nimap_port=993\nset_smtpport=1\nsmtp_port=465\n"
	if string(out) != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
	if err := e.verify([]byte(old), out, changes); err != nil {
		t.Error(err)
	}
	e.email = "nobody@maildoctor.example"
	if _, _, err := e.edit([]byte(old)); !errors.Is(err, ErrNotAutomatic) {
		t.Errorf("unknown address: %v", err)
	}
}

func TestEvolutionIsNotAutomatic(t *testing.T) {
	a := clients.Account{Email: "mario.rossi@maildoctor.example", Source: "/home/x/.config/evolution/sources/x.source",
		Incoming: &clients.Server{Protocol: server.IMAP, Host: "imap.maildoctor.example", Port: 143, Security: server.StartTLS}}
	p := makePlan(t, clients.Evolution, a)
	if p.Automatic {
		t.Error("Evolution plan is automatic")
	}
	if _, err := Undo(plan.Evolution, a, opts()); !errors.Is(err, ErrNotAutomatic) {
		t.Errorf("Evolution undo: %v", err)
	}
}
