package outlook

import (
	"os"
	"path/filepath"
	"testing"
)

func FuzzParseOEAccount(f *testing.F) {
	files, _ := filepath.Glob("testdata/fs/C/Users/anna/AppData/Local/Microsoft/Windows Live Mail/*/*.oeaccount")
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`<MessageAccount><SMTP_Port type="DWORD">1d1</SMTP_Port><SMTP_Server type="SZ">s</SMTP_Server></MessageAccount>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := ParseOEAccount(data)
		if err != nil {
			return
		}
		if a.Incoming != nil && (a.Incoming.Port < 1 || a.Incoming.Port > 65535) {
			t.Fatalf("port %d", a.Incoming.Port)
		}
		if a.Outgoing != nil && (a.Outgoing.Port < 1 || a.Outgoing.Port > 65535) {
			t.Fatalf("port %d", a.Outgoing.Port)
		}
	})
}
