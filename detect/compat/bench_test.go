package compat

import (
	"strings"
	"testing"
)

// What "maildoctor compat --os win7 --client 'outlook 2k10'" does besides
// starting the process: load the embedded data, match, evaluate.
func BenchmarkLoadMatchEvaluate(b *testing.B) {
	for i := 0; i < b.N; i++ {
		kb, err := Builtin()
		if err != nil {
			b.Fatal(err)
		}
		o, _, err := kb.MatchOS("win7")
		if err != nil {
			b.Fatal(err)
		}
		c, _, err := kb.MatchClient("outlook 2k10")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := kb.Evaluate(Query{OS: o.Ref(), Client: c.Ref(), ClientVersion: c.Version}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := Builtin(); err != nil {
			b.Fatal(err)
		}
	}
}

// The app's "This computer" screen: one evaluation per detected client.
func BenchmarkEvaluateDetected(b *testing.B) {
	kb := kbT(b)
	d := DetectedOS{Family: "windows", Version: "6.1.7601", Build: 7601}
	for i := 0; i < b.N; i++ {
		if _, err := kb.EvaluateDetected(d, ClientOutlook, "14.0.7268.5000", "1.2", true); err != nil {
			b.Fatal(err)
		}
	}
}

// The worst case the input bound allows: 200 characters of near-words.
func BenchmarkMatchLongInput(b *testing.B) {
	kb := kbT(b)
	text := strings.Repeat("ab1 ", 50)
	for i := 0; i < b.N; i++ {
		_, _, _ = kb.MatchOS(text)
		_, _, _ = kb.MatchClient(text)
	}
}

func BenchmarkMatchMisspelt(b *testing.B) {
	kb := kbT(b)
	for i := 0; i < b.N; i++ {
		_, _, _ = kb.MatchOS("windoes vistta servr pack too")
	}
}
