package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"maildoctor.app/maildoctor/assets"
	"maildoctor.app/maildoctor/detect/compat"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/i18n"
)

// compatFlags are the flags of "maildoctor compat".
type compatFlags struct {
	os, client     string
	serverTLS      string
	starttlsClosed bool
	json           bool
	lang           string
	table          bool
	format         string
	// server, starttls, resolve: measure the matched profiles' handshakes
	// against this server (cli/compat_measured.go).
	server   string
	starttls bool
	resolve  map[string]string
}

func parseCompat(args []string) (compatFlags, error) {
	f := compatFlags{resolve: map[string]string{}}
	fs := flag.NewFlagSet("compat", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&f.os, "os", "", "")
	fs.StringVar(&f.client, "client", "", "")
	fs.StringVar(&f.serverTLS, "server-tls", "1.2", "")
	fs.BoolVar(&f.starttlsClosed, "starttls-closed", false, "")
	fs.BoolVar(&f.json, "json", false, "")
	fs.StringVar(&f.lang, "lang", "", "")
	fs.BoolVar(&f.table, "table", false, "")
	fs.StringVar(&f.format, "format", "", "")
	fs.StringVar(&f.server, "server", "", "")
	fs.BoolVar(&f.starttls, "starttls", false, "")
	fs.Var(resolveFlag(f.resolve), "resolve", "")
	if err := fs.Parse(args); err != nil {
		return f, usagef("%s", flagError(err))
	}
	if fs.NArg() > 0 {
		return f, usagef("unexpected argument %q: use --os and --client (quote names with spaces)", fs.Arg(0))
	}
	return f, checkCompatFlags(f)
}

// serverTLSFlag reports whether --server-tls is "1.2" or "1.3", spelt so
// (compat.Evaluate takes no other spelling).
func serverTLSFlag(s string) bool {
	v, err := server.ParseTLSVersion(s)
	return err == nil && v.String() == s && v.AtLeast(server.TLS12)
}

func checkCompatFlags(f compatFlags) error {
	switch {
	case f.table && (f.os != "" || f.client != "" || f.starttlsClosed || f.serverTLS != "1.2"):
		return usagef("--table prints the whole matrix: drop --os, --client, --server-tls and --starttls-closed")
	case f.table && f.json:
		return usagef("--table takes --format json, not --json")
	case f.table && f.format != "" && !validFormat(f.format):
		return usagef("--format must be one of %s", strings.Join(compat.TableFormats(), ", "))
	case !f.table && f.format != "":
		return usagef("--format goes with --table")
	case !f.table && f.os == "" && f.client == "":
		return usagef("say what to check: --os TEXT and/or --client TEXT, or --table")
	case !serverTLSFlag(f.serverTLS):
		return usagef("--server-tls must be 1.2 or 1.3")
	case f.server == "" && (f.starttls || len(f.resolve) > 0):
		return usagef("--starttls and --resolve go with --server")
	}
	return nil
}

// writeCompatPage writes compat.html with both languages: Italian first
// (the provider's customers), unless --lang names the default.
func writeCompatPage(w io.Writer, kb *compat.KB, lang string) error {
	cat, err := i18n.Load(assets.Translations, "translation")
	if err != nil {
		return err
	}
	langs := []compat.PageLang{{Code: "it", Name: "Italiano"}, {Code: "en", Name: "English"}}
	if cat.For(lang).Lang() == "en" && lang != "" {
		langs[0], langs[1] = langs[1], langs[0]
	}
	for i := range langs {
		langs[i].T = cat.For(langs[i].Code).T
	}
	return kb.WritePage(w, langs)
}

func validFormat(s string) bool {
	for _, f := range compat.TableFormats() {
		if s == f {
			return true
		}
	}
	return false
}

func runCompat(ctx context.Context, args []string, env Env) error {
	f, err := parseCompat(args)
	if err != nil {
		return err
	}
	tr, err := translator(f.lang, env)
	if err != nil {
		return err
	}
	kb, err := compat.Builtin()
	if err != nil {
		return err
	}
	if f.table {
		format := f.format
		if format == "" {
			format = "md"
		}
		if f.server != "" {
			return writeMeasuredTable(ctx, env.Stdout, kb, f, format, tr)
		}
		if format == "html" {
			return writeCompatPage(env.Stdout, kb, f.lang)
		}
		return kb.WriteTable(env.Stdout, format, tr.T)
	}
	v, err := evaluateCompat(kb, f)
	if err != nil {
		return err
	}
	measured, err := measureCompat(ctx, v, f)
	if err != nil {
		return err
	}
	if f.json {
		if err := writeCompatJSON(jsonOut(env.Stdout), kb, v, f, tr, measured); err != nil {
			return err
		}
	} else {
		renderCompat(env.Stdout, kb, v, f, tr)
		renderMeasured(env.Stdout, measured, tr)
	}
	if v.Verdict != compat.Works {
		return errProblems
	}
	return nil
}

// evaluateCompat matches the free text and evaluates it; an unknown name
// is bad input, with the closest known names on the same line.
func evaluateCompat(kb *compat.KB, f compatFlags) (compat.Verdict, error) {
	q := compat.Query{ServerMinTLS: f.serverTLS, STARTTLSClosed: f.starttlsClosed}
	if f.os != "" {
		o, sugg, err := kb.MatchOS(f.os)
		if err != nil {
			return compat.Verdict{}, usagef("--os: %v%s", err, closest(sugg))
		}
		q.OS, q.OSVersion = o.Ref(), o.Version
	}
	if f.client != "" {
		c, sugg, err := kb.MatchClient(f.client)
		if err != nil {
			return compat.Verdict{}, usagef("--client: %v%s", err, closest(sugg))
		}
		if c.ID == compat.ClientBuiltin && f.os == "" {
			return compat.Verdict{}, usagef("--client %q means the system's own mail app: say which system with --os", f.client)
		}
		q.Client, q.ClientVersion = c.Ref(), c.Version
	}
	v, err := kb.Evaluate(q)
	if err != nil {
		return v, usagef("%v", err)
	}
	return v, nil
}

func closest(sugg []string) string {
	if len(sugg) == 0 {
		return ""
	}
	return "; closest known: " + strings.Join(sugg, ", ")
}

// compatJSON is the stable shape of "compat --json" (DESIGN.md).
type compatJSON struct {
	OS             *compat.OS              `json:"os"`
	Client         *compat.Client          `json:"client"`
	ServerTLS      string                  `json:"server_tls"`
	STARTTLSClosed bool                    `json:"starttls_closed"`
	TLS            map[string]compat.State `json:"tls"`
	Verdict        compat.Outcome          `json:"verdict"`
	Summary        string                  `json:"summary"`
	Actions        []actionJSON            `json:"actions"`
	Reasons        []string                `json:"reasons"`
	Sources        []string                `json:"sources"`
	Notes          []string                `json:"notes"`
	// Measured is there with --server: each matched handshake profile's
	// outcome against it.
	Measured []measuredJSON `json:"measured,omitempty"`
}

type actionJSON struct {
	Kind string `json:"kind"`
	KB   string `json:"kb,omitempty"`
	// Scope is what the step is for: "schannel" (mail over POP, IMAP,
	// SMTP) or "winhttp" (Outlook's Exchange and Autodiscover traffic).
	Scope string `json:"scope,omitempty"`
	Text  string `json:"text"`
}

func writeCompatJSON(w io.Writer, kb *compat.KB, v compat.Verdict, f compatFlags, tr i18n.Translator, measured []measuredJSON) error {
	out := compatJSON{OS: v.OS, Client: v.Client, ServerTLS: v.ServerMinTLS, STARTTLSClosed: f.starttlsClosed,
		TLS: map[string]compat.State{}, Verdict: v.Verdict, Summary: tr.T(verdictKey(v), nil),
		Actions: []actionJSON{}, Reasons: reasonTexts(kb, v, tr), Sources: v.Sources, Notes: v.Notes}
	for ver, s := range v.TLS {
		out.TLS[ver] = s.State
	}
	out.Measured = measured
	for _, a := range v.Actions {
		out.Actions = append(out.Actions, actionJSON{Kind: a.Kind, KB: a.KB, Scope: a.Scope, Text: tr.T(a.Key, kb.LocalArgs(a.Args, tr.Lang()))})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// verdictKey is the translation of the verdict: "it works" becomes "it
// works, but the program is no longer updated" for a discontinued one.
func verdictKey(v compat.Verdict) string {
	if v.Verdict == compat.Works && v.Discontinued != "" {
		return "compat.verdict.works_discontinued"
	}
	return "compat.verdict." + string(v.Verdict)
}

// reasonTexts are the reasons in tr's language, names included.
func reasonTexts(kb *compat.KB, v compat.Verdict, tr i18n.Translator) []string {
	out := []string{}
	for _, r := range v.Reasons {
		out = append(out, tr.T(r.Key, kb.LocalArgs(r.Args, tr.Lang())))
	}
	return out
}

// renderCompat writes the answer for a person: what was understood, the
// TLS versions, the verdict, why, what to do, and the sources.
func renderCompat(w io.Writer, kb *compat.KB, v compat.Verdict, f compatFlags, tr i18n.Translator) {
	fmt.Fprintln(w, tr.T("compat.heading", nil))
	if v.OS != nil {
		fmt.Fprintln(w, tr.T("compat.label.os", map[string]string{"name": nameWithVersion(kb.LocalName(v.OS.Name, tr.Lang()), v.OS.Version)}))
	}
	if v.Client != nil {
		fmt.Fprintln(w, tr.T("compat.label.client", map[string]string{"name": nameWithVersion(kb.LocalName(v.Client.Name, tr.Lang()), v.Client.Version)}))
	}
	closed := ""
	if f.starttlsClosed {
		closed = "yes"
	}
	fmt.Fprintln(w, tr.T("compat.label.server", map[string]string{"version": v.ServerMinTLS, "closed": closed}))
	fmt.Fprintln(w)
	fmt.Fprintln(w, tr.T("compat.section.tls", nil))
	for _, ver := range compat.TLSVersions() {
		fmt.Fprintf(w, "  TLS %s  %s\n", ver, tr.T("compat.cell."+string(v.TLS[ver].State), nil))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, tr.T(verdictKey(v), nil))
	writeList(w, tr.T("compat.section.why", nil), reasonTexts(kb, v, tr), "  - ")
	var todo []string
	for _, a := range v.Actions {
		todo = append(todo, tr.T(a.Key, kb.LocalArgs(a.Args, tr.Lang())))
	}
	writeList(w, tr.T("compat.section.todo", nil), todo, "")
	writeList(w, tr.T("compat.section.sources", nil), v.Sources, "  - ")
}

func nameWithVersion(name, version string) string {
	if version == "" || strings.Contains(name, version) {
		return name
	}
	return name + " (" + version + ")"
}

// writeList writes a titled list; an empty marker numbers the items.
func writeList(w io.Writer, title string, items []string, marker string) {
	if len(items) == 0 {
		return
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, title)
	for i, it := range items {
		m := marker
		if m == "" {
			m = fmt.Sprintf("  %d. ", i+1)
		}
		fmt.Fprintln(w, m+it)
	}
}
