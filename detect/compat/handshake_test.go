package compat

import (
	"crypto/rand"
	"strings"
	"testing"
	"testing/fstest"

	"maildoctor.app/maildoctor/detect/probe/hello"
)

func TestHandshakesLoad(t *testing.T) {
	ps, err := Handshakes()
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) < 10 {
		t.Fatalf("only %d handshake profiles", len(ps))
	}
	kb, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		for _, f := range listFields {
			if p.Sources[f] == "" {
				t.Errorf("%s: no source for %s", p.ID, f)
			}
		}
		if len(p.Rows) == 0 {
			t.Errorf("%s: names no knowledge-base row", p.ID)
		}
		for _, r := range p.Rows {
			if kb.Row(r) == nil {
				t.Errorf("%s: row %q is not in the knowledge base", p.ID, r)
			}
		}
		if _, err := hello.Build(p.Hello(), "mail.example.test", rand.Reader); err != nil {
			t.Errorf("%s: %v", p.ID, err)
		}
	}
}

func TestHandshakesRejectBadData(t *testing.T) {
	good := `{"family":"x","name":"x","profiles":[{"id":"a","name":"a","rows":["linux"],
	 "versions":["1.2"],"cipher_suites":["ECDHE-RSA-AES128-GCM-SHA256"],"groups":["x25519"],"key_shares":[],
	 "signature_algorithms":["rsa_pkcs1_sha256"],"extensions":["server_name"],
	 "sources":{"versions":"s","cipher_suites":"s","groups":"s","signature_algorithms":"s","extensions":"s"}}]}`
	if _, err := LoadHandshakes(fstest.MapFS{"x.json": {Data: []byte(good)}}); err != nil {
		t.Fatalf("good data: %v", err)
	}
	cases := map[string][2]string{
		"unknown suite":     {`"ECDHE-RSA-AES128-GCM-SHA256"`, `"ECDHE-RSA-AES129-GCM"`},
		"unknown group":     {`"groups":["x25519"]`, `"groups":["x25520"]`},
		"missing source":    {`"groups":"s",`, ``},
		"unknown field":     {`"rows"`, `"rowz"`},
		"1.3 without share": {`"versions":["1.2"]`, `"versions":["1.3"]`},
		"share not a group": {`"key_shares":[]`, `"key_shares":["secp256r1"]`},
		"bad extends":       {`"rows"`, `"extends":"nope","rows"`},
	}
	for name, c := range cases {
		bad := strings.Replace(good, c[0], c[1], 1)
		if bad == good {
			t.Fatalf("%s: replacement did not apply", name)
		}
		if _, err := LoadHandshakes(fstest.MapFS{"x.json": {Data: []byte(bad)}}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
