package probe

import (
	"context"
	"errors"
	"net"
	"os"
	"syscall"
	"time"
)

type netKind int

const (
	kindOther netKind = iota
	kindRefused
	kindTimeout
	kindCancelled
)

// classifyNet sorts a connection error the way the findings need it:
// refused (nothing listens), timeout (silence: a firewall or an antivirus),
// cancelled (the user stopped the check).
func classifyNet(err error) netKind {
	switch {
	case err == nil:
		return kindOther
	case errors.Is(err, context.Canceled):
		return kindCancelled
	case errors.Is(err, syscall.ECONNREFUSED):
		return kindRefused
	case isTimeout(err):
		return kindTimeout
	}
	return kindOther
}

func isTimeout(err error) bool {
	if errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func netDialer(timeout time.Duration) *net.Dialer {
	return &net.Dialer{Timeout: timeout}
}

// timedOut: the step failed because its time ran out.
func timedOut(c *stepConn, err error) bool {
	return isTimeout(err) || c.expired()
}
