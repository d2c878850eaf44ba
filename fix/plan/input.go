package plan

import (
	"strconv"
	"strings"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/compat"
	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/system"
)

// Input is everything a plan is made from.
type Input struct {
	Email string
	// Servers are the address's servers as discover.Find (or a check
	// report's discovery) found them.
	Servers []discover.Server
	// Webmail is the provider's webmail page (see fix/webmail), if any.
	Webmail  string
	Provider string
	// Client is the program holding the account (detect/clients); its ID
	// and Version choose the steps. Nil means the generic plan.
	Client *clients.Client
	// Account is the account as that program holds it today, if read.
	// Accounts whose transport the user does not set (Kind "exchange",
	// "eas", "oauth-cloud") have no server steps: leave them out.
	Account *clients.Account
	// System is this computer (detect/system); nil when unknown.
	System *system.Info
	// Compat is detect/compat's verdict for this program on this system,
	// "" when unknown.
	Compat compat.Outcome
	// CompatActions are the actions detect/compat gave with Compat; the
	// program updates among them ("install all Office 2010 updates")
	// become steps, so the plan says what `compat` says.
	CompatActions []compat.Action
	// Findings are those of the check (per endpoint) and of detect (per
	// program and account).
	Findings []finding.Finding
	// Builtin is the provider profile built into the program, which with
	// the address's domain decides whose server names a plan may use
	// (detect/trust rules 1-2). Nil parses it again for every plan.
	Builtin *discover.Profile
	// Program is the command a step tells the user to type
	// ("maildoctor-legacy fix --apply …"); empty means "maildoctor".
	Program string
}

// program is the command name the steps use.
func (in Input) program() string {
	if in.Program == "" {
		return "maildoctor"
	}
	return in.Program
}

// windowsVersion returns the NT major and minor version ("6.1" is
// Windows 7, "6.2" Windows 8), from the kernel version detect reports.
func windowsVersion(s *system.Info) (major, minor int, ok bool) {
	if s == nil || !strings.EqualFold(s.Family, "windows") {
		return 0, 0, false
	}
	v := s.Kernel
	if v == "" {
		v = s.Version
	}
	parts := strings.SplitN(strings.TrimSpace(v), ".", 3)
	major, err := strconv.Atoi(parts[0])
	if err != nil {
		return 0, 0, false
	}
	if len(parts) > 1 {
		minor, _ = strconv.Atoi(parts[1])
	}
	return major, minor, true
}

// tooOld: Windows XP, Server 2003 and Vista have no TLS 1.2 of their own
// (only through unsupported patches), and a system whose own TLS cannot
// do 1.2 at all is no better.
func tooOld(s *system.Info) bool {
	major, minor, ok := windowsVersion(s)
	return ok && (major < 6 || major == 6 && minor == 0) || s != nil && s.TLS.V12 == system.No
}

// needsTLS12Switch: Windows 7 has TLS 1.1/1.2 switched off for programs
// that use Windows' own TLS (SChannel), and Windows 7 and 8 keep WinHTTP
// at TLS 1.0 until KB3140245 and DefaultSecureProtocols. When detect has
// read the registry and both are on already, nothing is needed.
func needsTLS12Switch(s *system.Info) bool {
	major, minor, ok := windowsVersion(s)
	if !ok || major != 6 || (minor != 1 && minor != 2) {
		return false
	}
	if s.TLS.V12 != system.Default {
		return true
	}
	for _, st := range s.Stacks {
		if st.Name == "WinHTTP" && st.TLS.V12 != system.Default {
			return true
		}
	}
	return false
}

func systemName(s *system.Info) string {
	if s == nil {
		return ""
	}
	if s.Name != "" {
		return s.Name
	}
	return strings.TrimSpace(s.Family + " " + s.Version)
}
