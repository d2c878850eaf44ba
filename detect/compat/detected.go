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
