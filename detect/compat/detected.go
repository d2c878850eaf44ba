package compat

import (
	"strconv"
	"strings"

	"maildoctor.app/maildoctor/detect/system"
)

// DetectedFrom is the system as detection read it, in the form
// EvaluateDetected takes: the build's leading number ("19045.3803" is
// build 19045), 0 when unknown.
func DetectedFrom(i *system.Info) DetectedOS {
	if i == nil {
		return DetectedOS{}
	}
	build := 0
	if b := strings.SplitN(i.Build, ".", 2)[0]; b != "" {
		build, _ = strconv.Atoi(b)
	}
	return DetectedOS{Family: i.Family, Version: i.Version, Build: build}
}

// ForProgram is the answer for a detected program on the detected
// system against the migrated server (TLS 1.2 or newer, STARTTLS
// closed): what "This computer" shows and what a fix plan follows. False
// when the system is unknown or the data cannot decide.
func (kb *KB) ForProgram(i *system.Info, clientID, clientVersion string) (Verdict, bool) {
	if kb == nil || i == nil {
		return Verdict{}, false
	}
	v, err := kb.EvaluateDetected(DetectedFrom(i), clientID, clientVersion, "1.2", true)
	if err != nil || v.Verdict == Undetermined {
		return Verdict{}, false
	}
	return v, true
}
