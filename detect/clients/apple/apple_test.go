package apple

import (
	"strings"
	"testing"

	"maildoctor.app/maildoctor/detect/system"
)

func TestMacApps(t *testing.T) {
	p := &system.Platform{GOOS: "darwin", FS: system.DirFS("testdata/root"), Home: "/Users/u"}
	var got []string
	for _, c := range Detect(p) {
		line := c.ID + " " + c.Version + " " + c.Path
		for _, f := range c.Findings {
			line += " !" + f.ID + ":" + f.Args["reason"]
		}
		got = append(got, line)
	}
	want := "apple-mail 16.0 /System/Applications/Mail.app !client.store_unreadable:unsupported|" +
		"outlook-mac 16.89 /Applications/Microsoft Outlook.app !client.store_unreadable:proprietary|" +
		"spark 3.19.5 /Users/u/Applications/Spark Desktop.app !client.store_unreadable:cloud"
	if strings.Join(got, "|") != want {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.ReplaceAll(want, "|", "\n"))
	}
	if cs := Detect(&system.Platform{GOOS: "linux", FS: p.FS}); cs != nil {
		t.Error("not a Mac")
	}
}
