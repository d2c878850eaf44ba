//go:build !windows

package register

import "errors"

func currentUser() (Registry, error) {
	return nil, errors.New("the Windows registry exists only on Windows")
}
