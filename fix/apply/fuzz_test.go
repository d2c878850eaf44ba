package apply

import (
	"os"
	"testing"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/server"
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
