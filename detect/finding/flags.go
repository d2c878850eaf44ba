package finding

// Flag arguments: a finding's argument that other parts act on, not only
// the text shows. The producer and its readers share the name and the
// values here instead of each spelling "spaces" and "yes".
const (
	// ArgSpaces on auth.failed: the password began or ended with a space
	// (copied with it), so the plan tells the user to retype it.
	ArgSpaces = "spaces"
)

// flagSet is a set flag's value; an unset flag is "", which the
// translations' {{if .spaces}} reads as false.
const flagSet = "yes"

// Flag is the value of a flag argument.
func Flag(set bool) string {
	if set {
		return flagSet
	}
	return ""
}

// HasFlag reports whether f's flag argument name is set.
func (f Finding) HasFlag(name string) bool {
	return f.Args[name] == flagSet
}
