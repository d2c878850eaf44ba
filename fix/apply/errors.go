package apply

import (
	"errors"
	"fmt"
)

// RunningError means the program is open: it would write its settings
// back when it closes and undo the change.
type RunningError struct {
	// Client is the detect/clients id ("thunderbird").
	Client string
}

func (e *RunningError) Error() string {
	return fmt.Sprintf("%s is running: close it completely and try again (it rewrites its settings when it closes)", e.Client)
}

// WriteError means the change could not be saved; the original file is
// as it was.
type WriteError struct {
	File string
	Err  error
}

func (e *WriteError) Error() string {
	return fmt.Sprintf("the change could not be saved, %s is unchanged: %v", e.File, e.Err)
}

func (e *WriteError) Unwrap() error { return e.Err }

// Errors for the cases where nothing is changed on purpose.
var (
	// ErrNotAutomatic: this program or account cannot be changed
	// automatically; the steps say what to do by hand.
	ErrNotAutomatic = errors.New("this program's settings cannot be changed automatically")
	// ErrUnknownRunning: the process list could not be read, so it is not
	// known whether the program is closed.
	ErrUnknownRunning = errors.New("cannot tell whether the mail program is running")
	// ErrDamaged: the settings file has parts Mail Doctor cannot read;
	// it is not rewritten.
	ErrDamaged = errors.New("the settings file has parts that cannot be read, so it is not changed automatically")
	// ErrOverridden: another file (Thunderbird's user.js) sets the same
	// values and would win at the next start.
	ErrOverridden = errors.New("user.js sets these values and would override the change")
	// ErrNoBackup: there is no change by Mail Doctor to undo.
	ErrNoBackup = errors.New("no earlier change by Mail Doctor to undo")
)
