package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/clients/scan"
	"maildoctor.app/maildoctor/detect/compat"
	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/system"
	"maildoctor.app/maildoctor/fix/advise"
	"maildoctor.app/maildoctor/fix/apply"
	"maildoctor.app/maildoctor/fix/export"
	"maildoctor.app/maildoctor/fix/plan"
	"maildoctor.app/maildoctor/fix/webmail"
	"maildoctor.app/maildoctor/i18n"
)

// fixFlags are the flags of "maildoctor fix".
type fixFlags struct {
	json, apply, undo, dryRun bool
	enableTLS12               bool
	// list and entry go with --undo: the backups' list, one by number.
	list  bool
	entry int
	// backups is the backups folder ("": the user's, or the test's).
	backups           string
	export, out, lang string
	profile           string
}

// exportKinds are the values of --export ("card" is the plain settings
// card, beyond DESIGN.md's three).
var exportKinds = export.Kinds

func parseFix(args []string) (email string, f fixFlags, err error) {
	fs := flag.NewFlagSet("fix", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.BoolVar(&f.json, "json", false, "")
	fs.BoolVar(&f.apply, "apply", false, "")
	fs.BoolVar(&f.undo, "undo", false, "")
	fs.BoolVar(&f.dryRun, "dry-run", false, "")
	fs.BoolVar(&f.enableTLS12, "enable-tls12", false, "")
	fs.BoolVar(&f.list, "list", false, "")
	fs.IntVar(&f.entry, "entry", 0, "")
	fs.StringVar(&f.backups, "backups", "", "")
	fs.StringVar(&f.export, "export", "", "")
	fs.StringVar(&f.out, "o", "", "")
	fs.StringVar(&f.lang, "lang", "", "")
	fs.StringVar(&f.profile, "profile", "", "")
	positional, err := parseInterspersed(fs, args)
	if err != nil {
		return "", f, err
	}
	if len(positional) > 1 {
		return "", f, usagef("one e-mail address at a time (got %q)", strings.Join(positional, " "))
	}
	if len(positional) == 1 {
		email = positional[0]
		if _, _, err := discover.SplitAddress(email); err != nil {
			return "", f, usagef("%v", err)
		}
	}
	return email, f, checkFixFlags(email, f)
}

func checkFixFlags(email string, f fixFlags) error {
	modes := 0
	// "--enable-tls12 --undo" is one mode: the undo of the switch.
	for _, on := range []bool{f.apply, f.undo && !f.enableTLS12, f.export != "", f.enableTLS12} {
		if on {
			modes++
		}
	}
	switch {
	case modes > 1:
		return usagef("use only one of --apply, --undo, --export and --enable-tls12")
	case f.enableTLS12 && email != "":
		return usagef("--enable-tls12 is for the whole computer: give no e-mail address")
	case (f.list || f.entry != 0) && (!f.undo || f.enableTLS12):
		return usagef("--list and --entry go with --undo")
	case f.list && f.entry != 0:
		return usagef("use only one of --list and --entry")
	case f.entry < 0:
		return usagef("--entry needs the number that \"fix --undo --list\" shows")
	case (f.list || f.entry != 0) && email != "":
		return usagef("--list and --entry need no e-mail address")
	case f.list || f.entry != 0:
	case modes == 1 && email == "" && !f.enableTLS12:
		return usagef("--apply, --undo and --export need the e-mail address")
	case f.dryRun && !f.apply && !(f.enableTLS12 && !f.undo):
		return usagef("--dry-run goes with --apply or --enable-tls12")
	case f.out != "" && f.export == "":
		return usagef("-o goes with --export")
	case f.export != "" && !oneOf(f.export, exportKinds):
		return usagef("--export must be one of %s", strings.Join(exportKinds, ", "))
	}
	return nil
}

func oneOf(s string, list []string) bool {
	for _, x := range list {
		if s == x {
			return true
		}
	}
	return false
}

// fixDeps are the parts of the machine "fix" reads and changes; the
// tests give a fixture home, a fake process list and no network.
type fixDeps struct {
	platform func() *system.Platform
	resolver discover.Resolver // nil: the system's
	// discoverHTTP fetches autoconfig files; nil: discovery's own client.
	discoverHTTP *http.Client
	http         webmail.Doer     // nil: a verifying client
	now          func() time.Time // nil: time.Now
	// backupDir holds registry backups; "": apply.DefaultBackupDir.
	backupDir string
	// elevated says whether this process has administrator rights; nil:
	// apply.IsElevated.
	elevated func() bool
	// runElevated starts Mail Doctor again as administrator with these
	// arguments and returns its exit code; nil: apply.RunElevated.
	runElevated func(args []string) (int, error)
}

func hostFixDeps() fixDeps {
	return fixDeps{platform: system.Host}
}

// runFix is "maildoctor fix".
func runFix(ctx context.Context, args []string, env Env) error {
	return runFixWith(ctx, args, env, hostFixDeps())
}

func runFixWith(ctx context.Context, args []string, env Env, deps fixDeps) error {
	email, f, err := parseFix(args)
	if err != nil {
		return err
	}
	tr, err := translator(f.lang, env)
	if err != nil {
		return err
	}
	if f.backups != "" {
		deps.backupDir = f.backups
	}
	fx := &fixer{ctx: ctx, env: env, deps: deps, tr: tr, flags: f}
	if f.enableTLS12 {
		return fx.tls12()
	}
	switch {
	case f.list:
		return fx.listBackups()
	case f.entry != 0:
		return fx.undoEntry(f.entry)
	}
	if f.undo {
		// An undo needs nothing but its backup: a --profile given out of
		// habit is not even loaded (it may be a URL).
		return fx.undo(email)
	}
	if fx.profiles, err = loadProfiles(ctx, f.profile); err != nil {
		return err
	}
	switch {
	case f.export != "":
		return fx.export(email)
	case f.apply:
		return fx.apply(email)
	}
	return fx.plans(email)
}

// fixer carries one "fix" command through its steps.
type fixer struct {
	ctx      context.Context
	env      Env
	deps     fixDeps
	tr       i18n.Translator
	flags    fixFlags
	profiles []*discover.Profile
	platform *system.Platform
	// kb is the compatibility data, read once for all the plans (compat).
	kb     *compat.KB
	kbRead bool
}

// compat is the built-in compatibility data, read on first use; nil when
// it cannot be read (plans are then made without compat's verdict, as
// before).
func (fx *fixer) compat() *compat.KB {
	if !fx.kbRead {
		fx.kb, _ = compat.Builtin()
		fx.kbRead = true
	}
	return fx.kb
}

// found is one account of one program on this computer.
type found struct {
	client  *clients.Client
	account *clients.Account
}

// detect describes the computer (detect/clients/scan) and lists its
// accounts for email (all of them when email is ""), each assessed
// against the provider profiles.
func (fx *fixer) detect(email string) (*system.Info, []found) {
	fx.platform = fx.deps.platform()
	rep := scan.Computer(fx.ctx, fx.platform, scan.Options{Profiles: fx.profiles})
	var out []found
	for i := range rep.Clients {
		c := &rep.Clients[i]
		for j := range c.Accounts {
			a := &c.Accounts[j]
			if a.Kind != "" || a.Email == "" || (email != "" && !strings.EqualFold(a.Email, email)) {
				continue
			}
			out = append(out, found{c, a})
		}
	}
	return rep.OS, out
}

// plan asks fix/advise for the plan of email, for the program and account
// fd when given, and localizes it.
func (fx *fixer) plan(email string, info *system.Info, fd *found) (*plan.Plan, error) {
	req := advise.Request{Email: email, System: info, Profiles: fx.profiles, Program: fx.env.program(), Builtin: builtinOf(fx.profiles)}
	if fd != nil {
		req.Client, req.Account = fd.client, fd.account
		// The same answer as `compat` and the app's "This computer": a plan
		// for Outlook 2010 on Windows 7 also asks for the Office updates.
		if v, ok := fx.compat().ForProgram(info, fd.client.ID, fd.client.Version); ok {
			req.Compat, req.CompatActions = v.Verdict, v.Actions
		}
	}
	p, err := advise.Plan(fx.ctx, req, advise.Options{Resolver: fx.deps.resolver, DiscoverHTTP: fx.deps.discoverHTTP, Web: fx.deps.http})
	var none *advise.NoServersError
	if errors.As(err, &none) {
		return nil, &noServersError{email}
	}
	if err != nil {
		return nil, usagef("%v", err)
	}
	plan.Localize(p, fx.tr)
	return p, nil
}

// noServersError: nothing is known about an address's servers, so no
// setting can be recommended.
type noServersError struct{ email string }

func (e *noServersError) Error() string {
	return fmt.Sprintf("no mail servers found for %s: give the provider profile with --profile", e.email)
}

// plans prints the plan for every detected account of email (or all),
// and the generic plan for an address no program here holds. Listing
// all accounts, one whose servers cannot be found is skipped with a
// note instead of hiding the others, and so is one whose address is not
// valid.
func (fx *fixer) plans(email string) error {
	info, list := fx.detect(email)
	var plans []*plan.Plan
	for i := range list {
		if email == "" {
			// An address no plan can be made for (a control character in
			// a program's settings) must not hide the other accounts.
			if _, _, err := discover.SplitAddress(list[i].account.Email); err != nil {
				fmt.Fprintln(fx.env.Stderr, fx.env.program()+" fix: "+one(list[i].client.Name+": "+err.Error()+" (account skipped)"))
				continue
			}
		}
		p, err := fx.plan(list[i].account.Email, info, &list[i])
		var none *noServersError
		if email == "" && errors.As(err, &none) {
			fmt.Fprintln(fx.env.Stderr, fx.env.program()+" fix: "+none.Error())
			continue
		}
		if err != nil {
			return toUsage(err)
		}
		plans = append(plans, p)
	}
	if len(list) == 0 {
		if email == "" {
			return usagef("%s", fx.tr.T("fix.cli.none_detected", map[string]string{"program": fx.env.program()}))
		}
		p, err := fx.plan(email, info, nil)
		if err != nil {
			return toUsage(err)
		}
		plans = append(plans, p)
	}
	if len(plans) == 0 {
		return usagef("%s", fx.tr.T("fix.cli.none_detected", map[string]string{"program": fx.env.program()}))
	}
	if fx.flags.json {
		if err := writeJSON(fx.env.Stdout, struct {
			Plans []*plan.Plan `json:"plans"`
		}{plans}); err != nil {
			return err
		}
	} else {
		for i, p := range plans {
			if i > 0 {
				fmt.Fprintln(fx.env.Stdout)
			}
			renderPlan(fx.env.Stdout, p, fx.tr, fx.env.program())
		}
	}
	for _, p := range plans {
		if p.Status == plan.StatusChange || p.Status == plan.StatusBlocked || p.Status == plan.StatusUnsupported {
			return errProblems
		}
	}
	return nil
}

// toUsage makes a missing-servers error the exit-2 bad input it is.
func toUsage(err error) error {
	var none *noServersError
	if errors.As(err, &none) {
		return usagef("%v", err)
	}
	return err
}

func writeJSON(w io.Writer, v interface{}) error {
	enc := json.NewEncoder(jsonOut(w))
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// renderPlan writes a plan as the customer reads it: the verdict, then
// each section with its steps (the change numbered), then the settings
// card to keep.
func renderPlan(w io.Writer, p *plan.Plan, tr i18n.Translator, program string) {
	fmt.Fprintln(w, tr.T("fix.cli.heading", map[string]string{"email": p.Email}))
	if p.Current != nil {
		fmt.Fprintln(w, tr.T("fix.cli.program", map[string]string{"client": one(p.ClientName), "version": one(p.Version)}))
	}
	fmt.Fprintln(w, tr.T("fix.cli.status."+string(p.Status), nil))
	for _, s := range p.Sections {
		fmt.Fprintln(w)
		fmt.Fprintln(w, one(s.Title))
		for i, st := range s.Steps {
			bullet := "  - "
			if s.ID == plan.SecChange {
				bullet = fmt.Sprintf("  %d. ", i+1)
			}
			fmt.Fprintln(w, bullet+one(st.Text))
		}
	}
	fmt.Fprintln(w)
	fmt.Fprint(w, export.Card(p.Settings, tr))
	fmt.Fprintln(w)
	fmt.Fprintln(w, tr.T("fix.cli.exports", map[string]string{"email": p.Email, "program": program}))
}

// automatic lists the detected accounts of email that fix/apply can
// change, with their plans.
func (fx *fixer) automatic(email string) ([]*plan.Plan, error) {
	info, list := fx.detect(email)
	var out []*plan.Plan
	for i := range list {
		if !apply.Handles(plan.CardFor(list[i].client.ID, list[i].client.Version)) {
			continue
		}
		p, err := fx.plan(email, info, &list[i])
		if err != nil {
			return nil, toUsage(err)
		}
		out = append(out, p)
	}
	if len(out) == 0 {
		return nil, usagef("%s", fx.tr.T("fix.apply.not_found", map[string]string{"email": email, "program": fx.env.program()}))
	}
	return out, nil
}

func (fx *fixer) applyOptions() apply.Options {
	opt := apply.Options{Processes: fx.platform.Processes, Now: fx.deps.now, DryRun: fx.flags.dryRun, BackupDir: fx.deps.backupDir}
	// The registry detection read (a fake in tests), when it can be written.
	if r, ok := fx.platform.Registry.(apply.Registry); ok {
		opt.Registry = r
	}
	return opt
}

// apply is "fix --apply EMAIL [--dry-run]".
func (fx *fixer) apply(email string) error {
	plans, err := fx.automatic(email)
	if err != nil {
		return err
	}
	var results []*apply.Result
	for _, p := range plans {
		if p.Status == plan.StatusOK {
			fmt.Fprintln(fx.env.Stdout, fx.tr.T("fix.apply.nothing", map[string]string{"client": p.ClientName, "email": email}))
			continue
		}
		res, err := apply.Plan(p, fx.applyOptions())
		if err != nil {
			return fx.applyError(p, err)
		}
		results = append(results, res)
		if !fx.flags.json {
			fx.renderApply(p, res)
		}
	}
	if fx.flags.json {
		return writeJSON(fx.env.Stdout, struct {
			Results []*apply.Result `json:"results"`
		}{results})
	}
	return nil
}

func (fx *fixer) renderApply(p *plan.Plan, res *apply.Result) {
	w := fx.env.Stdout
	args := map[string]string{"client": p.ClientName, "email": p.Email, "file": nativePath(res.File),
		"backup": nativePath(res.Backup), "count": strconv.Itoa(len(res.Changes)), "program": fx.env.program()}
	switch {
	case len(res.Changes) == 0:
		fmt.Fprintln(w, fx.tr.T("fix.apply.nothing", args))
		return
	case res.DryRun:
		fmt.Fprintln(w, fx.tr.T("fix.apply.dry_run", args))
	case apply.IsRegistryKey(res.File):
		fmt.Fprintln(w, fx.tr.T("fix.apply.done_key", args))
	default:
		fmt.Fprintln(w, fx.tr.T("fix.apply.done", args))
	}
	printChanges(w, res.Changes)
}

// applyError turns the refusals a customer can act on into one clear,
// translated line (the same words as the app's, apply.Message) and exit
// code 1; "nothing to undo" is exit 2; the rest stays an internal error.
func (fx *fixer) applyError(p *plan.Plan, err error) error {
	key, args, ok := apply.Message(err, p.ClientName)
	if !ok {
		return err
	}
	if args["file"] != "" {
		args["file"] = nativePath(args["file"])
	}
	args["email"], args["program"] = p.Email, fx.env.program()
	if errors.Is(err, apply.ErrNoBackup) {
		return usagef("%s", fx.tr.T("fix.undo.nothing", args))
	}
	if errors.Is(err, apply.ErrNoEntry) {
		return usagef("%s", fx.tr.T(key, args))
	}
	fmt.Fprintln(fx.env.Stderr, one(fx.tr.T(key, args)))
	return errProblems
}

// undo is "fix --undo EMAIL": it puts back the latest backup of every
// settings file that holds an account of email in the mail programs
// detected here. It needs nothing but the backup: no plan, no provider
// profile, no discovery, no network. With no backup to put back it is
// exit 2 and one line.
func (fx *fixer) undo(email string) error {
	_, list := fx.detect(email)
	var results []*apply.UndoResult
	done := map[string]bool{}
	for i := range list {
		c, a := list[i].client, list[i].account
		card := plan.CardFor(c.ID, c.Version)
		if !apply.Handles(card) {
			continue
		}
		// Accounts of one file (two identities of the address in one
		// Thunderbird profile) share its backups: one undo each file.
		file, err := apply.SettingsFile(card, *a)
		if err != nil || done[file] {
			continue
		}
		done[file] = true
		res, err := apply.Undo(card, *a, fx.applyOptions())
		if errors.Is(err, apply.ErrNoBackup) {
			continue
		}
		if err != nil {
			return fx.applyError(&plan.Plan{Card: card, ClientName: fx.tr.T(card.NameKey(), nil), Email: email}, err)
		}
		results = append(results, res)
		if !fx.flags.json {
			key := "fix.undo.done"
			if apply.IsRegistryKey(res.File) {
				key = "fix.undo.done_key"
			}
			fmt.Fprintln(fx.env.Stdout, fx.tr.T(key, map[string]string{
				"file": nativePath(res.File), "backup": nativePath(res.Restored), "saved": nativePath(res.Saved)}))
		}
	}
	if len(results) == 0 {
		return usagef("%s", fx.tr.T("fix.undo.nothing", map[string]string{"email": email}))
	}
	if fx.flags.json {
		return writeJSON(fx.env.Stdout, struct {
			Results []*apply.UndoResult `json:"results"`
		}{results})
	}
	return nil
}

// export is "fix --export KIND EMAIL [-o FILE]": the file on stdout, or
// saved with -o; what to know about it goes to stderr (to stdout with -o),
// so stdout can be redirected into the file.
func (fx *fixer) export(email string) error {
	data, note, err := fx.exportData(email)
	if err != nil {
		return err
	}
	if fx.flags.out == "" {
		// A file goes out as it is; the settings card is text to read.
		out := fileOut(fx.env.Stdout)
		if fx.flags.export == "card" {
			out = fx.env.Stdout
		}
		if _, err := out.Write(data); err != nil {
			return err
		}
		if note != "" {
			fmt.Fprintln(fx.env.Stderr, fx.tr.T(note, nil))
		}
		return nil
	}
	if err := os.WriteFile(fx.flags.out, data, 0o644); err != nil {
		return usagef("-o: %v", err)
	}
	fmt.Fprintln(fx.env.Stdout, fx.tr.T("fix.export.written", map[string]string{"file": fx.flags.out}))
	if note != "" {
		fmt.Fprintln(fx.env.Stdout, fx.tr.T(note, nil))
	}
	return nil
}

// exportData makes the file through export.For, as the app does; the
// registry file needs no plan, and no server to set up is bad input.
func (fx *fixer) exportData(email string) (data []byte, note string, err error) {
	var p *plan.Plan
	if fx.flags.export != plan.ExportReg {
		// The file gets the server names of the address's account on this
		// computer, as its steps and automatic change do (plan.Build
		// decides them once); without one, the provider's.
		info, list := fx.detect(email)
		var fd *found
		if len(list) > 0 {
			fd = &list[0]
		}
		p, err = fx.plan(email, info, fd)
		var none *noServersError
		if errors.As(err, &none) {
			return nil, "", usagef("%v", err)
		}
		if err != nil {
			return nil, "", err
		}
	}
	f, err := export.For(fx.flags.export, p, fx.tr)
	if errors.Is(err, plan.ErrNoServers) {
		return nil, "", usagef("%v", err)
	}
	return f.Data, f.NoteKey, err
}

// printChanges lists what a change wrote, one setting a line ("-" for a
// value that did not exist).
func printChanges(w io.Writer, changes []apply.Change) {
	for _, c := range changes {
		from := c.From
		if from == "" {
			from = "-"
		}
		fmt.Fprintf(w, "  %s: %s -> %s\n", one(c.Key), one(from), one(c.To))
	}
}
