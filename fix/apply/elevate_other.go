//go:build !windows

package apply

import "errors"

// IsElevated is false where there are no administrator rights to ask for.
func IsElevated() bool { return false }

// ErrElevationCancelled: the user answered No to Windows' question (UAC).
var ErrElevationCancelled = errors.New("the administrator rights were not given")

// RunElevated exists only on Windows.
func RunElevated(args []string) (int, error) {
	return 0, errors.New("starting a program as administrator is only possible on Windows")
}
