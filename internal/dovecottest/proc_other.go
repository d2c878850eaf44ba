//go:build !linux

package dovecottest

import (
	"errors"
	"syscall"
	"time"
)

const dovecotBinary = "/usr/sbin/dovecot"

func available() error {
	return errors.New("dovecottest supports Linux only")
}

func sysProcAttr() *syscall.SysProcAttr { return nil }

func killGroup(int) {}

func waitGroupGone(int, time.Duration) {}
