package compat

import (
	"testing"

	"maildoctor.app/maildoctor/detect/system"
)

func TestDetectedFrom(t *testing.T) {
	for _, c := range []struct {
		in   *system.Info
		want DetectedOS
	}{
		{nil, DetectedOS{}},
		{&system.Info{Family: "windows", Version: "22H2", Build: "19045.3803"}, DetectedOS{"windows", "22H2", 19045}},
		{&system.Info{Family: "windows", Version: "6.1", Build: "7601"}, DetectedOS{"windows", "6.1", 7601}},
		{&system.Info{Family: "linux", Version: "12"}, DetectedOS{"linux", "12", 0}},
		{&system.Info{Family: "darwin", Version: "14.5", Build: "23F79"}, DetectedOS{"darwin", "14.5", 0}},
	} {
		if got := DetectedFrom(c.in); got != c.want {
			t.Errorf("%+v: %+v, want %+v", c.in, got, c.want)
		}
	}
	kb, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	v, err := kb.EvaluateDetected(DetectedFrom(&system.Info{Family: "windows", Version: "6.1", Build: "7601"}), "outlook", "14.0.7268.5000", "1.2", true)
	if err != nil || v.OS == nil {
		t.Fatalf("Windows 7 with Outlook 2010: %+v, %v", v, err)
	}
}
