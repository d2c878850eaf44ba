package compat

import (
	"fmt"
	"strconv"
	"strings"
)

// version is a dotted version ("10.14.4") or a Windows build ("19045").
type version []int

// maxComponent keeps hostile input ("99999999999999999999") from
// overflowing; no real version component is this large.
const maxComponent = 10_000_000

func parseVersion(s string) (version, error) {
	if s == "" {
		return nil, fmt.Errorf("empty version")
	}
	parts := strings.Split(s, ".")
	if len(parts) > 5 {
		return nil, fmt.Errorf("version %q has too many parts", s)
	}
	v := make(version, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > maxComponent || p[0] == '+' {
			return nil, fmt.Errorf("version %q: %q is not a number", s, p)
		}
		v[i] = n
	}
	return v, nil
}

// compare orders two versions; missing components count as zero, so
// "9" == "9.0".
func (v version) compare(w version) int {
	n := len(v)
	if len(w) > n {
		n = len(w)
	}
	for i := 0; i < n; i++ {
		a, b := v.at(i), w.at(i)
		switch {
		case a < b:
			return -1
		case a > b:
			return 1
		}
	}
	return 0
}

func (v version) at(i int) int {
	if i < len(v) {
		return v[i]
	}
	return 0
}

// atMost reports whether v is within the upper bound to, which covers
// everything it is a prefix of: "4" includes 4.3.5, "10.14.3" does not
// include 10.14.4.
func (v version) atMost(to version) bool {
	head := v
	if len(head) > len(to) {
		head = head[:len(to)]
	}
	return head.compare(to) <= 0
}

// span is a row's inclusive version range; nil ends are open.
type span struct{ from, to version }

func (s span) contains(v version) bool {
	if s.from != nil && v.compare(s.from) < 0 {
		return false
	}
	return s.to == nil || v.atMost(s.to)
}

func parseSpan(from, to string) (span, error) {
	var s span
	var err error
	if from != "" {
		if s.from, err = parseVersion(from); err != nil {
			return s, err
		}
	}
	if to != "" {
		if s.to, err = parseVersion(to); err != nil {
			return s, err
		}
	}
	if s.from != nil && s.to != nil && !s.from.atMost(s.to) {
		return s, fmt.Errorf("range %s–%s is empty", from, to)
	}
	return s, nil
}
