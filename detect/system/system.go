// Package system describes this computer: its operating system, version and
// build, and what its TLS stack can speak. It also defines the small
// interfaces through which every part of detection touches the machine
// (Platform: a file system root, a registry, a process list, version
// queries), so that the Windows, macOS and Linux logic all run on Linux
// against fixtures; the real implementations are in build-tagged files.
//
// Facts and sources: shared/research/detection.md (§2.1, §4.1, §5.1) and
// shared/research/tls-compat.md (tables A1, A2, A4); each is cited next to
// the code that uses it.
package system

import (
	"context"
	"strings"

	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/server"
)

// Platform is everything detection may read on a computer. The zero value
// of an optional field means "not available here".
type Platform struct {
	// GOOS is "windows", "darwin" or "linux" (others are treated as linux).
	GOOS string
	// FS reads files by absolute slash-separated path.
	FS FS
	// Home is the user's home directory in FS ("/home/anna",
	// "C:/Users/anna").
	Home string
	// Getenv reads the environment (APPDATA, XDG_CONFIG_HOME, …).
	Getenv func(string) string
	// Registry is the Windows registry (nil elsewhere).
	Registry Registry
	// WindowsVersion is RtlGetVersion (Windows only).
	WindowsVersion func() (WinVersion, error)
	// Sysctl reads a sysctl string (macOS: kern.osproductversion).
	Sysctl func(name string) (string, error)
	// Processes lists running processes.
	Processes func() ([]Process, error)
	// FileVersion reads an executable's version resource (Windows).
	FileVersion func(path string) (string, error)
	// Run runs a program and returns its standard output (for
	// `neomutt -Q`); nil means programs are not run.
	Run func(ctx context.Context, name string, args ...string) ([]byte, error)
}

// Env reads an environment variable, "" when Getenv is nil.
func (p *Platform) Env(name string) string {
	if p.Getenv == nil {
		return ""
	}
	return p.Getenv(name)
}

// Process is one running process.
type Process struct {
	PID  int    `json:"pid"`
	Name string `json:"name"` // executable name, e.g. "thunderbird", "OUTLOOK.EXE"
}

// Running reports whether a process with one of these names runs
// (case-insensitive, ".exe" optional). ok is false when the list could not
// be read.
func Running(p *Platform, names ...string) (running, ok bool) {
	if p.Processes == nil {
		return false, false
	}
	procs, err := p.Processes()
	if err != nil {
		return false, false
	}
	for _, pr := range procs {
		n := strings.TrimSuffix(strings.ToLower(pr.Name), ".exe")
		for _, want := range names {
			if n == strings.TrimSuffix(strings.ToLower(want), ".exe") {
				return true, true
			}
		}
	}
	return false, true
}

// State is whether a TLS version can be used, in the legend of
// tls-compat.md: default (offered without any change), off (present but not
// offered by default; can be switched on), no (not implemented), unknown.
type State string

// States of a TLS version.
const (
	Default State = "default"
	Off     State = "off"
	No      State = "no"
	Unknown State = "unknown"
)

// TLS is the state of each TLS version.
type TLS struct {
	V10 State `json:"1.0"`
	V11 State `json:"1.1"`
	V12 State `json:"1.2"`
	V13 State `json:"1.3"`
}

func tls(v10, v11, v12, v13 State) TLS { return TLS{v10, v11, v12, v13} }

var unknownTLS = tls(Unknown, Unknown, Unknown, Unknown)

// Get returns the state of "1.0" … "1.3".
func (t TLS) Get(version string) State {
	switch version {
	case "1.0":
		return t.V10
	case "1.1":
		return t.V11
	case "1.2":
		return t.V12
	case "1.3":
		return t.V13
	}
	return Unknown
}

func (t *TLS) set(version string, s State) {
	switch version {
	case "1.0":
		t.V10 = s
	case "1.1":
		t.V11 = s
	case "1.2":
		t.V12 = s
	case "1.3":
		t.V13 = s
	}
}

// Versions lists the TLS versions in order, as Get takes them.
var Versions = server.TLSVersionNames()

// Stack is one TLS implementation present on the computer (a library on
// Linux, WinHTTP's defaults on Windows) with what it speaks.
type Stack struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
	TLS     TLS    `json:"tls"`
	// Note is a short technical remark (where the value came from).
	Note string `json:"note,omitempty"`
}

// Info describes the operating system.
type Info struct {
	// Family is windows, darwin or linux.
	Family string `json:"family"`
	// Name is the product name as the user knows it: "Windows 11 Pro",
	// "macOS Sonoma", "Debian GNU/Linux 12 (bookworm)".
	Name string `json:"name"`
	// Version is the marketing or release version: "23H2" or "6.1" on
	// Windows, "14.5" on macOS, VERSION_ID on Linux.
	Version string `json:"version"`
	// Build is "22631.4169" (Windows build.UBR), "23F79" (macOS) or the
	// kernel release (Linux).
	Build string `json:"build"`
	// Edition, ServicePack and Server are Windows details.
	Edition     string `json:"edition,omitempty"`
	ServicePack string `json:"service_pack,omitempty"`
	Server      bool   `json:"server,omitempty"`
	// Kernel is the NT version "10.0.22631", the Darwin release or the
	// Linux kernel release.
	Kernel string `json:"kernel,omitempty"`
	// TLS is what the system's own TLS stack (SChannel, Apple's, the
	// distribution's OpenSSL/GnuTLS) offers by default.
	TLS TLS `json:"tls"`
	// Stacks are the other TLS implementations found.
	Stacks []Stack `json:"stacks,omitempty"`
	// Findings are about the system (TLS 1.2 switched off, …).
	Findings []finding.Finding `json:"findings,omitempty"`
}

// Detect describes the computer p.
func Detect(p *Platform) *Info {
	var info *Info
	switch p.GOOS {
	case "windows":
		info = DetectWindows(p)
	case "darwin":
		info = DetectDarwin(p)
	default:
		info = DetectLinux(p)
	}
	info.Findings = append(info.Findings, tlsFindings(info)...)
	return info
}

// tlsFindings: a system whose own stack cannot offer TLS 1.2 by default
// cannot reach a server that requires it (RFC 8997 makes TLS 1.2 the
// minimum for mail access and submission).
func tlsFindings(info *Info) []finding.Finding {
	switch info.TLS.V12 {
	case Off:
		return []finding.Finding{finding.New(finding.OSTLS12Disabled, finding.Fail, "", "os", info.Name, "family", info.Family)}
	case No:
		return []finding.Finding{finding.New(finding.OSTLS12Unsupported, finding.Fail, "", "os", info.Name, "family", info.Family)}
	}
	return nil
}
