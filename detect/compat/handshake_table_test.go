package compat

import (
	"bytes"
	"strings"
	"testing"

	"maildoctor.app/maildoctor/detect/probe"
)

// TestMeasuredTable: every profile lands in a row of its own, a failure
// anywhere makes AllConnect false, and the HTML page escapes what comes
// from the command line.
func TestMeasuredTable(t *testing.T) {
	kb, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	ps, err := Handshakes()
	if err != nil {
		t.Fatal(err)
	}
	var ms []probe.Measured
	for _, p := range ps {
		ms = append(ms, probe.Measured{Profile: p.ID, Connects: true, Version: "1.3", Cipher: "TLS_AES_128_GCM_SHA256"})
	}
	rows := MeasuredTable(kb.Table(), ps, ms)
	placed := map[string]bool{}
	for _, r := range rows {
		for _, m := range r.Measured {
			placed[m.Profile] = true
		}
	}
	for _, p := range ps {
		if !placed[p.ID] {
			t.Errorf("%s is in no row of the measured table", p.ID)
		}
	}
	if !AllConnect(rows) {
		t.Error("AllConnect: false with every profile connecting")
	}
	ms[0] = probe.Measured{Profile: ps[0].ID, Reason: probe.ReasonNoSharedCipher}
	rows = MeasuredTable(kb.Table(), ps, ms)
	if AllConnect(rows) {
		t.Error("AllConnect: true with one profile refused")
	}
	tr := func(key string, args map[string]string) string { return key + ":" + args["endpoint"] + args["reason"] }
	var b bytes.Buffer
	if err := WriteMeasuredTable(&b, "html", "<b>x", "<script>", rows, tr); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "<script>") || strings.Contains(b.String(), "<b>x") {
		t.Errorf("the page carries markup from its input:\n%s", b.String())
	}
	if err := WriteMeasuredTable(&b, "pdf", "", "", rows, tr); err == nil {
		t.Error("unknown format accepted")
	}
}
