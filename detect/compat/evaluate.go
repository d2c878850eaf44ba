package compat

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"maildoctor.app/maildoctor/detect/server"
)

// Outcome is the verdict for one system, program and server.
type Outcome string

// Outcomes.
const (
	Works       Outcome = "works"
	NeedsAction Outcome = "needs_action"
	Unsupported Outcome = "unsupported"
	// Undetermined: the sources cannot tell; test the account.
	Undetermined Outcome = "unknown"
)

// Query is what Evaluate answers: a system, a program, and what the server
// requires. OS is a row id ("windows-7") or a family id ("android") with
// OSVersion; Client is a row id ("outlook-2010"), a client id
// ("thunderbird") with ClientVersion, or ClientBuiltin (the system's own
// mail app). Either may be empty, not both. A system alone is answered for
// its built-in mail app where people use that app (iOS, macOS: the
// family's AnswerBuiltin), unless SystemOnly asks about the system itself.
type Query struct {
	OS            string
	OSVersion     string
	Client        string
	ClientVersion string
	// ServerMinTLS is the oldest TLS version the server accepts: "1.2"
	// (the default, RFC 8997) or "1.3".
	ServerMinTLS string
	// STARTTLSClosed says the server closes 143/110/587: accounts must use
	// implicit TLS on 993/995/465.
	STARTTLSClosed bool
	// SystemOnly: with no Client, answer for the system's TLS itself, not
	// for its built-in mail app (detection's view of this computer).
	SystemOnly bool
}

// Support is the combined answer for one TLS version.
type Support struct {
	State State `json:"state"`
	// Via says whose TLS decides.
	Via Via `json:"via"`
	// Actions turn the version on when State is Off.
	Actions []Action `json:"actions,omitempty"`
}

// Via is whose TLS decides a version's support.
type Via string

// Vias.
const (
	// ViaSystem: the system's TLS (StackOS, or no program asked about).
	ViaSystem Via = "system"
	// ViaProgram: the program's own TLS (StackOwn, StackUnknown).
	ViaProgram Via = "program"
	// ViaCloud: the vendor's servers connect to the mail server (StackCloud).
	ViaCloud Via = "cloud"
)

// Reason is one sentence of why, as a translation key and its arguments.
type Reason struct {
	Key  string            `json:"key"`
	Args map[string]string `json:"args,omitempty"`
}

// Verdict is Evaluate's answer.
type Verdict struct {
	Verdict      Outcome            `json:"verdict"`
	OS           *OS                `json:"os"`
	Client       *Client            `json:"client"`
	ServerMinTLS string             `json:"server_tls"`
	TLS          map[string]Support `json:"tls"`
	Actions      []Action           `json:"actions"`
	Reasons      []Reason           `json:"reasons"`
	Sources      []string           `json:"sources"`
	// Notes are the rows' notes (English), for agents and reviewers.
	Notes []string `json:"notes"`
	// Discontinued: the program answered for gets no more updates from its
	// maker (since this date), whatever the verdict. "works" with it
	// means "works, but no longer updated".
	Discontinued string `json:"discontinued,omitempty"`
}

// resolved is a query turned into rows.
type resolved struct {
	os      *Row
	osVer   version // the system's version when known, else nil
	osText  string
	fam     *Family
	cl      *Row
	clText  string
	assumed bool // the newest version of the program was assumed
	builtin bool // the program is the system's built-in mail app
}

// Evaluate answers a query. Errors are bad input: an unknown id, a version
// outside the data, a program that does not run on the system.
func (kb *KB) Evaluate(q Query) (Verdict, error) {
	floor, err := server.ParseTLSVersion(q.ServerMinTLS)
	if err != nil || q.ServerMinTLS != floor.String() {
		return Verdict{}, fmt.Errorf("server TLS %q is not one of %v", q.ServerMinTLS, TLSVersions())
	}
	if floor == 0 {
		floor = server.TLS12
	}
	r, err := kb.resolve(q)
	if err != nil {
		return Verdict{}, err
	}
	v := Verdict{ServerMinTLS: floor.String(), TLS: kb.supports(r)}
	v.OS, v.Client = r.describe()
	v.Verdict, v.Actions = kb.decideAll(r, v.TLS, floor)
	for i := range v.Actions {
		v.Actions[i] = stepArgs(v.Actions[i])
	}
	if q.STARTTLSClosed && v.Verdict != Unsupported {
		v.Actions = append(v.Actions, Action{Kind: ActionSetting, Key: "compat.action.use_implicit"})
	}
	v.Reasons = kb.reasons(r, v, floor)
	v.Sources, v.Notes = r.sourcesAndNotes()
	if r.cl != nil {
		v.Discontinued = r.cl.Discontinued
	}
	return v, nil
}

func (r resolved) describe() (*OS, *Client) {
	var o *OS
	var c *Client
	if r.os != nil {
		o = &OS{Family: r.os.family.ID, ID: r.os.ID, Name: r.os.Name, Version: r.osText}
	}
	if r.fam != nil {
		c = &Client{ID: r.fam.ID, Name: r.fam.Name, Version: r.clText}
		if r.cl != nil {
			c.Row, c.Name = r.cl.ID, r.cl.Name
		}
	}
	return o, c
}

func (kb *KB) resolve(q Query) (resolved, error) {
	var r resolved
	if q.OS == "" && q.Client == "" {
		return r, fmt.Errorf("no system and no program given")
	}
	if err := kb.resolveOS(&r, q.OS, q.OSVersion); err != nil {
		return r, err
	}
	if q.Client == ClientBuiltin || (q.Client == "" && !q.SystemOnly && r.os != nil &&
		r.os.family.AnswerBuiltin && r.os.BuiltinClient != "") {
		switch {
		case r.os == nil:
			return r, fmt.Errorf("the built-in mail app depends on the system: give the system too")
		case r.os.BuiltinClient == "":
			return r, fmt.Errorf("%s has no built-in mail app in the knowledge base: name the mail program", r.os.Name)
		}
		q.Client, q.ClientVersion, r.builtin = r.os.BuiltinClient, "", true
	}
	if err := kb.resolveClientFamily(&r, q.Client); err != nil {
		return r, err
	}
	if r.fam != nil && r.cl == nil {
		if err := kb.resolveClientRow(&r, q.ClientVersion); err != nil {
			return r, err
		}
	} else if r.cl != nil {
		r.clText = q.ClientVersion
	}
	return r, nil
}

func (kb *KB) resolveOS(r *resolved, id, ver string) error {
	if id == "" {
		return nil
	}
	var err error
	if ver != "" {
		if r.osVer, err = parseVersion(ver); err != nil {
			return fmt.Errorf("system version: %w", err)
		}
		r.osText = ver
	}
	if row := kb.rows[id]; row != nil && row.family.Kind == KindOS {
		if r.osVer != nil && !row.span.contains(r.osVer) {
			return fmt.Errorf("%s is not version %s", row.Name, ver)
		}
		r.os = row
		return nil
	}
	f := kb.byID[id]
	if f == nil || f.Kind != KindOS {
		return fmt.Errorf("unknown system %q", id)
	}
	switch {
	case len(f.Rows) == 1:
		r.os = f.Rows[0]
	case r.osVer == nil:
		return fmt.Errorf("which version of %s?", f.Name)
	default:
		if r.os = f.rowFor(r.osVer); r.os == nil {
			return fmt.Errorf("%s %s is not in the knowledge base", f.Name, ver)
		}
	}
	return nil
}

func (kb *KB) resolveClientFamily(r *resolved, id string) error {
	if id == "" {
		return nil
	}
	if row := kb.rows[id]; row != nil && row.family.Kind == KindClient {
		r.fam, r.cl = row.family, row
	} else if f := kb.byID[id]; f != nil && f.Kind == KindClient {
		r.fam = f
	} else {
		return fmt.Errorf("unknown mail program %q", id)
	}
	if r.os == nil || r.fam.runsOn(r.os.family.ID) {
		return nil
	}
	to := kb.byID[r.fam.Redirect[r.os.family.ID]]
	if to == nil {
		return fmt.Errorf("%s does not run on %s", r.fam.Name, r.os.family.Name)
	}
	r.fam, r.cl = to, nil
	return nil
}

func (f *Family) runsOn(os string) bool {
	for _, p := range f.Platforms {
		if p == os {
			return true
		}
	}
	return false
}

// resolveClientRow picks the program's row from its version, from the
// system (Apple Mail), or as the newest that runs on the system.
func (kb *KB) resolveClientRow(r *resolved, ver string) error {
	f := r.fam
	switch {
	case f.Axis == AxisOS:
		v := r.osVersion()
		if v == nil && ver != "" {
			v, _ = parseVersion(ver)
		}
		if v == nil {
			return fmt.Errorf("%s depends on the %s version: give the system", f.Name, kb.platformName(f))
		}
		if r.cl = f.rowFor(v); r.cl == nil {
			return fmt.Errorf("no %s row for system version %s", f.Name, v)
		}
		return nil
	case ver != "":
		v, err := parseVersion(ver)
		if err != nil {
			return fmt.Errorf("%s version: %w", f.Name, err)
		}
		if r.cl = f.rowFor(v); r.cl == nil {
			return fmt.Errorf("%s %s is not in the knowledge base", f.Name, ver)
		}
		r.clText = ver
		return nil
	case len(f.Rows) == 1:
		r.cl = f.Rows[0]
		return nil
	case f.AssumeNewest:
		r.cl, r.clText = f.newestFor(r.os, r.osVer)
		r.assumed = true
		return nil
	}
	return fmt.Errorf("which version of %s? %s", f.Name, strings.Join(f.rowNames(), ", "))
}

func (f *Family) rowNames() []string {
	var out []string
	for _, r := range f.Rows {
		out = append(out, r.Name)
	}
	return out
}

func (kb *KB) platformName(f *Family) string {
	if g := kb.byID[f.Platforms[0]]; g != nil {
		return g.Name
	}
	return f.Platforms[0]
}

// osVersion is the system's version: the one given, else where its row
// starts.
func (r resolved) osVersion() version {
	if r.os == nil {
		return nil
	}
	if r.osVer != nil {
		return r.osVer
	}
	return r.os.span.from
}

// newestFor returns the newest row of a program that runs on the system
// (its version ver when known), and that version ("" for the current one).
func (f *Family) newestFor(os *Row, ver version) (*Row, string) {
	newest := f.Rows[len(f.Rows)-1]
	if os == nil {
		return newest, ""
	}
	a := f.availabilityOn(os, ver)
	if a == nil || a.Version == "" {
		return newest, ""
	}
	v, err := parseVersion(a.Version)
	if err != nil {
		return newest, ""
	}
	if r := f.rowFor(v); r != nil {
		return r, a.Version
	}
	return newest, ""
}

// availabilityOn finds the availability entry covering a system: its
// version ver when known, else where its row starts.
func (f *Family) availabilityOn(os *Row, ver version) *Availability {
	v := ver
	if v == nil {
		v = os.span.from
	}
	for _, a := range f.Availability {
		if a.OS != os.family.ID {
			continue
		}
		if v == nil || a.span.contains(v) {
			return a
		}
	}
	return nil
}

// availabilityUnknown reports that the data lists the program's versions
// for this family of systems but none for this system: which version runs
// there, if any, is not known.
func (r resolved) availabilityUnknown() bool {
	if r.fam == nil || r.os == nil || r.fam.availabilityOn(r.os, r.osVer) != nil {
		return false
	}
	for _, a := range r.fam.Availability {
		if a.OS == r.os.family.ID {
			return true
		}
	}
	return false
}

// tooNew returns the availability entry of a system on which the version
// of the program that was named no longer runs (Thunderbird 128 on
// Windows 7: the last there is 115.15).
func (r resolved) tooNew() (*Availability, bool) {
	if r.fam == nil || r.os == nil || r.cl == nil || r.assumed {
		return nil, false
	}
	a := r.fam.availabilityOn(r.os, r.osVer)
	if a == nil || a.Version == "" {
		return nil, false
	}
	last, err := parseVersion(a.Version)
	if err != nil {
		return nil, false
	}
	named := r.cl.span.from
	if v, err := parseVersion(r.clText); err == nil {
		named = v
	}
	if named == nil {
		return nil, false
	}
	// "115" is 115.15 or older, not newer: compare as far as it goes.
	head := last
	if len(head) > len(named) {
		head = head[:len(named)]
	}
	return a, named.compare(head) > 0
}

// clientLabel names the program as asked: "Thunderbird 128", else its row.
func (r resolved) clientLabel() string {
	if r.clText != "" && !r.assumed {
		return r.fam.Name + " " + r.clText
	}
	if r.cl != nil {
		return r.cl.Name
	}
	return r.fam.Name
}

// stateRank orders states from worst to best; a program on the system's
// stack gets the worse of its own limit and the system's state.
func stateRank(s State) int {
	switch s {
	case No:
		return 0
	case Unknown:
		return 1
	case Partial:
		return 2
	case Off:
		return 3
	case Default:
		return 4
	case Cloud:
		return 5
	}
	return -1
}

func (kb *KB) supports(r resolved) map[string]Support {
	out := make(map[string]Support, 4)
	for _, v := range TLSVersions() {
		out[v] = combine(r, v)
	}
	return out
}

func combine(r resolved, v string) Support {
	osState, osFix := Unknown, []Action(nil)
	if r.os != nil {
		osState, osFix = r.os.TLS[v], r.os.Fix[v]
	}
	if r.cl == nil {
		return Support{State: osState, Via: ViaSystem, Actions: osFix}
	}
	own := r.cl.TLS[v]
	switch r.fam.Stack {
	case StackOwn, StackUnknown:
		return Support{State: own, Via: ViaProgram, Actions: r.cl.Fix[v]}
	case StackCloud:
		return Support{State: own, Via: ViaCloud}
	}
	if own == Enable {
		if osState == Off {
			return Support{State: Default, Via: ViaProgram}
		}
		own = Default
	}
	if stateRank(own) < stateRank(osState) {
		return Support{State: own, Via: ViaProgram}
	}
	s := Support{State: osState, Via: ViaSystem}
	if osState == Off {
		s.Actions = scoped(osFix, r.fam.Uses)
	}
	return s
}

// scoped keeps the system fixes that matter to a program using these parts
// of the system.
func scoped(acts []Action, uses []string) []Action {
	var out []Action
	for _, a := range acts {
		if a.Scope == "" || containsString(uses, a.Scope) {
			out = append(out, a)
		}
	}
	return out
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// needed are the TLS versions the server accepts.
func needed(floor server.TLSVersion) []string {
	var out []string
	for _, v := range server.TLSVersions {
		if v.AtLeast(floor) {
			out = append(out, v.String())
		}
	}
	return out
}

// decide reads the verdict from the supports alone, and returns the fix
// that makes a needs_action verdict work.
func decide(sup map[string]Support, floor server.TLSVersion) (Outcome, []Action) {
	for _, v := range needed(floor) {
		if s := sup[v].State; s == Default || s == Cloud {
			return Works, nil
		}
	}
	for _, v := range needed(floor) {
		if s := sup[v]; s.State == Off && len(s.Actions) > 0 {
			return NeedsAction, s.Actions
		}
	}
	for _, v := range needed(floor) {
		if s := sup[v].State; s == Partial || s == Unknown {
			return Undetermined, nil
		}
	}
	return Unsupported, nil
}

// blocked reports what stops a program whatever TLS says: a retired
// program, or a system too old to run it.
func blocked(r resolved) (Reason, bool) {
	if r.cl != nil && r.cl.Retired != "" {
		return Reason{Key: "compat.reason.retired", Args: map[string]string{"client": r.cl.Name, "date": r.cl.Retired}}, true
	}
	if r.fam == nil || r.os == nil {
		return Reason{}, false
	}
	if a, ok := r.tooNew(); ok {
		return Reason{Key: "compat.reason.too_new", Args: map[string]string{
			"client": r.clientLabel(), "os": r.os.Name, "last": r.fam.Name + " " + a.Version}}, true
	}
	oldest, ok := r.fam.NeedsOS[r.os.family.ID]
	if !ok {
		return Reason{}, false
	}
	need, err := parseVersion(oldest)
	if err != nil || !r.below(need) {
		return Reason{}, false
	}
	// "Android 8.0", not the row it falls in ("Android 5.0 – 9 (Pie)");
	// a Windows build reads better as its row ("Windows 10").
	name := r.os.family.Name + " " + oldest
	if row := r.os.family.rowFor(need); row != nil && r.os.family.Axis == AxisBuild {
		name = row.Name
	}
	return Reason{Key: "compat.reason.needs_os", Args: map[string]string{"client": r.fam.Name, "os": name}}, true
}

// below reports whether the system is certainly older than need: its
// version when given, else the newest version its row covers ("Windows 10"
// may well be 1809 or later).
func (r resolved) below(need version) bool {
	if r.osVer != nil {
		return r.osVer.compare(need) < 0
	}
	to := r.os.span.to
	if to == nil {
		return false
	}
	head := need
	if len(head) > len(to) {
		head = head[:len(to)]
	}
	return to.compare(head) < 0
}

// quick is the verdict without the ways out, for weighing alternatives.
func quick(r resolved, floor server.TLSVersion) Outcome {
	if _, stop := blocked(r); stop {
		return Unsupported
	}
	out := make(map[string]Support, 4)
	for _, v := range needed(floor) {
		out[v] = combine(r, v)
	}
	o, _ := decide(out, floor)
	if acceptable(o) && r.availabilityUnknown() {
		return Undetermined
	}
	return o
}

// decideAll is the verdict with its actions: the fix, what the program
// requires anyway, or the ways out.
func (kb *KB) decideAll(r resolved, sup map[string]Support, floor server.TLSVersion) (Outcome, []Action) {
	o, acts := decide(sup, floor)
	if _, stop := blocked(r); stop {
		o, acts = Unsupported, nil
	}
	if acceptable(o) && r.availabilityUnknown() {
		o, acts = Undetermined, nil
	}
	if (o == Works || o == NeedsAction) && r.cl != nil && len(r.cl.Requires) > 0 {
		o, acts = NeedsAction, append(append([]Action(nil), acts...), r.cl.Requires...)
	}
	switch o {
	case Unsupported:
		acts = kb.waysOut(r, floor)
	case Undetermined:
		acts = append([]Action{{Kind: ActionTest, Key: "compat.action.test"}}, kb.waysOut(r, floor)...)
	}
	if o != Works {
		acts = append(advice(r), acts...)
	}
	return o, acts
}

func advice(r resolved) []Action {
	var out []Action
	for _, row := range []*Row{r.os, r.cl} {
		if row != nil {
			out = append(out, row.Advice...)
		}
	}
	return out
}

// waysOut lists what works instead: a newer version of the program, another
// program, a newer system, and always the webmail.
func (kb *KB) waysOut(r resolved, floor server.TLSVersion) []Action {
	var acts []Action
	if a, ok := kb.clientUpdate(r, floor); ok {
		acts = append(acts, a)
	}
	acts = append(acts, kb.otherClients(r, floor)...)
	if a, ok := kb.newerOS(r, floor); ok {
		acts = append(acts, a)
	}
	return append(acts, Action{Kind: ActionWebmail, Key: "compat.action.webmail"})
}

// acceptable is an outcome worth suggesting.
func acceptable(o Outcome) bool { return o == Works || o == NeedsAction }

func (kb *KB) clientUpdate(r resolved, floor server.TLSVersion) (Action, bool) {
	if r.cl == nil || r.fam.Axis == AxisOS {
		return Action{}, false
	}
	f := r.fam
	if a, ok := r.tooNew(); ok {
		last, _ := parseVersion(a.Version)
		alt := r
		alt.cl, alt.clText = f.rowFor(last), a.Version
		if alt.cl == nil || !acceptable(quick(alt, floor)) {
			return Action{}, false
		}
		return Action{Kind: ActionClientUpdate, Key: "compat.action.client_last",
			Args: map[string]string{"client": f.Name, "version": a.Version, "os": r.os.Name}}, true
	}
	if f.AssumeNewest {
		row, ver := f.newestFor(r.os, r.osVer)
		alt := r
		alt.cl = row
		if row == r.cl || !acceptable(quick(alt, floor)) {
			return Action{}, false
		}
		return Action{Kind: ActionClientUpdate, Key: "compat.action.client_update",
			Args: map[string]string{"client": f.Name, "version": ver}}, true
	}
	after := false
	for _, row := range f.Rows {
		if row == r.cl {
			after = true
			continue
		}
		if !after || row.Disputed || len(row.Requires) > 0 || row.Retired != "" {
			continue
		}
		alt := r
		alt.cl = row
		if acceptable(quick(alt, floor)) {
			return Action{Kind: ActionClientUpdate, Key: "compat.action.client_upgrade",
				Args: map[string]string{"row": row.Name}}, true
		}
	}
	return Action{}, false
}

func (kb *KB) otherClients(r resolved, floor server.TLSVersion) []Action {
	if r.os == nil {
		return nil
	}
	var acts []Action
	for _, id := range r.os.family.Alternatives {
		f := kb.byID[id]
		if f == r.fam {
			continue
		}
		row, ver := f.newestFor(r.os, r.osVer)
		if f.availabilityOn(r.os, r.osVer) == nil && len(f.Availability) > 0 {
			continue
		}
		alt := resolved{os: r.os, osVer: r.osVer, fam: f, cl: row, clText: ver, assumed: true}
		if acceptable(quick(alt, floor)) {
			acts = append(acts, Action{Kind: ActionOtherClient, Key: "compat.action.other_client",
				Args: map[string]string{"client": f.Name, "version": ver}})
		}
	}
	return acts
}

// newerOS names the oldest newer system on which the same program works,
// preferring the rows marked as worth recommending; if the program works
// nowhere, the oldest newer system that works by itself.
func (kb *KB) newerOS(r resolved, floor server.TLSVersion) (Action, bool) {
	if r.os == nil {
		return Action{}, false
	}
	if row := kb.firstNewer(r, floor, true); row != nil {
		return newerOSAction(row), true
	}
	// If the program works on no newer system, name the newer system that
	// works by itself — unless this one already does and only the program
	// is too old.
	bare := resolved{os: r.os, osVer: r.osVer}
	if r.fam != nil && !acceptable(quick(bare, floor)) {
		if row := kb.firstNewer(bare, floor, false); row != nil {
			return newerOSAction(row), true
		}
	}
	return Action{}, false
}

func newerOSAction(row *Row) Action {
	return Action{Kind: ActionNewerOS, Key: "compat.action.newer_os", Args: map[string]string{"os": row.Name}}
}

func (kb *KB) firstNewer(r resolved, floor server.TLSVersion, withClient bool) *Row {
	var first, recommended *Row
	after := false
	for _, row := range r.os.family.Rows {
		if row == r.os {
			after = true
			continue
		}
		if !after || row.NameOnly {
			continue
		}
		alt := resolved{os: row, fam: r.fam, cl: r.cl, clText: r.clText, assumed: r.assumed}
		if withClient && r.fam != nil && r.fam.Axis == AxisOS {
			alt.cl = r.fam.rowFor(row.span.from)
		}
		if acceptable(quick(alt, floor)) {
			if first == nil {
				first = row
			}
			if row.Recommend && recommended == nil {
				recommended = row
			}
		}
	}
	if recommended != nil {
		return recommended
	}
	return first
}

// DetectedOS is what detection found: family "windows", "darwin" or
// "linux" (or any OS family id), the version string and, on Windows, the
// build number.
type DetectedOS struct {
	Family  string
	Version string
	Build   int
}

var leadingVersion = regexp.MustCompile(`^\d+(\.\d+){0,4}`)

// QueryFor turns what detection found into a query, without free text.
// The caller sets ServerMinTLS and STARTTLSClosed.
func (kb *KB) QueryFor(d DetectedOS, clientID, clientVersion string) (Query, error) {
	q := Query{SystemOnly: clientID == ""}
	fam := d.Family
	if fam == "darwin" {
		fam = FamilyMacOS
	}
	if f := kb.byID[fam]; f == nil || f.Kind != KindOS {
		return q, fmt.Errorf("unknown system family %q", d.Family)
	}
	q.OS = fam
	q.OSVersion = leadingVersion.FindString(d.Version)
	if fam == FamilyWindows {
		q.OSVersion = windowsBuild(d)
		if q.OSVersion == "" {
			return q, fmt.Errorf("windows: no build number in %q", d.Version)
		}
	}
	if clientID != "" {
		if f := kb.byID[clientID]; f == nil || f.Kind != KindClient {
			return q, fmt.Errorf("unknown client id %q", clientID)
		}
		q.Client = clientID
		if kb.byID[clientID].Axis != AxisOS {
			q.ClientVersion = leadingVersion.FindString(clientVersion)
		}
	}
	return q, nil
}

func windowsBuild(d DetectedOS) string {
	if d.Build > 0 {
		return strconv.Itoa(d.Build)
	}
	v, err := parseVersion(leadingVersion.FindString(d.Version))
	if err != nil || len(v) < 3 {
		return ""
	}
	return strconv.Itoa(v[2])
}

// EvaluateDetected evaluates what detection found against a server.
func (kb *KB) EvaluateDetected(d DetectedOS, clientID, clientVersion, serverMinTLS string, starttlsClosed bool) (Verdict, error) {
	q, err := kb.QueryFor(d, clientID, clientVersion)
	if err != nil {
		return Verdict{}, err
	}
	q.ServerMinTLS, q.STARTTLSClosed = serverMinTLS, starttlsClosed
	return kb.Evaluate(q)
}
