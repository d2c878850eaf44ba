package compat

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"

	"maildoctor.app/maildoctor/assets"
	"maildoctor.app/maildoctor/detect/server"
)

// State is what a system or a program does with one TLS version.
type State string

// States, as the data files write them.
const (
	// Default: offered without any change.
	Default State = "default"
	// Off: present but not offered; the row's fix (if any) turns it on.
	Off State = "off"
	// No: not implemented, and no supported way to add it.
	No State = "no"
	// Cloud: the program does not connect itself; its vendor's cloud does.
	Cloud State = "cloud"
	// Partial: works on some devices or builds only.
	Partial State = "partial"
	// Unknown: the sources do not establish it.
	Unknown State = "unknown"
	// Enable is only for programs on the system's stack: the program turns
	// on what the system has but keeps off (K-9 Mail on Android 4.1–4.4).
	Enable State = "enable"
)

// TLSVersions are the protocol versions the knowledge base tracks, oldest
// first.
func TLSVersions() []string { return server.TLSVersionNames() }

// Kinds of families.
const (
	KindOS     = "os"
	KindClient = "client"
)

// Stacks of a client family.
const (
	// StackOS: the program uses the system's TLS; its row states are its
	// own limits on top of the system's ("default" = no limit).
	StackOS = "os"
	// StackOwn: the program brings its own TLS; the system does not matter.
	StackOwn = "own"
	// StackCloud: the vendor's servers connect to the mail server.
	StackCloud = "cloud"
	// StackUnknown: how the program encrypts is not documented; its rows
	// say what is known, and the system is not assumed to matter.
	StackUnknown = "unknown"
)

// Axes say what a family's versions count.
const (
	AxisDotted = ""      // dotted versions: "4.4.2", "10.14.4", "115.15"
	AxisBuild  = "build" // a Windows build number: "7601", "19045"
	AxisOS     = "os"    // a client whose versions are its system's (Apple Mail)
)

// Action kinds.
const (
	ActionRegistry     = "registry"
	ActionUpdate       = "update"
	ActionClientUpdate = "client_update"
	ActionSetting      = "setting"
	ActionOtherClient  = "other_client"
	ActionWebmail      = "webmail"
	ActionNewerOS      = "newer_os"
	ActionTest         = "test"
)

// Action is one thing to do. Key names a translation ("compat.action.…")
// whose placeholders Args fill; KB is the Windows update it installs, if any.
type Action struct {
	Kind string            `json:"kind"`
	KB   string            `json:"kb,omitempty"`
	Key  string            `json:"key"`
	Args map[string]string `json:"args,omitempty"`
	// Scope limits an operating-system fix to the programs that use that
	// part of the system: "schannel" (mail connections) or "winhttp"
	// (Outlook's Exchange and Autodiscover traffic). Empty: everyone.
	Scope string `json:"scope,omitempty"`
}

// Seed is the row of the provider's original compatibility table that a
// data row covers, kept verbatim so that reviewers can compare.
type Seed struct {
	Row   string `json:"row"`
	TLS11 string `json:"1.1,omitempty"`
	TLS12 string `json:"1.2,omitempty"`
	// Claim is the table's statement for a program: "works" or "fails".
	Claim string `json:"claim,omitempty"`
}

// Row is one version range of a system or a program.
type Row struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// NameIT is the name in Italian, where the name has words in it.
	NameIT string   `json:"name_it,omitempty"`
	Names  []string `json:"names,omitempty"`
	From   string   `json:"from,omitempty"`
	To     string   `json:"to,omitempty"`
	// TLS maps every version of TLSVersions to a State.
	TLS map[string]State `json:"tls"`
	// Fix turns on a version that is Off.
	Fix map[string][]Action `json:"fix,omitempty"`
	// Requires are actions needed whatever the TLS states say (install
	// the Office updates).
	Requires []Action `json:"requires,omitempty"`
	// Advice are actions shown whenever the verdict is not "works" (check
	// the device behind an AirWatch profile).
	Advice []Action `json:"advice,omitempty"`
	Seed   *Seed    `json:"seed,omitempty"`
	// SeedNote explains where this row departs from the seed table.
	SeedNote string   `json:"seed_note,omitempty"`
	Notes    string   `json:"notes"`
	Sources  []string `json:"sources"`
	// Confidence "low": inferred or believed, not confirmed by the vendor.
	Confidence string `json:"confidence,omitempty"`
	// Disputed: sources disagree on the verdict; the notes say how.
	Disputed bool `json:"disputed,omitempty"`
	// BuiltinClient is the mail program that comes with this system.
	BuiltinClient string `json:"builtin_client,omitempty"`
	// Recommend marks systems worth naming as "a newer system".
	Recommend bool `json:"recommend,omitempty"`
	// NameOnly rows (Windows Server, POSReady) share their builds with
	// other rows: a bare version finds them only when no other row has it.
	NameOnly bool `json:"name_only,omitempty"`
	// Retired is the date after which the program no longer works at all.
	Retired string `json:"retired,omitempty"`
	// Discontinued is when its maker stopped updating it ("2017-01-10"):
	// it may still connect, but it gets no more fixes. Not a verdict.
	Discontinued string `json:"discontinued,omitempty"`

	span   span
	family *Family
}

// Family returns the family the row belongs to.
func (r *Row) Family() *Family { return r.family }

// Availability says which newest version of a program runs on a range of a
// system; Version "" means the current one.
type Availability struct {
	OS      string `json:"os"`
	From    string `json:"from,omitempty"`
	To      string `json:"to,omitempty"`
	Version string `json:"version"`

	span span
}

// Family is one data file: a system (Windows) or a program (Thunderbird)
// with its version rows, ordered by version.
type Family struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	Name string `json:"name"`
	// NameIT is the name in Italian, where the name has words in it.
	NameIT string   `json:"name_it,omitempty"`
	Names  []string `json:"names"`
	Axis   string   `json:"axis,omitempty"`
	// NamedVersions maps names to versions: "el capitan" → "10.11",
	// "2010" → "14", "api 19" → "4.4".
	NamedVersions map[string]string `json:"named_versions,omitempty"`
	// Models maps devices to the last system version they run: "iphone 6"
	// → "12.5.7". Unlike a named version, a model counts only as adjacent
	// words ("iphone 6 mail", not "iphone ios 6") and only when the text
	// gives no system version of its own.
	Models map[string]string `json:"models,omitempty"`
	// Notes and Sources that hold for the whole family.
	Notes   string   `json:"notes,omitempty"`
	Sources []string `json:"sources,omitempty"`

	// OS families only: programs to suggest when the one in use cannot.
	Alternatives []string `json:"alternatives,omitempty"`
	// AnswerBuiltin (OS families only): a question about the system alone
	// is answered for its built-in mail app (a row's BuiltinClient), which
	// is what people use on a phone or a Mac, and whose TLS may be worse
	// than the system's (iOS Mail up to iOS 9).
	AnswerBuiltin bool `json:"answer_builtin,omitempty"`

	// Client families only.
	Platforms []string `json:"platforms,omitempty"`
	// Redirect names the family that is really meant on another system
	// ("thunderbird" on Android is K-9 Mail / Thunderbird for Android).
	Redirect     map[string]string `json:"redirect,omitempty"`
	Stack        string            `json:"stack,omitempty"`
	StackName    string            `json:"stack_name,omitempty"`
	StackNameIT  string            `json:"stack_name_it,omitempty"`
	Uses         []string          `json:"uses,omitempty"`
	Availability []*Availability   `json:"availability,omitempty"`
	// NeedsOS is the oldest system version, per OS family, that runs the
	// program at all.
	NeedsOS map[string]string `json:"needs_os,omitempty"`
	// AssumeNewest lets a query without a version mean the newest version
	// that runs on the system, instead of asking which.
	AssumeNewest bool `json:"assume_newest,omitempty"`

	Rows []*Row `json:"rows"`

	named  map[string]version
	models []model
}

// model is one of Family.Models, tokenized.
type model struct {
	toks []string
	ver  version
}

// KB is the loaded knowledge base. It is read-only after Load, so one KB
// may serve any number of goroutines.
type KB struct {
	families []*Family
	byID     map[string]*Family
	rows     map[string]*Row
	idx      *index

	itOnce  sync.Once
	itNames map[string]string
}

// Families lists every family: systems first, then programs, each sorted
// by id.
func (kb *KB) Families() []*Family { return kb.families }

// Family returns the family with this id, or nil.
func (kb *KB) Family(id string) *Family { return kb.byID[id] }

// Row returns the row with this id, or nil.
func (kb *KB) Row(id string) *Row { return kb.rows[id] }

// Builtin loads the knowledge base built into the binary.
func Builtin() (*KB, error) {
	sub, err := fs.Sub(assets.Compat, "compat")
	if err != nil {
		return nil, fmt.Errorf("compat: %w", err)
	}
	return Load(sub)
}

// maxFileSize bounds one data file; the real ones are a few kilobytes.
const maxFileSize = 1 << 20

// Load reads every *.json file at the root of fsys (for the built-in data:
// fs.Sub(assets.Compat, "compat"), see Builtin) and checks it.
func Load(fsys fs.FS) (*KB, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("compat: reading the data: %w", err)
	}
	kb := &KB{byID: map[string]*Family{}, rows: map[string]*Row{}}
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".json" {
			continue
		}
		f, err := readFamily(fsys, e.Name())
		if err != nil {
			return nil, err
		}
		if err := kb.add(f); err != nil {
			return nil, fmt.Errorf("compat: %s: %w", e.Name(), err)
		}
	}
	if err := kb.link(); err != nil {
		return nil, fmt.Errorf("compat: %w", err)
	}
	sort.Slice(kb.families, func(i, j int) bool {
		a, b := kb.families[i], kb.families[j]
		if a.Kind != b.Kind {
			return a.Kind == KindOS
		}
		return a.ID < b.ID
	})
	kb.idx = buildIndex(kb)
	return kb, nil
}

func readFamily(fsys fs.FS, name string) (*Family, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("compat: reading %s: %w", name, err)
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("compat: %s is larger than %d bytes", name, maxFileSize)
	}
	// A Decoder, not Unmarshal: unknown fields are typos a reviewer must see.
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f Family
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("compat: %s: %w", name, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("compat: %s: more than one JSON value", name)
	}
	return &f, nil
}

// add checks one family on its own and registers it.
func (kb *KB) add(f *Family) error {
	if err := f.check(); err != nil {
		return err
	}
	if kb.byID[f.ID] != nil {
		return fmt.Errorf("family %q is defined twice", f.ID)
	}
	for _, r := range f.Rows {
		if kb.rows[r.ID] != nil || kb.byID[r.ID] != nil {
			return fmt.Errorf("row id %q is used twice", r.ID)
		}
		kb.rows[r.ID] = r
	}
	// A one-row family may share its id with its row; nothing else may.
	if r, ok := kb.rows[f.ID]; ok && r.family != f {
		return fmt.Errorf("family id %q is also another family's row id", f.ID)
	}
	kb.byID[f.ID] = f
	kb.families = append(kb.families, f)
	return nil
}

func (f *Family) check() error {
	switch {
	case f.ID == "" || f.ID != strings.ToLower(strings.TrimSpace(f.ID)):
		return fmt.Errorf("family id %q must be lower case and not empty", f.ID)
	case f.Kind != KindOS && f.Kind != KindClient:
		return fmt.Errorf("family %s: kind %q is neither os nor client", f.ID, f.Kind)
	case f.Name == "" || len(f.Names) == 0:
		return fmt.Errorf("family %s: needs a name and names to match", f.ID)
	case len(f.Rows) == 0:
		return fmt.Errorf("family %s: no rows", f.ID)
	case f.Axis != AxisDotted && f.Axis != AxisBuild && f.Axis != AxisOS:
		return fmt.Errorf("family %s: unknown axis %q", f.ID, f.Axis)
	case f.Kind == KindOS && f.Axis == AxisOS:
		return fmt.Errorf("family %s: a system cannot count its versions by a system", f.ID)
	}
	if err := f.checkKind(); err != nil {
		return err
	}
	if err := f.checkNames(); err != nil {
		return err
	}
	return f.checkRows()
}

func (f *Family) checkKind() error {
	if f.Kind != KindOS && f.AnswerBuiltin {
		return fmt.Errorf("family %s: only systems answer for their built-in mail app", f.ID)
	}
	if f.Kind == KindOS {
		if f.Stack != "" || len(f.Platforms) > 0 || len(f.Uses) > 0 || len(f.Availability) > 0 {
			return fmt.Errorf("family %s: a system has no stack, platforms, uses or availability", f.ID)
		}
		return nil
	}
	switch f.Stack {
	case StackOS, StackOwn, StackCloud, StackUnknown:
	default:
		return fmt.Errorf("family %s: unknown stack %q", f.ID, f.Stack)
	}
	if len(f.Platforms) == 0 {
		return fmt.Errorf("family %s: a program needs platforms", f.ID)
	}
	if len(f.Alternatives) > 0 {
		return fmt.Errorf("family %s: only systems list alternatives", f.ID)
	}
	for _, u := range f.Uses {
		if u != "schannel" && u != "winhttp" {
			return fmt.Errorf("family %s: unknown use %q", f.ID, u)
		}
	}
	for _, a := range f.Availability {
		var err error
		if a.span, err = parseSpan(a.From, a.To); err != nil {
			return fmt.Errorf("family %s: availability on %s: %w", f.ID, a.OS, err)
		}
	}
	return nil
}

func (f *Family) checkNames() error {
	f.named = map[string]version{}
	for name, v := range f.NamedVersions {
		pv, err := parseVersion(v)
		if err != nil {
			return fmt.Errorf("family %s: named version %q: %w", f.ID, name, err)
		}
		if len(tokenize(name)) == 0 {
			return fmt.Errorf("family %s: named version %q has no words", f.ID, name)
		}
		f.named[name] = pv
	}
	for _, n := range f.Names {
		if len(tokenize(n)) == 0 {
			return fmt.Errorf("family %s: name %q has no words", f.ID, n)
		}
	}
	return f.checkModels()
}

func (f *Family) checkModels() error {
	f.models = nil
	for name, v := range f.Models {
		pv, err := parseVersion(v)
		if err != nil {
			return fmt.Errorf("family %s: model %q: %w", f.ID, name, err)
		}
		if len(tokenize(name)) < 2 {
			return fmt.Errorf("family %s: model %q needs a name and a number", f.ID, name)
		}
		f.models = append(f.models, model{tokenize(name), pv})
	}
	// Longest first: "iphone 6 s" before "iphone 6".
	sort.Slice(f.models, func(i, j int) bool {
		a, b := f.models[i], f.models[j]
		if len(a.toks) != len(b.toks) {
			return len(a.toks) > len(b.toks)
		}
		return strings.Join(a.toks, " ") < strings.Join(b.toks, " ")
	})
	return nil
}

// modelIn finds a device model as adjacent words of toks: its last system
// version and the model's words.
func (f *Family) modelIn(toks []string) (version, []string, bool) {
	for _, m := range f.models {
		for i := 0; i+len(m.toks) <= len(toks); i++ {
			if strings.Join(toks[i:i+len(m.toks)], " ") == strings.Join(m.toks, " ") {
				return m.ver, m.toks, true
			}
		}
	}
	return nil, nil, false
}

func (f *Family) checkRows() error {
	var prev *Row
	for _, r := range f.Rows {
		r.family = f
		if err := r.check(f); err != nil {
			return fmt.Errorf("family %s row %q: %w", f.ID, r.ID, err)
		}
		// Rows are in version order so that "newest" and "a newer system"
		// mean something; name-only rows sit next to the row they share.
		if prev != nil && !r.NameOnly && r.span.from != nil && prev.span.from != nil &&
			r.span.from.compare(prev.span.from) < 0 {
			return fmt.Errorf("family %s: row %s starts before the row above it", f.ID, r.ID)
		}
		if !r.NameOnly {
			prev = r
		}
	}
	return nil
}

func (r *Row) check(f *Family) error {
	if r.ID == "" || r.Name == "" {
		return fmt.Errorf("a row needs an id and a name")
	}
	if len(r.Sources) == 0 || strings.TrimSpace(r.Notes) == "" {
		return fmt.Errorf("every row needs notes and sources")
	}
	var err error
	if r.span, err = parseSpan(r.From, r.To); err != nil {
		return err
	}
	if err := checkTLS(r, f); err != nil {
		return err
	}
	for v, acts := range r.Fix {
		if r.TLS[v] != Off {
			return fmt.Errorf("a fix for TLS %s, which is not off", v)
		}
		if err := checkActions(acts); err != nil {
			return err
		}
	}
	if err := checkActions(r.Requires); err != nil {
		return err
	}
	if err := checkActions(r.Advice); err != nil {
		return err
	}
	for _, n := range r.Names {
		if len(tokenize(n)) == 0 {
			return fmt.Errorf("name %q has no words", n)
		}
	}
	if r.Confidence != "" && r.Confidence != "low" {
		return fmt.Errorf("confidence %q is neither empty nor low", r.Confidence)
	}
	if r.NameOnly && f.Kind != KindOS {
		return fmt.Errorf("only systems have name-only rows")
	}
	return checkSeed(r)
}

func checkTLS(r *Row, f *Family) error {
	if len(r.TLS) != len(TLSVersions()) {
		return fmt.Errorf("tls must give exactly %v", TLSVersions())
	}
	for _, v := range TLSVersions() {
		s, ok := r.TLS[v]
		if !ok {
			return fmt.Errorf("tls has no %s", v)
		}
		switch s {
		case Default, Off, No, Partial, Unknown:
		case Cloud:
			if f.Stack != StackCloud {
				return fmt.Errorf("tls %s: cloud is only for cloud programs", v)
			}
		case Enable:
			if f.Stack != StackOS {
				return fmt.Errorf("tls %s: enable is only for programs on the system's stack", v)
			}
		default:
			return fmt.Errorf("tls %s: unknown state %q", v, s)
		}
	}
	return nil
}

func checkActions(acts []Action) error {
	for _, a := range acts {
		switch a.Kind {
		case ActionRegistry, ActionUpdate, ActionClientUpdate, ActionSetting,
			ActionOtherClient, ActionWebmail, ActionNewerOS, ActionTest:
		default:
			return fmt.Errorf("unknown action kind %q", a.Kind)
		}
		if !strings.HasPrefix(a.Key, "compat.action.") {
			return fmt.Errorf("action key %q must start with \"compat.action.\"", a.Key)
		}
		if a.Scope != "" && a.Scope != "schannel" && a.Scope != "winhttp" {
			return fmt.Errorf("unknown action scope %q", a.Scope)
		}
	}
	return nil
}

// seedClass is the state a seed table value naturally means.
func seedClass(v string) (State, bool) {
	switch v {
	case "SI":
		return Default, true
	case "NO":
		return No, true
	case "parziale":
		return Partial, true
	}
	return "", false
}

// checkSeed makes every departure from the provider's table explicit: a
// row whose states differ from what the table says must explain why.
func checkSeed(r *Row) error {
	s := r.Seed
	if s == nil {
		return nil
	}
	if s.Row == "" {
		return fmt.Errorf("seed without the original row text")
	}
	if s.Claim != "" {
		if s.Claim != "works" && s.Claim != "fails" {
			return fmt.Errorf("seed claim %q is neither works nor fails", s.Claim)
		}
		return nil
	}
	for v, val := range map[string]string{"1.1": s.TLS11, "1.2": s.TLS12} {
		want, ok := seedClass(val)
		if !ok {
			return fmt.Errorf("seed TLS %s value %q is not SI, NO or parziale", v, val)
		}
		if r.TLS[v] != want && strings.TrimSpace(r.SeedNote) == "" {
			return fmt.Errorf("TLS %s is %s but the seed table says %s: explain in seed_note", v, r.TLS[v], val)
		}
	}
	return nil
}

// SeedAgrees reports whether the row's states are what its seed row says.
func (r *Row) SeedAgrees() bool {
	if r.Seed == nil || r.Seed.Claim != "" {
		return true
	}
	a, _ := seedClass(r.Seed.TLS11)
	b, _ := seedClass(r.Seed.TLS12)
	return r.TLS["1.1"] == a && r.TLS["1.2"] == b
}

// link checks the references between families once all are loaded.
func (kb *KB) link() error {
	var clients []string
	for _, f := range kb.families {
		if f.Kind == KindClient {
			clients = append(clients, f.ID)
		}
		if err := kb.linkFamily(f); err != nil {
			return err
		}
	}
	sort.Strings(clients)
	if strings.Join(clients, ",") != strings.Join(ClientIDs(), ",") {
		return fmt.Errorf("the client files %v do not match the client ids %v", clients, ClientIDs())
	}
	return nil
}

func (kb *KB) linkFamily(f *Family) error {
	isKind := func(id, kind string) bool { g := kb.byID[id]; return g != nil && g.Kind == kind }
	for _, p := range f.Platforms {
		if !isKind(p, KindOS) {
			return fmt.Errorf("family %s: platform %q is not a system", f.ID, p)
		}
	}
	for os, to := range f.Redirect {
		if !isKind(os, KindOS) || !isKind(to, KindClient) {
			return fmt.Errorf("family %s: redirect %s → %s", f.ID, os, to)
		}
	}
	for os, v := range f.NeedsOS {
		if _, err := parseVersion(v); err != nil || !isKind(os, KindOS) {
			return fmt.Errorf("family %s: needs_os %s %q", f.ID, os, v)
		}
	}
	for _, a := range f.Availability {
		if !isKind(a.OS, KindOS) {
			return fmt.Errorf("family %s: availability on %q", f.ID, a.OS)
		}
	}
	for _, c := range f.Alternatives {
		if !isKind(c, KindClient) {
			return fmt.Errorf("family %s: alternative %q is not a program", f.ID, c)
		}
	}
	for _, r := range f.Rows {
		if r.BuiltinClient != "" && (!isKind(r.BuiltinClient, KindClient) || !kb.byID[r.BuiltinClient].runsOn(f.ID)) {
			return fmt.Errorf("row %s: builtin client %q", r.ID, r.BuiltinClient)
		}
	}
	return nil
}
