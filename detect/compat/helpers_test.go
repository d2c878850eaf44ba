package compat

import (
	"strings"
	"sync"
	"testing"
)

var (
	builtinOnce sync.Once
	builtinKB   *KB
	builtinErr  error
)

// kbT loads the built-in data once per test binary.
func kbT(t testing.TB) *KB {
	t.Helper()
	builtinOnce.Do(func() { builtinKB, builtinErr = Builtin() })
	if builtinErr != nil {
		t.Fatalf("Builtin: %v", builtinErr)
	}
	return builtinKB
}

// ask matches free text the way the command line does and evaluates it.
func ask(t *testing.T, kb *KB, osText, clientText, floor string, closed bool) Verdict {
	t.Helper()
	return askQuery(t, kb, osText, clientText, Query{ServerMinTLS: floor, STARTTLSClosed: closed})
}

// askSystem asks about a system itself, not its built-in mail app, when
// no program is named (the provider's table is about systems).
func askSystem(t *testing.T, kb *KB, osText, clientText, floor string) Verdict {
	t.Helper()
	return askQuery(t, kb, osText, clientText, Query{ServerMinTLS: floor, SystemOnly: clientText == ""})
}

func askQuery(t *testing.T, kb *KB, osText, clientText string, q Query) Verdict {
	t.Helper()
	if osText != "" {
		o, sugg, err := kb.MatchOS(osText)
		if err != nil {
			t.Fatalf("MatchOS(%q): %v (closest %v)", osText, err, sugg)
		}
		q.OS, q.OSVersion = o.Ref(), o.Version
	}
	if clientText != "" {
		c, sugg, err := kb.MatchClient(clientText)
		if err != nil {
			t.Fatalf("MatchClient(%q): %v (closest %v)", clientText, err, sugg)
		}
		q.Client, q.ClientVersion = c.Ref(), c.Version
	}
	v, err := kb.Evaluate(q)
	if err != nil {
		t.Fatalf("Evaluate(%+v): %v", q, err)
	}
	return v
}

func actionKinds(v Verdict) string {
	var out []string
	for _, a := range v.Actions {
		k := a.Kind
		if a.KB != "" {
			k += ":" + a.KB
		}
		out = append(out, k)
	}
	return strings.Join(out, ",")
}

func hasReason(v Verdict, key string) bool {
	for _, r := range v.Reasons {
		if r.Key == key {
			return true
		}
	}
	return false
}

func hasAction(v Verdict, key string) bool {
	for _, a := range v.Actions {
		if a.Key == key {
			return true
		}
	}
	return false
}
