package dovecottest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/user"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const (
	dovecotBinary = "/usr/sbin/dovecot"
	// libexecDir is where Debian's packages put the protocol daemons.
	libexecDir = "/usr/lib/dovecot"
)

func available() error {
	if os.Geteuid() != 0 {
		return errors.New("tests need root: Dovecot's master must bind ports below 1024 and switch users")
	}
	if _, err := os.Stat(dovecotBinary); err != nil {
		return fmt.Errorf("dovecot is not installed (apt-get install dovecot-core): %w", err)
	}
	daemons := []struct{ file, pkg string }{
		{"imap", "dovecot-imapd"}, {"pop3", "dovecot-pop3d"}, {"submission", "dovecot-submissiond"},
	}
	for _, d := range daemons {
		if _, err := os.Stat(libexecDir + "/" + d.file); err != nil {
			return fmt.Errorf("%s is not installed (apt-get install %s): %w", d.file, d.pkg, err)
		}
	}
	for _, name := range []string{"dovecot", "dovenull", mailUser} {
		if _, err := user.Lookup(name); err != nil {
			return fmt.Errorf("system user %s is missing: %w", name, err)
		}
	}
	return nil
}

// sysProcAttr puts Dovecot in its own process group and kills the master if
// the test binary dies, so a crashed test does not leave servers behind.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

func killGroup(pgid int) {
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
}

// waitGroupGone waits until every process of the group has died, so the
// caller can delete directories they were writing to. Zombies count as
// dead: they hold no files, and reaping the orphaned ones is up to init,
// which may take its time.
func waitGroupGone(pgid int, limit time.Duration) {
	deadline := time.Now().Add(limit)
	for groupAlive(pgid) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
}

func groupAlive(pgid int) bool {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return false
	}
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		state, group, ok := procState(e.Name())
		if ok && group == pgid && state != "Z" && state != "X" {
			return true
		}
	}
	return false
}

// procState reads state and process group from /proc/PID/stat, whose
// second field (the command name) may itself contain spaces and ')'.
func procState(pid string) (state string, pgid int, ok bool) {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return "", 0, false
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return "", 0, false
	}
	// After ")": state, ppid, pgrp, ...
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 3 {
		return "", 0, false
	}
	pgid, err = strconv.Atoi(f[2])
	return f[0], pgid, err == nil
}
