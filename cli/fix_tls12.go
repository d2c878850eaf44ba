package cli

import (
	"errors"
	"fmt"
	"strconv"

	"maildoctor.app/maildoctor/fix/apply"
)

// tls12 is "fix --enable-tls12 [--undo] [--dry-run]": the client side of
// TLS 1.1/1.2 in SChannel and WinHTTP on Windows 7 SP1 and 8.0. Writing
// HKEY_LOCAL_MACHINE needs an administrator: without the rights, Mail
// Doctor starts itself again through Windows' question (UAC) for this
// one step and waits for it. The undo needs only its backup, so it is
// not refused where the switch does not apply.
func (fx *fixer) tls12() error {
	fx.platform = fx.deps.platform()
	if fx.platform.GOOS != "windows" {
		return usagef("%s", fx.tr.T("fix.tls12.only_windows", nil))
	}
	if !fx.flags.undo {
		if fx.platform.WindowsVersion == nil {
			return errors.New("the Windows version cannot be read")
		}
		v, err := fx.platform.WindowsVersion()
		if err != nil {
			return fmt.Errorf("reading the Windows version: %w", err)
		}
		var na *apply.TLS12NotApplicable
		if err := apply.TLS12Applies(v); errors.As(err, &na) {
			fmt.Fprintln(fx.env.Stderr, fx.tr.T("fix.tls12.not_applicable."+na.Code, nil))
			return errProblems
		} else if err != nil {
			return err
		}
	}
	elevated := fx.deps.elevated
	if elevated == nil {
		elevated = apply.IsElevated
	}
	if fx.flags.dryRun || elevated() {
		return fx.tls12Here()
	}
	return fx.tls12Elevated()
}

// tls12Here writes (or puts back) the keys in this process, which has
// the rights (or only computes the changes, with --dry-run).
func (fx *fixer) tls12Here() error {
	opt := fx.applyOptions()
	if fx.flags.undo {
		res, err := apply.UndoTLS12(opt)
		if errors.Is(err, apply.ErrNoBackup) {
			return usagef("%s", fx.tr.T("fix.tls12.undo_nothing", nil))
		}
		if err != nil {
			return fx.tls12Error(err)
		}
		if fx.flags.json {
			return writeJSON(fx.env.Stdout, res)
		}
		fmt.Fprintln(fx.env.Stdout, fx.tr.T("fix.tls12.undone", map[string]string{"backup": res.Restored, "saved": res.Saved}))
		return nil
	}
	res, err := apply.EnableTLS12(opt)
	if err != nil {
		return fx.tls12Error(err)
	}
	if fx.flags.json {
		return writeJSON(fx.env.Stdout, res)
	}
	args := map[string]string{"backup": nativePath(res.Backup), "count": strconv.Itoa(len(res.Changes)), "program": fx.env.program()}
	switch {
	case len(res.Changes) == 0:
		fmt.Fprintln(fx.env.Stdout, fx.tr.T("fix.tls12.already", nil))
		return nil
	case res.DryRun:
		fmt.Fprintln(fx.env.Stdout, fx.tr.T("fix.tls12.dry_run", args))
	default:
		fmt.Fprintln(fx.env.Stdout, fx.tr.T("fix.tls12.done", args))
	}
	for _, c := range res.Changes {
		from := c.From
		if from == "" {
			from = "-"
		}
		fmt.Fprintf(fx.env.Stdout, "  %s: %s -> %s\n", one(c.Key), one(from), one(c.To))
	}
	return nil
}

// tls12Error: a refused write (no rights after all, a locked key) is one
// translated line and exit 1; everything else is an internal error.
func (fx *fixer) tls12Error(err error) error {
	var write *apply.WriteError
	if errors.As(err, &write) {
		fmt.Fprintln(fx.env.Stderr, fx.tr.T("fix.tls12.failed", map[string]string{"reason": write.Err.Error()}))
		return errProblems
	}
	return err
}

// tls12Elevated starts Mail Doctor again as administrator for the switch
// and reports what it did: the elevated process has no terminal of its
// own here, so this one checks the keys after it (they can be read
// without the rights).
func (fx *fixer) tls12Elevated() error {
	if !fx.flags.undo {
		res, err := apply.EnableTLS12(fx.dryRunOptions())
		if err != nil {
			return err
		}
		if len(res.Changes) == 0 {
			fmt.Fprintln(fx.env.Stdout, fx.tr.T("fix.tls12.already", nil))
			return nil
		}
	}
	args := []string{"fix", "--enable-tls12"}
	if fx.flags.undo {
		args = append(args, "--undo")
	}
	if fx.flags.lang != "" {
		args = append(args, "--lang", fx.flags.lang)
	}
	run := fx.deps.runElevated
	if run == nil {
		run = apply.RunElevated
	}
	fmt.Fprintln(fx.env.Stdout, fx.tr.T("fix.tls12.asking", nil))
	code, err := run(args)
	switch {
	case errors.Is(err, apply.ErrElevationCancelled):
		fmt.Fprintln(fx.env.Stderr, fx.tr.T("fix.tls12.no_admin", nil))
		return errProblems
	case err != nil:
		fmt.Fprintln(fx.env.Stderr, fx.tr.T("fix.tls12.failed", map[string]string{"reason": err.Error()}))
		return errProblems
	case code == ExitUsage && fx.flags.undo:
		return usagef("%s", fx.tr.T("fix.tls12.undo_nothing", nil))
	case code != ExitOK:
		fmt.Fprintln(fx.env.Stderr, fx.tr.T("fix.tls12.failed", map[string]string{"reason": "exit " + strconv.Itoa(code)}))
		return errProblems
	case fx.flags.undo:
		fmt.Fprintln(fx.env.Stdout, fx.tr.T("fix.tls12.undone_elevated", nil))
		return nil
	}
	res, err := apply.EnableTLS12(fx.dryRunOptions())
	if err != nil {
		return err
	}
	if len(res.Changes) != 0 {
		fmt.Fprintln(fx.env.Stderr, fx.tr.T("fix.tls12.failed", map[string]string{"reason": res.Changes[0].Key + " is still " + res.Changes[0].From}))
		return errProblems
	}
	fmt.Fprintln(fx.env.Stdout, fx.tr.T("fix.tls12.done_elevated", map[string]string{"program": fx.env.program()}))
	return nil
}

func (fx *fixer) dryRunOptions() apply.Options {
	opt := fx.applyOptions()
	opt.DryRun = true
	return opt
}
