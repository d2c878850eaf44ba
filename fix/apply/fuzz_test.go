package apply

import (
	"os"
	"testing"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/detect/system"
	"maildoctor.app/maildoctor/fix/plan"
)

var fuzzTarget = target{
	&server.Endpoint{Protocol: server.IMAP, Host: "imap.maildoctor.example", Port: 993, Security: server.TLS},
	&server.Endpoint{Protocol: server.SMTP, Host: "smtp.maildoctor.example", Port: 465, Security: server.TLS},
}

// Whatever prefs.js holds, an edit either refuses or gives a file that
// verifies (only the intended prefs changed) and needs no second edit.
func FuzzPrefsEdit(f *testing.F) {
	for _, name := range []string{realPrefs, windowsPrefs} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("user_pref(\"mail.server.server1.hostname\", \"x\");\nuser_pref(\"mail.smtpserver.smtp1.hostname\", \"y\");\n"))
	f.Add([]byte("user_pref(\"mail.smtpserver.smtp1.hostname\", \"y\");user_pref(\"mail.server.server1.hostname\", 'x');"))
	f.Add([]byte("user_pref(\"mail.server.server1.hostname\", \"x\"); // c\r\nuser_pref(\"mail.server.server1.port\", \"143\");\r\nuser_pref(\"mail.smtpserver.smtp1.hostname\", \"y\")\n;"))
	// The input of issue 14: a default pref() without a semicolon before
	// the newline, the semicolon on the next line.
	f.Add([]byte("user_pref(\"mail.server.server1.hostname\",\"0\");pref(\"mail.smtpserver.smtp1.hostname\", \"0\")\n;"))
	f.Add([]byte("user_pref(\"mail.server.server1.hostname\", \"x\"); /* a\nb */ user_pref(\"mail.smtpserver.smtp1.hostname\", \"y\");\n"))
	f.Add([]byte("pref(\"mail.server.server1.hostname\", \"x\");pref(\"mail.smtpserver.smtp1.hostname\",\"y\"); /* a\n*/ user_pref(\"zz\", 1);\n"))
	f.Add([]byte(""))
	acct := clients.Account{
		Incoming: &clients.Server{Protocol: server.IMAP, Key: "mail.server.server1"},
		Outgoing: &clients.Server{Protocol: server.SMTP, Key: "mail.smtpserver.smtp1"},
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		e := &prefsEditor{account: acct, target: fuzzTarget, fs: OS{}, profile: "/nonexistent/maildoctor-fuzz"}
		out, changes, err := e.edit(data)
		if err != nil || len(changes) == 0 {
			return
		}
		if err := e.verify(data, out, changes); err != nil {
			t.Fatalf("edit does not verify: %v\n--- in\n%s\n--- out\n%s", err, data, out)
		}
		if _, again, err := e.edit(out); err != nil || len(again) != 0 {
			t.Fatalf("second edit: %v %v\n%s", again, err, out)
		}
	})
}

// The same for Claws Mail's accountrc.
func FuzzAccountrcEdit(f *testing.F) {
	data, err := os.ReadFile("testdata/accountrc")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data, "mario.rossi@maildoctor.example")
	f.Add(data, "anna.bianchi@maildoctor.example")
	f.Add([]byte("[Account: 1]\r\naddress=a@b.example\r\nprotocol=1\r\nconfig_version=5\r\nssl_imap=2\r\n"), "a@b.example")
	f.Add([]byte("[Account: 1]\naddress=a@b.example\nprotocol=3\n[Account: 2]\naddress=a@b.example\n"), "a@b.example")
	f.Add([]byte("address=a@b.example\n[Account: 1]\n"), "a@b.example")
	f.Fuzz(func(t *testing.T, data []byte, email string) {
		e := &accountrcEditor{email: email, target: fuzzTarget}
		out, changes, err := e.edit(data)
		if err != nil || len(changes) == 0 {
			return
		}
		if err := e.verify(data, out, changes); err != nil {
			t.Fatalf("edit does not verify: %v\n--- in\n%q\n--- out\n%q", err, data, out)
		}
		if _, again, err := e.edit(out); err != nil || len(again) != 0 {
			t.Fatalf("second edit: %v %v\n%q", again, err, out)
		}
	})
}

// The same for an Outlook account's registry key: whatever its values
// hold (any type, any bytes, an odd name), the change either refuses and
// leaves the key as it was, or writes exactly the intended values, needs
// no second change, and the undo from the .reg backup gives the key back
// exactly.
func FuzzOutlookEdit(f *testing.F) {
	f.Add(uint32(system.RegDWORD), []byte{0x8f, 0, 0, 0}, uint32(system.RegBinary), []byte("i\x00m\x00a\x00p\x00\x00\x00"), "Account Name", []byte("x"))
	f.Add(uint32(system.RegSZ), []byte("143\x00"), uint32(system.RegSZ), []byte("imap.maildoctor.example\x00"), "", []byte{})
	f.Add(uint32(system.RegDWORD), []byte{1, 2}, uint32(system.RegSZ), []byte("a\r\nb"), "IMAP Port", []byte{0xff, 0xfe})
	f.Add(uint32(system.RegQWORD), []byte{0xe1, 3, 0, 0, 0, 0, 0, 0}, uint32(system.RegExpandSZ), []byte{}, "x\"y\\z", []byte("=\n["))
	const path = `Software\Microsoft\Windows NT\CurrentVersion\Windows Messaging Subsystem\Profiles\P\9375CFF0413111d3B88A00104B2A6676\00000001`
	f.Fuzz(func(t *testing.T, portType uint32, port []byte, hostType uint32, host []byte, name string, extra []byte) {
		reg := NewMemRegistry()
		reg.Set(system.CurrentUser, path, "IMAP Port", system.Value{Type: system.ValueType(portType), Data: port})
		reg.Set(system.CurrentUser, path, "IMAP Server", system.Value{Type: system.ValueType(hostType), Data: host})
		reg.Set(system.CurrentUser, path, "SMTP Server", system.SZ("smtp.maildoctor.example"))
		if name != "" {
			reg.Set(system.CurrentUser, path, name, system.Value{Type: system.RegBinary, Data: extra})
		}
		before, err := snapshotKey(reg, system.CurrentUser, path)
		if err != nil {
			t.Fatal(err)
		}
		a := clients.Account{Email: "a@maildoctor.example", Source: `HKEY_CURRENT_USER\` + path,
			Incoming: &clients.Server{Protocol: server.IMAP}, Outgoing: &clients.Server{Protocol: server.SMTP}}
		tool, err := outlookTool(plan.Outlook2010, a, fuzzTarget)
		if err != nil {
			t.Fatal(err)
		}
		opt := Options{Processes: procs(), Now: clock, Registry: reg, BackupDir: t.TempDir()}
		res, err := runRegistry(tool, opt)
		now, serr := snapshotKey(reg, system.CurrentUser, path)
		if serr != nil {
			t.Fatal(serr)
		}
		if err != nil {
			if d := sameValues(before, now); d != nil {
				t.Fatalf("refused (%v) but the key changed: %v", err, d)
			}
			return
		}
		if len(res.Changes) == 0 {
			return
		}
		again, err := tool.changes(now)
		if err != nil || len(again) != 0 {
			t.Fatalf("second change: %+v %v", again, err)
		}
		if _, err := undoRegistry(tool, opt); err != nil {
			t.Fatalf("undo: %v", err)
		}
		back, err := snapshotKey(reg, system.CurrentUser, path)
		if err != nil {
			t.Fatal(err)
		}
		if d := sameValues(before, back); d != nil {
			t.Fatalf("after undo: %v", d)
		}
	})
}
