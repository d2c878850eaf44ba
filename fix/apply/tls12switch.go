package apply

import (
	"errors"
	"fmt"
)

// Elevation is how a change of HKEY_LOCAL_MACHINE gets administrator
// rights: this process has them, or Mail Doctor starts again through
// Windows' question (UAC) for the one step. Tests give fakes.
type Elevation struct {
	// IsElevated: nil means IsElevated.
	IsElevated func() bool
	// Run starts Mail Doctor as administrator with these arguments and
	// returns its exit code; nil means RunElevated.
	Run func(args []string) (int, error)
}

func (e Elevation) elevated() bool {
	if e.IsElevated == nil {
		return IsElevated()
	}
	return e.IsElevated()
}

func (e Elevation) run(args []string) (int, error) {
	if e.Run == nil {
		return RunElevated(args)
	}
	return e.Run(args)
}

// ElevatedError: the copy of Mail Doctor started as administrator ended
// with this exit code.
type ElevatedError struct{ Code int }

func (e *ElevatedError) Error() string {
	return fmt.Sprintf("Mail Doctor as administrator ended with exit code %d", e.Code)
}

// TLS12Outcome is what SwitchTLS12 did.
type TLS12Outcome struct {
	// Result is the switch made in this process (or the dry run, or
	// nothing to change when Changes is empty); nil after an undo.
	Result *Result
	// Undo is the undo made in this process.
	Undo *UndoResult
	// Elevated: a copy started as administrator made the change; this
	// process read the keys again after it.
	Elevated bool
}

// SwitchTLS12 switches TLS 1.2 on (or, with undo, puts the keys back) the
// way both the app and the command line do it: in this process when it
// has the rights (or for a dry run), else by starting "maildoctor fix
// --enable-tls12 [--undo] --backups DIR [--lang L]" as administrator, waiting for it
// and reading the keys again (they can be read without the rights). It
// does not check that the switch applies to this Windows (TLS12Applies).
func SwitchTLS12(opt Options, el Elevation, undo bool, lang string) (*TLS12Outcome, error) {
	if opt.DryRun || el.elevated() {
		if undo {
			res, err := UndoTLS12(opt)
			if err != nil {
				return nil, err
			}
			return &TLS12Outcome{Undo: res}, nil
		}
		res, err := EnableTLS12(opt)
		if err != nil {
			return nil, err
		}
		return &TLS12Outcome{Result: res}, nil
	}
	check := opt
	check.DryRun = true
	if !undo {
		res, err := EnableTLS12(check)
		if err != nil {
			return nil, err
		}
		if len(res.Changes) == 0 {
			return &TLS12Outcome{Result: res}, nil
		}
	}
	// The backups folder goes along: the copy started as administrator
	// may run as another user (the one who typed an administrator's
	// password), whose own folder this user could not see, and the lock
	// must be the same.
	dir, err := opt.backupDir()
	if err != nil {
		return nil, fmt.Errorf("no folder for the backups: %w", err)
	}
	args := []string{"fix", "--enable-tls12"}
	if undo {
		args = append(args, "--undo")
	}
	args = append(args, "--backups", dir)
	if lang != "" {
		args = append(args, "--lang", lang)
	}
	code, err := el.run(args)
	switch {
	case err != nil:
		return nil, err
	case code == 2 && undo:
		// The elevated copy found no backup to put back (exit 2, bad input).
		return nil, ErrNoBackup
	case code != 0:
		return nil, &ElevatedError{Code: code}
	case undo:
		return &TLS12Outcome{Elevated: true}, nil
	}
	res, err := EnableTLS12(check)
	if err != nil {
		return nil, err
	}
	if len(res.Changes) != 0 {
		c := res.Changes[0]
		return nil, &WriteError{File: res.File, Err: errors.New(c.Key + " still reads " + valueOr(c.From, "-"))}
	}
	return &TLS12Outcome{Result: res, Elevated: true}, nil
}

func valueOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
