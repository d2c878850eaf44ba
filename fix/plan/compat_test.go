package plan

import (
	"strings"
	"testing"

	"maildoctor.app/maildoctor/detect/compat"
	"maildoctor.app/maildoctor/detect/system"
)

// The plan for Outlook 2010 on Windows 7 says what `compat` says for that
// pair: besides Windows' TLS switch, all the Office 2010 updates (before,
// only `compat` asked for them).
func TestPlanCarriesCompatProgramUpdates(t *testing.T) {
	kb, err := compat.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	v, err := kb.EvaluateDetected(compat.DetectedOS{Family: "windows", Version: "6.1", Build: 7601}, "outlook", "14.0.7268.5000", "1.2", true)
	if err != nil {
		t.Fatal(err)
	}
	if v.Verdict != compat.NeedsAction {
		t.Fatalf("compat says %q for Outlook 2010 on Windows 7, want %q", v.Verdict, compat.NeedsAction)
	}
	var want []compat.Action
	for _, a := range v.Actions {
		if a.Kind == compat.ActionClientUpdate {
			want = append(want, a)
		}
	}
	if len(want) == 0 {
		t.Fatal("compat asks for no program update for Outlook 2010 on Windows 7")
	}
	win7 := &system.Info{Family: "windows", Kernel: "6.1.7601", Version: "6.1", Name: "Windows 7"}
	p, err := Build(input(account("outlook", "14.0.7268.5000", popPlain, smtpAuto),
		Input{Servers: servers(t), System: win7, Compat: v.Verdict, CompatActions: v.Actions}))
	if err != nil {
		t.Fatal(err)
	}
	cat := catalog(t)
	for _, a := range want {
		if stepArgs(p, a.Key) == nil && len(a.Args) > 0 {
			t.Fatalf("plan has no step %s; sections %s", a.Key, sectionIDs(p))
		}
		for _, lang := range cat.Languages() {
			Localize(p, cat.For(lang))
			text := strings.Join(stepTexts(p), "\n")
			if !strings.Contains(text, a.Args["product"]) {
				t.Errorf("%s: the plan's steps do not name %q:\n%s", lang, a.Args["product"], text)
			}
		}
	}
	// Without compat's verdict the plan adds nothing of its own.
	p, err = Build(input(account("outlook", "14.0.7268.5000", popPlain, smtpAuto), Input{Servers: servers(t), System: win7}))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range want {
		if stepArgs(p, a.Key) != nil {
			t.Errorf("step %s without a compat verdict", a.Key)
		}
	}
}

func stepTexts(p *Plan) []string {
	var out []string
	for _, s := range p.Sections {
		for _, st := range s.Steps {
			out = append(out, st.Text)
		}
	}
	return out
}
