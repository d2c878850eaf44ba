package apply

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"maildoctor.app/maildoctor/detect/clients"
)

// The backups folder holds manifest.json, the list of every backup Mail
// Doctor made (of a settings file beside it, or of registry keys in the
// folder itself): what, when, for which program and account. It is what
// "fix --undo --list" shows and what an undo by entry reads. The backups
// themselves stay findable by their names, so an undo still works if the
// manifest is lost. Both the manifest and the lock file live in Mail
// Doctor's own folder, written with the os package: they are not a mail
// program's settings, so the FS that tests break does not reach them.
const (
	manifestName = "manifest.json"
	lockName     = "maildoctor.lock"
)

// What a backup holds.
const (
	// WhatChange is the settings as they were before a change.
	WhatChange = "change"
	// WhatBeforeUndo is the settings as they were before an undo, so an
	// undo can be undone.
	WhatBeforeUndo = "before-undo"
)

// ClientWindows names the program of the TLS 1.2 switch: Windows itself.
const ClientWindows = "windows"

// Entry is one backup in the manifest.
type Entry struct {
	// ID numbers entries; never reused.
	ID   int       `json:"id"`
	Time time.Time `json:"time"`
	// Client is the detect/clients id ("outlook"), or "windows".
	Client string `json:"client"`
	// Email is the account's address; "" for the TLS 1.2 switch.
	Email string `json:"email,omitempty"`
	// Target is the settings file or registry key the backup is of.
	Target string `json:"target"`
	// Backup is the file that holds the saved settings.
	Backup  string `json:"backup"`
	What    string `json:"what"`
	Changes int    `json:"changes,omitempty"`
	// Undone is when the backup was put back; nil while it was not.
	Undone *time.Time `json:"undone,omitempty"`
}

type manifest struct {
	Version int     `json:"version"`
	Next    int     `json:"next"`
	Entries []Entry `json:"entries"`
}

func readManifest(dir string) (manifest, error) {
	m := manifest{Version: 1, Next: 1}
	data, err := os.ReadFile(filepath.Join(dir, manifestName))
	if errors.Is(err, fs.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return m, fmt.Errorf("reading the list of backups: %w", err)
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return m, &damagedManifest{file: filepath.Join(dir, manifestName), err: err}
	}
	for _, e := range m.Entries {
		if e.ID >= m.Next {
			m.Next = e.ID + 1
		}
	}
	return m, nil
}

// damagedManifest: manifest.json is there but is not a list of backups.
type damagedManifest struct {
	file string
	err  error
}

func (e *damagedManifest) Error() string {
	return fmt.Sprintf("reading the list of backups %s: %v", e.file, e.err)
}

func writeManifest(dir string, m manifest) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := writeChecked(OS{}, filepath.Join(dir, manifestName), append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("writing the list of backups: %w", err)
	}
	return nil
}

// Backups lists the manifest, oldest first; none when there is no
// manifest yet.
func Backups(opt Options) ([]Entry, error) {
	dir, err := opt.backupDir()
	if err != nil {
		return nil, err
	}
	m, err := readManifest(dir)
	return m.Entries, err
}

// record adds a backup to the manifest and returns its id. The caller
// holds the lock.
func record(opt Options, e Entry) (int, error) {
	dir, err := opt.backupDir()
	if err != nil {
		return 0, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return 0, fmt.Errorf("creating %s: %w", dir, err)
	}
	m, err := readManifest(dir)
	var damaged *damagedManifest
	if errors.As(err, &damaged) {
		// A list nobody can read must not stop every later change: it is
		// kept aside for support, and a new one starts (the backups it
		// listed are still found by their names).
		if rerr := os.Rename(damaged.file, damaged.file+".damaged-"+opt.now().Format(stampLayout)); rerr != nil {
			return 0, fmt.Errorf("%v, and it cannot be moved aside: %w", err, rerr)
		}
		m, err = manifest{Version: 1, Next: 1}, nil
	}
	if err != nil {
		return 0, err
	}
	e.ID = m.Next
	m.Next++
	if e.Time.IsZero() {
		e.Time = opt.now()
	}
	m.Entries = append(m.Entries, e)
	return e.ID, writeManifest(dir, m)
}

// update changes the entry whose backup is backup (or, with id > 0, that
// id). A backup made before the manifest existed has no entry: nothing
// to update.
func update(opt Options, id int, backup string, f func(*Entry)) error {
	dir, err := opt.backupDir()
	if err != nil {
		return err
	}
	m, err := readManifest(dir)
	if err != nil {
		return err
	}
	for i := range m.Entries {
		e := &m.Entries[i]
		if (id > 0 && e.ID == id) || (id == 0 && e.Backup == backup) {
			f(e)
			return writeManifest(dir, m)
		}
	}
	return nil
}

// forget drops an entry whose change did not happen after all.
func forget(opt Options, id int) {
	dir, err := opt.backupDir()
	if err != nil {
		return
	}
	m, err := readManifest(dir)
	if err != nil {
		return
	}
	for i := range m.Entries {
		if m.Entries[i].ID == id {
			m.Entries = append(m.Entries[:i], m.Entries[i+1:]...)
			_ = writeManifest(dir, m)
			return
		}
	}
}

// markUndone records that backup was put back (renamed to renamed).
func markUndone(opt Options, backup, renamed string) error {
	now := opt.now()
	return update(opt, 0, backup, func(e *Entry) {
		e.Undone = &now
		e.Backup = renamed
	})
}

// BusyError means another Mail Doctor (the app or the command line) is
// changing settings right now.
type BusyError struct {
	// PID is the other process, 0 when unknown.
	PID int
	// Lock is the lock file.
	Lock string
}

func (e *BusyError) Error() string {
	return fmt.Sprintf("another Mail Doctor (process %d) is changing settings right now (%s)", e.PID, e.Lock)
}

// staleLock is the age after which a lock is left over from a Mail
// Doctor that died: a change takes well under a second.
const staleLock = 2 * time.Minute

// lock makes sure only one Mail Doctor changes settings at a time; the
// returned function gives the lock back.
func lock(opt Options) (func(), error) {
	dir, err := opt.backupDir()
	if err != nil {
		return nil, fmt.Errorf("no folder for the backups: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating %s: %w", dir, err)
	}
	name := filepath.Join(dir, lockName)
	for attempt := 0; attempt < 2; attempt++ {
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			_, werr := fmt.Fprintf(f, "%d\n%s\n", os.Getpid(), time.Now().UTC().Format(time.RFC3339))
			if cerr := f.Close(); werr == nil {
				werr = cerr
			}
			if werr != nil {
				_ = os.Remove(name)
				return nil, fmt.Errorf("writing the lock %s: %w", name, werr)
			}
			return func() { _ = os.Remove(name) }, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("creating the lock %s: %w", name, err)
		}
		info, serr := os.Stat(name)
		if serr == nil && time.Since(info.ModTime()) > staleLock {
			_ = os.Remove(name)
			continue
		}
		data, _ := os.ReadFile(name)
		pid, _ := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(data), "\n", 2)[0]))
		return nil, &BusyError{PID: pid, Lock: name}
	}
	return nil, &BusyError{Lock: name}
}

// locked runs f holding the lock (a dry run changes nothing and needs
// none).
func locked(opt Options, f func() error) error {
	if opt.DryRun {
		return f()
	}
	unlock, err := lock(opt)
	if err != nil {
		return err
	}
	defer unlock()
	return f()
}

// procsOf are the process names of a program by its detect/clients id.
func procsOf(client string) []string {
	switch client {
	case clients.Outlook:
		return outlookProcs
	case clients.Thunderbird:
		return thunderbirdProcs
	case clients.ClawsMail:
		return clawsProcs
	case clients.WindowsLive:
		return liveMailProcs
	}
	return nil
}

// ErrNoEntry: the manifest has no backup with that number.
var ErrNoEntry = errors.New("no backup with that number in the list")

// ErrUndone: that backup was already put back.
var ErrUndone = errors.New("that backup was already put back")

// UndoEntry puts back the backup of one manifest entry, exactly as Undo
// does for an account's latest one (the program closed, the settings as
// they are now saved first).
func UndoEntry(id int, opt Options) (res *UndoResult, err error) {
	err = locked(opt, func() error {
		list, err := Backups(opt)
		if err != nil {
			return err
		}
		var e *Entry
		for i := range list {
			if list[i].ID == id {
				e = &list[i]
			}
		}
		switch {
		case e == nil:
			return ErrNoEntry
		case e.Undone != nil:
			return ErrUndone
		}
		if procs := procsOf(e.Client); len(procs) > 0 {
			if err := closed(e.Client, procs, opt); err != nil {
				return err
			}
		}
		if IsRegistryKey(e.Target) {
			reg, err := opt.registry()
			if err != nil {
				return err
			}
			res, err = undoKeysFrom(reg, opt, regLabel(e.Client), e.Target, e.Client, e.Email, e.Backup)
			return err
		}
		res, err = undoFile(opt, e.Client, e.Email, e.Target, e.Backup)
		return err
	})
	return res, err
}

func regLabel(client string) string {
	if client == ClientWindows {
		return tls12Label
	}
	return "outlook"
}
