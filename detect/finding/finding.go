// Package finding holds the one vocabulary every part of Mail Doctor speaks:
// a check, a detection or a compatibility verdict produces findings, and the
// command line, the JSON output, the app and the support report render them.
//
// Logic code fills in the ID, the severity and the arguments; titles and
// explanations come from the translation files (see Localize), never from
// string literals in logic code.
package finding

import "sort"

// Severity orders how much a finding matters.
type Severity string

// Severities, from harmless to blocking.
const (
	OK   Severity = "ok"
	Info Severity = "info"
	Warn Severity = "warn"
	Fail Severity = "fail"
)

// Rank orders severities so the worst can be chosen.
func (s Severity) Rank() int {
	switch s {
	case OK:
		return 0
	case Info:
		return 1
	case Warn:
		return 2
	case Fail:
		return 3
	}
	return -1
}

// Finding is one thing found. ID never changes once released, so scripts and
// translations can rely on it.
type Finding struct {
	ID       string   `json:"id"`
	Severity Severity `json:"severity"`
	// Endpoint is "host:port", a client id, or "" for the whole check.
	Endpoint string `json:"endpoint"`
	Title    string `json:"title"`
	Detail   string `json:"detail"`
	// Evidence is the raw technical fact (an error, a certificate name list)
	// shown folded under "technical details". Never a secret.
	Evidence string `json:"evidence,omitempty"`
	// Args fill the placeholders of the translated title and detail.
	Args map[string]string `json:"args,omitempty"`
}

// Args turns key, value pairs into the map of a finding's, a step's or a
// message's arguments; nil without a pair.
func Args(kv ...string) map[string]string {
	if len(kv) < 2 {
		return nil
	}
	m := make(map[string]string, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

// New returns a finding with its arguments given as key, value pairs.
func New(id string, sev Severity, endpoint string, kv ...string) Finding {
	return Finding{ID: id, Severity: sev, Endpoint: endpoint, Args: Args(kv...)}
}

// WithEvidence returns f with its technical evidence set, clipped to
// MaxEvidence bytes.
func (f Finding) WithEvidence(e string) Finding {
	f.Evidence = Clip(e, MaxEvidence)
	return f
}

// Worst returns the highest severity among fs, or OK when fs is empty.
func Worst(fs []Finding) Severity {
	w := OK
	for _, f := range fs {
		if f.Severity.Rank() > w.Rank() {
			w = f.Severity
		}
	}
	return w
}

// Has reports whether fs holds a finding with that id (for any endpoint).
func Has(fs []Finding, id string) bool {
	for _, f := range fs {
		if f.ID == id {
			return true
		}
	}
	return false
}

// First returns the first finding in fs with that id (for any endpoint).
func First(fs []Finding, id string) (Finding, bool) {
	for _, f := range fs {
		if f.ID == id {
			return f, true
		}
	}
	return Finding{}, false
}

// Sort orders findings worst first, then by endpoint and id, so every
// rendering lists them the same way.
func Sort(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Severity.Rank() != b.Severity.Rank() {
			return a.Severity.Rank() > b.Severity.Rank()
		}
		if a.Endpoint != b.Endpoint {
			return a.Endpoint < b.Endpoint
		}
		return a.ID < b.ID
	})
}

// Translator renders a translation key with named arguments.
type Translator interface {
	T(key string, args map[string]string) string
}

// Localize fills in Title and Detail of every finding from tr, using the
// keys "<id>.title" and "<id>.detail".
func Localize(fs []Finding, tr Translator) {
	for i := range fs {
		fs[i].Title = tr.T(fs[i].ID+".title", fs[i].Args)
		fs[i].Detail = tr.T(fs[i].ID+".detail", fs[i].Args)
	}
}
