package report

import (
	"net/url"
	"runtime/debug"
	"strings"
)

// MaxMailtoLen is the longest mailto: link Mailto makes. Windows hands a
// URL to the mail program through ShellExecute, which cuts links at about
// 2,000 characters; past that the code would arrive broken.
const MaxMailtoLen = 2000

// Mailto builds the "send to support" link: the provider's support
// address, a subject and a body ending with the support code. When the
// link would be too long for the system to pass on, ok is false and the
// link carries only the body's text: the caller then copies the code to
// the clipboard and says "paste it into the message".
func Mailto(to, subject, body, code string) (link string, ok bool) {
	full := mailto(to, subject, body+"\n\n"+code+"\n")
	if len(full) <= MaxMailtoLen {
		return full, true
	}
	return mailto(to, subject, body), false
}

// mailto encodes like RFC 6068: spaces as %20, never "+", which mail
// programs show literally.
func mailto(to, subject, body string) string {
	q := url.Values{}
	if subject != "" {
		q.Set("subject", subject)
	}
	if body != "" {
		q.Set("body", strings.ReplaceAll(body, "\n", "\r\n"))
	}
	u := url.URL{Scheme: "mailto", Opaque: url.PathEscape(to)}
	link := u.String()
	if len(q) > 0 {
		link += "?" + strings.ReplaceAll(q.Encode(), "+", "%20")
	}
	return link
}

// BuildVersion is the version the Go toolchain recorded in the binary:
// the module version, else the VCS revision (with "+dirty" for local
// changes), else "dev". Callers that know a release version pass that
// instead.
func BuildVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev == "" {
		return "dev"
	}
	return "dev-" + rev + dirty
}
