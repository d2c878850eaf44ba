package compat

import "maildoctor.app/maildoctor/detect/server"

// reasons explains a verdict in translatable sentences: whose TLS decides,
// what it does with the versions the server accepts, and any caveat.
func (kb *KB) reasons(r resolved, v Verdict, floor server.TLSVersion) []Reason {
	var out []Reason
	if r.builtin {
		out = append(out, Reason{Key: "compat.reason.builtin_answer",
			Args: map[string]string{"client": r.cl.Name, "os": r.os.Name}})
	}
	if stop, ok := blocked(r); ok {
		out = append(out, stop)
	} else if r.availabilityUnknown() {
		out = append(out, Reason{Key: "compat.reason.availability_unknown",
			Args: map[string]string{"client": r.fam.Name, "os": r.os.Name}})
	}
	if r.fam != nil {
		out = append(out, stackReason(r))
	}
	if r.fam != nil && r.fam.Stack == StackOS && r.os == nil {
		out = append(out, Reason{Key: "compat.reason.depends_on_os", Args: map[string]string{"client": r.fam.Name}})
	} else {
		for _, ver := range needed(floor) {
			s := v.TLS[ver]
			out = append(out, Reason{Key: "compat.reason.tls." + string(s.State),
				Args: map[string]string{"who": r.who(s.Via), "version": ver}})
		}
	}
	if r.assumed {
		out = append(out, Reason{Key: "compat.reason.assumed_newest",
			Args: map[string]string{"client": r.fam.Name, "version": r.clText}})
	}
	if r.cl != nil && r.cl.Discontinued != "" {
		out = append(out, Reason{Key: "compat.reason.discontinued",
			Args: map[string]string{"client": r.cl.Name, "date": r.cl.Discontinued}})
	}
	out = append(out, caveats(r.os)...)
	out = append(out, caveats(r.cl)...)
	if b, ok := kb.builtinDiffers(r, v.Verdict, floor); ok {
		out = append(out, b)
	}
	return out
}

func stackReason(r resolved) Reason {
	args := map[string]string{"client": r.fam.Name, "stack": r.fam.StackName}
	switch r.fam.Stack {
	case StackOwn:
		return Reason{Key: "compat.reason.stack_own", Args: args}
	case StackUnknown:
		return Reason{Key: "compat.reason.stack_unknown", Args: args}
	case StackCloud:
		return Reason{Key: "compat.reason.stack_cloud", Args: args}
	}
	return Reason{Key: "compat.reason.stack_os", Args: args}
}

// who names whoever decides a version: the system or the program.
func (r resolved) who(via Via) string {
	switch {
	case via == ViaSystem && r.os != nil:
		return r.os.Name
	case r.cl != nil:
		return r.cl.Name
	case r.fam != nil:
		return r.fam.Name
	}
	return ""
}

// caveats are the row's doubts: the provider's table says otherwise, the
// sources disagree, or it is inferred rather than documented.
func caveats(row *Row) []Reason {
	if row == nil {
		return nil
	}
	var out []Reason
	if row.Seed != nil && !row.SeedAgrees() {
		out = append(out, Reason{Key: "compat.reason.seed_differs", Args: map[string]string{"row": row.Seed.Row}})
	}
	if row.Disputed {
		out = append(out, Reason{Key: "compat.reason.disputed", Args: map[string]string{"name": row.Name}})
	}
	if row.Confidence == "low" {
		out = append(out, Reason{Key: "compat.reason.unverified", Args: map[string]string{"name": row.Name}})
	}
	return out
}

// builtinDiffers warns, when only a system was asked about, that the mail
// app that comes with it does worse than the system (iOS Mail up to iOS 9
// speaks only TLS 1.0 although iOS 5 has TLS 1.2).
func (kb *KB) builtinDiffers(r resolved, got Outcome, floor server.TLSVersion) (Reason, bool) {
	if r.fam != nil || r.os == nil || r.os.BuiltinClient == "" {
		return Reason{}, false
	}
	f := kb.byID[r.os.BuiltinClient]
	alt := resolved{os: r.os, osVer: r.osVer, fam: f}
	if err := kb.resolveClientRow(&alt, ""); err != nil || alt.cl == nil {
		return Reason{}, false
	}
	o := quick(alt, floor)
	if o == got || outcomeRank(o) > outcomeRank(got) {
		return Reason{}, false
	}
	return Reason{Key: "compat.reason.builtin", Args: map[string]string{
		"client": alt.cl.Name, "verdict": string(o)}}, true
}

func outcomeRank(o Outcome) int {
	switch o {
	case Works:
		return 3
	case NeedsAction:
		return 2
	case Undetermined:
		return 1
	}
	return 0
}

// sourcesAndNotes gathers the rows' and families' sources without
// repeats, system first.
func (r resolved) sourcesAndNotes() ([]string, []string) {
	sources, notes := []string{}, []string{}
	seen := map[string]bool{}
	addSources := func(list []string) {
		for _, s := range list {
			if !seen[s] {
				seen[s] = true
				sources = append(sources, s)
			}
		}
	}
	addNotes := func(list ...string) {
		for _, n := range list {
			if n != "" {
				notes = append(notes, n)
			}
		}
	}
	if r.os != nil {
		addSources(r.os.Sources)
		addSources(r.os.family.Sources)
		addNotes(r.os.Notes, r.os.SeedNote, r.os.family.Notes)
	}
	if r.cl != nil {
		addSources(r.cl.Sources)
		addSources(r.fam.Sources)
		addNotes(r.cl.Notes, r.cl.SeedNote, r.fam.Notes)
	}
	return sources, notes
}
