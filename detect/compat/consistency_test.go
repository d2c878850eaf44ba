package compat

import "testing"

// TestKnowledgeBaseConsistency (issue 13) goes over every program, every
// system it runs on and every version row of both: no "works" (or "works
// after a change") for a version of a program on a system outside that
// program's supported range, as its needs_os and availability say; every
// "does not work" ends in a way out (the webmail at least); every row has
// sources.
func TestKnowledgeBaseConsistency(t *testing.T) {
	kb := kbT(t)
	checked := 0
	for _, f := range kb.Families() {
		for _, r := range f.Rows {
			if len(r.Sources) == 0 {
				t.Errorf("row %s has no sources", r.ID)
			}
		}
		if f.Kind != KindClient || f.Axis == AxisOS {
			continue
		}
		for _, p := range f.Platforms {
			for _, osRow := range kb.Family(p).Rows {
				if osRow.NameOnly {
					continue
				}
				for _, cl := range f.Rows {
					q := Query{OS: osRow.ID, Client: cl.ID, ClientVersion: cl.From}
					v, err := kb.Evaluate(q)
					if err != nil {
						t.Errorf("%s on %s: %v", cl.ID, osRow.ID, err)
						continue
					}
					checked++
					if acceptable(v.Verdict) {
						if why := outsideRange(f, cl, osRow); why != "" {
							t.Errorf("%s on %s: %s, but %s", cl.ID, osRow.ID, v.Verdict, why)
						}
					}
					if v.Verdict == Unsupported && (len(v.Actions) == 0 || v.Actions[len(v.Actions)-1].Kind != ActionWebmail) {
						t.Errorf("%s on %s: unsupported without a way out: %s", cl.ID, osRow.ID, actionKinds(v))
					}
				}
			}
		}
	}
	if checked < 100 {
		t.Errorf("only %d combinations checked", checked)
	}
}

// outsideRange says why a program's row cannot run on a system row, read
// straight from the data: the oldest system it needs, and the last version
// for the system (none known counts as outside).
func outsideRange(f *Family, cl, osRow *Row) string {
	if need, ok := f.NeedsOS[osRow.family.ID]; ok {
		v, _ := parseVersion(need)
		if osRow.span.to != nil && osRow.span.to.compare(v) < 0 {
			return "it needs " + need
		}
	}
	var entries []*Availability
	for _, a := range f.Availability {
		if a.OS == osRow.family.ID {
			entries = append(entries, a)
		}
	}
	if len(entries) == 0 {
		return ""
	}
	for _, a := range entries {
		if osRow.span.from != nil && !a.span.contains(osRow.span.from) {
			continue
		}
		if a.Version == "" || cl.span.from == nil {
			return ""
		}
		last, _ := parseVersion(a.Version)
		if cl.span.from.compare(last) > 0 {
			return "the last version there is " + a.Version
		}
		return ""
	}
	return "no version is known to run there"
}
