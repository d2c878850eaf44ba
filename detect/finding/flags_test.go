package finding

import (
	"testing"

	"maildoctor.app/maildoctor/assets"
	"maildoctor.app/maildoctor/i18n"
)

// A flag set by the producer is seen by its readers and by the
// translation's {{if}}; an unset one by neither.
func TestFlag(t *testing.T) {
	cat, err := i18n.Load(assets.Translations, "translation")
	if err != nil {
		t.Fatal(err)
	}
	tr := cat.For("en")
	plain := tr.T(AuthFailed+".detail", nil)
	for _, set := range []bool{true, false} {
		f := New(AuthFailed, Fail, "a:993", "user", "u", ArgSpaces, Flag(set))
		if f.HasFlag(ArgSpaces) != set {
			t.Errorf("set %v: HasFlag %v", set, f.HasFlag(ArgSpaces))
		}
		if text := tr.T(AuthFailed+".detail", f.Args); (text != plain) != set {
			t.Errorf("set %v: the text does not follow the flag: %q", set, text)
		}
	}
	if (Finding{ID: AuthFailed}).HasFlag(ArgSpaces) {
		t.Error("a finding without arguments has the flag")
	}
}
