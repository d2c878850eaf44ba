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
	out, err := apply.SwitchTLS12(fx.applyOptions(), apply.Elevation{IsElevated: fx.deps.elevated, Run: fx.askingFirst()}, fx.flags.undo, fx.flags.lang)
	if err != nil {
		return fx.tls12Error(err)
	}
	if fx.flags.json {
		return fx.tls12JSON(out)
	}
	return fx.renderTLS12(out)
}

// askingFirst is the elevated relaunch, told to the user first: Windows'
// question comes from another process and must not surprise.
func (fx *fixer) askingFirst() func(args []string) (int, error) {
	run := fx.deps.runElevated
	if run == nil {
		run = apply.RunElevated
	}
	return func(args []string) (int, error) {
		if !fx.flags.json {
			fmt.Fprintln(fx.env.Stdout, fx.tr.T("fix.tls12.asking", nil))
		}
		return run(args)
	}
}

func (fx *fixer) tls12JSON(out *apply.TLS12Outcome) error {
	switch {
	case out.Undo != nil:
		return writeJSON(fx.env.Stdout, out.Undo)
	case out.Result != nil:
		return writeJSON(fx.env.Stdout, out.Result)
	}
	return writeJSON(fx.env.Stdout, struct {
		Elevated bool `json:"elevated"`
	}{out.Elevated})
}

// renderTLS12 says what the switch or its undo did, in this process or
// in the elevated one.
func (fx *fixer) renderTLS12(out *apply.TLS12Outcome) error {
	w := fx.env.Stdout
	program := map[string]string{"program": fx.env.program()}
	switch {
	case out.Undo != nil:
		fmt.Fprintln(w, fx.tr.T("fix.tls12.undone", map[string]string{"backup": nativePath(out.Undo.Restored), "saved": nativePath(out.Undo.Saved)}))
		return nil
	case fx.flags.undo:
		fmt.Fprintln(w, fx.tr.T("fix.tls12.undone_elevated", nil))
		return nil
	case out.Elevated:
		fmt.Fprintln(w, fx.tr.T("fix.tls12.done_elevated", program))
		return nil
	}
	res := out.Result
	args := map[string]string{"backup": nativePath(res.Backup), "count": strconv.Itoa(len(res.Changes)), "program": fx.env.program()}
	switch {
	case len(res.Changes) == 0:
		fmt.Fprintln(w, fx.tr.T("fix.tls12.already", nil))
		return nil
	case res.DryRun:
		fmt.Fprintln(w, fx.tr.T("fix.tls12.dry_run", args))
	default:
		fmt.Fprintln(w, fx.tr.T("fix.tls12.done", args))
	}
	printChanges(w, res.Changes)
	return nil
}

// tls12Error: a refusal (no rights given, a locked key, another Mail
// Doctor busy) is one translated line and exit 1, "nothing to undo" exit
// 2; everything else is an internal error.
func (fx *fixer) tls12Error(err error) error {
	if errors.Is(err, apply.ErrNoBackup) {
		return usagef("%s", fx.tr.T("fix.tls12.undo_nothing", nil))
	}
	key, args, ok := apply.Message(err, "Windows")
	if !ok {
		return err
	}
	fmt.Fprintln(fx.env.Stderr, one(fx.tr.T(key, args)))
	return errProblems
}
