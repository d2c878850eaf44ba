package apply

import (
	"errors"
	"strconv"
	"strings"
)

// Message names the translation that tells a customer why a change or an
// undo did nothing: a key of the translation files ("apply.error.…") and
// its arguments. The app and the command line both say it this way. ok is
// false for an error that is not one of these (an internal error, shown
// as it is). client is the program's name as the customer knows it; ""
// uses the id the error carries.
func Message(err error, client string) (key string, args map[string]string, ok bool) {
	var (
		running *RunningError
		write   *WriteError
		busy    *BusyError
		na      *TLS12NotApplicable
		elev    *ElevatedError
	)
	args = map[string]string{"client": client}
	switch {
	case errors.As(err, &running):
		if client == "" {
			args["client"] = running.Client
		}
		return "apply.error.running", args, true
	case errors.Is(err, ErrUnknownRunning):
		return "apply.error.unknown_running", args, true
	case errors.As(err, &busy):
		args["pid"] = strconv.Itoa(busy.PID)
		return "apply.error.busy", args, true
	case errors.Is(err, ErrElevationCancelled):
		return "apply.error.no_admin", args, true
	case errors.As(err, &elev):
		args["code"] = strconv.Itoa(elev.Code)
		return "apply.error.elevated", args, true
	case errors.As(err, &na):
		return "fix.tls12.not_applicable." + na.Code, args, true
	case errors.As(err, &write):
		args["file"], args["reason"] = write.File, write.Err.Error()
		if strings.HasPrefix(write.File, `HKEY_LOCAL_MACHINE\`) {
			// Only the TLS 1.2 switch writes there.
			return "fix.tls12.failed", args, true
		}
		if IsRegistryKey(write.File) {
			return "apply.error.write_key", args, true
		}
		return "apply.error.write", args, true
	case errors.Is(err, ErrNotAutomatic):
		return "apply.error.not_automatic", args, true
	case errors.Is(err, ErrDamaged):
		return "apply.error.damaged", args, true
	case errors.Is(err, ErrOverridden):
		return "apply.error.overridden", args, true
	case errors.Is(err, ErrNoBackup):
		return "apply.error.no_backup", args, true
	case errors.Is(err, ErrNoEntry):
		return "apply.error.no_entry", args, true
	case errors.Is(err, ErrUndone):
		return "apply.error.undone", args, true
	}
	return "", nil, false
}
