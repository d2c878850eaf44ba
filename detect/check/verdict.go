package check

import "maildoctor.app/maildoctor/detect/finding"

// Verdict is a whole check's outcome: the worst of its findings, with
// "info" counting as fine. Its text is the JSON contract's "verdict".
type Verdict string

// Verdicts of a whole check.
const (
	VerdictOK   Verdict = "ok"
	VerdictWarn Verdict = "warn"
	VerdictFail Verdict = "fail"
)

func verdict(fs []finding.Finding) Verdict {
	switch finding.Worst(fs) {
	case finding.Fail:
		return VerdictFail
	case finding.Warn:
		return VerdictWarn
	}
	return VerdictOK
}
