package check

import (
	"encoding/json"
	"testing"

	"maildoctor.app/maildoctor/detect/finding"
)

// The verdict is the worst finding, info counting as ok, and its JSON is
// the contract's plain string.
func TestVerdict(t *testing.T) {
	for _, c := range []struct {
		sev  []finding.Severity
		want Verdict
		json string
	}{
		{nil, VerdictOK, `"ok"`},
		{[]finding.Severity{finding.Info, finding.OK}, VerdictOK, `"ok"`},
		{[]finding.Severity{finding.Info, finding.Warn}, VerdictWarn, `"warn"`},
		{[]finding.Severity{finding.Warn, finding.Fail, finding.OK}, VerdictFail, `"fail"`},
	} {
		var fs []finding.Finding
		for _, s := range c.sev {
			fs = append(fs, finding.Finding{ID: "x", Severity: s})
		}
		got := verdict(fs)
		b, err := json.Marshal(Report{Verdict: got})
		if err != nil {
			t.Fatal(err)
		}
		var back map[string]json.RawMessage
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if got != c.want || string(back["verdict"]) != c.json {
			t.Errorf("%v: verdict %q, JSON %s; want %q, %s", c.sev, got, back["verdict"], c.want, c.json)
		}
	}
}
