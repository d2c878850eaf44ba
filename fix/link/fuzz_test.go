package link

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"maildoctor.app/maildoctor/assets"
	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/server"
)

func FuzzParse(f *testing.F) {
	for _, tt := range parseCases() {
		f.Add(tt.raw)
	}
	builtIn, err := discover.ParseProfile(assets.DefaultProfile)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		l, err := Parse(raw)
		if err != nil {
			var le *Error
			if !errors.As(err, &le) || l != nil || !strings.HasPrefix(le.Key, "link.error.") {
				t.Fatalf("Parse() = %+v, %v: not a clear *Error", l, err)
			}
			return
		}
		// Never a password; only https profiles; hosts usable as given.
		if name, ok := passwordParam(raw); ok {
			t.Fatalf("accepted a link with %q", name)
		}
		if l.Profile != "" && !strings.HasPrefix(l.Profile, "https://") {
			t.Fatalf("profile %q is not https", l.Profile)
		}
		for p, hp := range l.Servers {
			if _, _, err := server.ParseHostPort(hp); err != nil || protocolParam(string(p)) == "" {
				t.Fatalf("server %s=%q: %v", p, hp, err)
			}
		}
		// The canonical form reads back to the same link.
		want := *l
		want.Ignored = nil
		back, err := Parse(l.String())
		if err != nil {
			t.Fatalf("Parse(%q) = %v", l.String(), err)
		}
		if !reflect.DeepEqual(*back, want) {
			t.Fatalf("round trip %q: %+v, want %+v", l.String(), back, want)
		}
		for _, w := range l.Warnings([]*discover.Profile{builtIn}, nil) {
			if w.Args["host"] == "" {
				t.Fatalf("warning %s names no host", w.ID)
			}
		}
	})
}
