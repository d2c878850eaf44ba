package apply

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/detect/system"
	"maildoctor.app/maildoctor/fix/plan"
)

// Options are the parts of the machine apply touches; tests replace them.
type Options struct {
	// FS is the file system; nil means OS.
	FS FS
	// Processes lists the running processes (detect/system's
	// Platform.Processes); nil means the list cannot be read, and nothing
	// is changed.
	Processes func() ([]system.Process, error)
	// Now stamps backups; nil means time.Now.
	Now func() time.Time
	// DryRun computes the changes without writing anything.
	DryRun bool
	// Registry is the Windows registry (Outlook, TLS 1.2); nil means
	// HostRegistry.
	Registry Registry
	// BackupDir holds the backups of registry keys; "" means
	// DefaultBackupDir.
	BackupDir string
}

func (o Options) fs() FS {
	if o.FS == nil {
		return OS{}
	}
	return o.FS
}

func (o Options) now() time.Time {
	if o.Now == nil {
		return time.Now()
	}
	return o.Now()
}

// Change is one setting changed.
type Change struct {
	// Key names the setting: "mail.server.server1.socketType", or
	// "[Account: 1] ssl_imap" in an INI-style file.
	Key string `json:"key"`
	// From is the value as written before ("" when it was not there),
	// To the new one.
	From string `json:"from"`
	To   string `json:"to"`
}

// Result is what a change did.
type Result struct {
	Client string `json:"client"`
	File   string `json:"file"`
	// Backup is the copy of the file from before the change; "" for a dry
	// run or when nothing needed changing.
	Backup  string   `json:"backup,omitempty"`
	Changes []Change `json:"changes"`
	DryRun  bool     `json:"dry_run,omitempty"`
}

// target is where an account's servers go: port and implicit TLS.
type target struct {
	incoming, outgoing *server.Endpoint
}

// editor turns a settings file into the changed one.
type editor interface {
	// edit returns the new file and the changes; none means nothing to do.
	edit(data []byte) ([]byte, []Change, error)
	// verify checks the file as read back from disk against the original.
	verify(orig, got []byte, changes []Change) error
}

// tool is one program's settings file and how to change it.
type tool struct {
	client string
	email  string
	procs  []string
	file   string
	ed     editor
}

// Plan makes the automatic change a plan allows (plan.Automatic): the
// account's incoming and outgoing servers to the plan's ports with
// SSL/TLS.
func Plan(p *plan.Plan, opt Options) (*Result, error) {
	if p == nil || p.Current == nil || !(p.Automatic || Handles(p.Card) && p.Status == plan.StatusChange) {
		return nil, ErrNotAutomatic
	}
	var res *Result
	err := locked(opt, func() error {
		var err error
		if isOutlookCard(p.Card) {
			var t *regTool
			if t, err = outlookTool(p.Card, *p.Current, target{p.Incoming, p.Outgoing}); err == nil {
				res, err = runRegistry(t, opt)
			}
			return err
		}
		var t tool
		if t, err = toolFor(p.Card, *p.Current, target{p.Incoming, p.Outgoing}, opt); err == nil {
			res, err = run(t, opt)
		}
		return err
	})
	return res, err
}

// toolFor finds the file and editor for a program's account.
func toolFor(card plan.Card, a clients.Account, tg target, opt Options) (tool, error) {
	switch card {
	case plan.Thunderbird:
		if a.Profile == "" {
			return tool{}, ErrNotAutomatic
		}
		return tool{
			client: clients.Thunderbird, email: a.Email, procs: thunderbirdProcs,
			file: filepath.Join(a.Profile, "prefs.js"),
			ed:   &prefsEditor{account: a, target: tg, fs: opt.fs(), profile: a.Profile},
		}, nil
	case plan.WindowsLiveMail:
		if !strings.HasSuffix(strings.ToLower(a.Source), ".oeaccount") || a.Email == "" {
			return tool{}, ErrNotAutomatic
		}
		return tool{
			client: clients.WindowsLive, email: a.Email, procs: liveMailProcs,
			file: a.Source,
			ed:   &oeEditor{account: a, target: tg},
		}, nil
	case plan.ClawsMail:
		if a.Source == "" || a.Email == "" {
			return tool{}, ErrNotAutomatic
		}
		return tool{
			client: clients.ClawsMail, email: a.Email, procs: clawsProcs,
			file: a.Source,
			ed:   &accountrcEditor{email: a.Email, target: tg},
		}, nil
	}
	return tool{}, ErrNotAutomatic
}

// Process names as the process list shows them: Linux /proc comm (the
// tarball's real binary is thunderbird-bin, 15 characters, the limit),
// Windows image names, macOS ps -c.
var (
	thunderbirdProcs = []string{"thunderbird", "thunderbird-bin", "thunderbird.exe"}
	clawsProcs       = []string{"claws-mail", "claws-mail.exe"}
)

// closed checks that the program is not running.
func closed(client string, procs []string, opt Options) error {
	if opt.Processes == nil {
		return ErrUnknownRunning
	}
	running, ok := system.Running(&system.Platform{Processes: opt.Processes}, procs...)
	switch {
	case !ok:
		return ErrUnknownRunning
	case running:
		return &RunningError{Client: client}
	}
	return nil
}

// run is the one path every change takes: closed → read → edit → backup
// → atomic write → read back and verify (and put the original back if
// that fails).
func run(t tool, opt Options) (*Result, error) {
	fsys := opt.fs()
	res := &Result{Client: t.client, File: t.file, DryRun: opt.DryRun}
	if err := closed(t.client, t.procs, opt); err != nil {
		return nil, err
	}
	info, err := fsys.Stat(t.file)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", t.file, err)
	}
	orig, err := fsys.ReadFile(t.file)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", t.file, err)
	}
	out, changes, err := t.ed.edit(orig)
	if err != nil {
		return nil, err
	}
	res.Changes = changes
	if len(changes) == 0 || opt.DryRun {
		return res, nil
	}
	backup, err := newBackupName(fsys, t.file, opt.now(), ".bak")
	if err != nil {
		return nil, &WriteError{File: t.file, Err: err}
	}
	if err := writeChecked(fsys, backup, orig, info.Mode().Perm()); err != nil {
		_ = fsys.Remove(backup)
		return nil, &WriteError{File: t.file, Err: fmt.Errorf("backup: %w", err)}
	}
	res.Backup = backup
	id, err := record(opt, Entry{Client: t.client, Email: t.email, Target: t.file, Backup: backup, What: WhatChange, Changes: len(changes)})
	if err != nil {
		_ = fsys.Remove(backup)
		return nil, &WriteError{File: t.file, Err: fmt.Errorf("backup: %w", err)}
	}
	if err := writeAtomic(fsys, t.file, out, info.Mode().Perm()); err != nil {
		forget(opt, id)
		_ = fsys.Remove(backup)
		return nil, &WriteError{File: t.file, Err: err}
	}
	got, err := fsys.ReadFile(t.file)
	switch {
	case err != nil:
	case !bytes.Equal(got, out):
		err = errors.New("the file reads back different from what was written")
	default:
		err = t.ed.verify(orig, got, changes)
	}
	if err != nil {
		if rerr := writeChecked(fsys, t.file, orig, info.Mode().Perm()); rerr != nil {
			return nil, fmt.Errorf("the change did not verify (%v) and putting the original back failed: %v; the original is in %s", err, rerr, backup)
		}
		// The backup stays (and stays listed): after a disk that returned
		// other bytes, it is the copy to trust.
		return nil, &WriteError{File: t.file, Err: fmt.Errorf("the change did not verify, the original is back: %w", err)}
	}
	return res, nil
}

// UndoResult says what an undo put back.
type UndoResult struct {
	Client string `json:"client"`
	File   string `json:"file"`
	// Restored is the backup that was put back; it is renamed to
	// "….undone" so a second undo goes one change further back.
	Restored string `json:"restored"`
	// Saved is the copy of the file as it was before the undo, so that
	// settings the program wrote since the change are not lost.
	Saved string `json:"saved"`
}

// SettingsFile is the file of a program's account that Plan changes and
// Undo puts back; accounts that share it share its backups. It needs
// nothing but the account as detected (no plan, no discovery), and is
// ErrNotAutomatic for a program or account that is not changed
// automatically.
func SettingsFile(card plan.Card, a clients.Account) (string, error) {
	if isOutlookCard(card) {
		t, err := outlookTool(card, a, target{})
		if err != nil {
			return "", err
		}
		return string(t.root) + `\` + t.path, nil
	}
	t, err := toolFor(card, a, target{}, Options{})
	if err != nil {
		return "", err
	}
	return t.file, nil
}

// Undo puts back the file from before the last automatic change of this
// account's program, byte for byte. It needs only the account as detected
// and the backup: no plan, no provider profile, no network.
func Undo(card plan.Card, a clients.Account, opt Options) (res *UndoResult, err error) {
	err = locked(opt, func() error {
		if isOutlookCard(card) {
			t, err := outlookTool(card, a, target{})
			if err == nil {
				res, err = undoRegistry(t, opt)
			}
			return err
		}
		t, err := toolFor(card, a, target{}, opt)
		if err != nil {
			return err
		}
		if err := closed(t.client, t.procs, opt); err != nil {
			return err
		}
		backup, err := latestBackup(opt.fs(), t.file)
		if err != nil {
			return err
		}
		if backup == "" {
			return ErrNoBackup
		}
		res, err = undoFile(opt, t.client, t.email, t.file, backup)
		return err
	})
	return res, err
}

// undoFile puts backup back as file, after saving the file as it is now
// (recorded in the manifest, so the undo can be undone too).
func undoFile(opt Options, client, email, file, backup string) (*UndoResult, error) {
	fsys := opt.fs()
	old, err := fsys.ReadFile(backup)
	if err != nil {
		return nil, fmt.Errorf("reading the backup %s: %w", backup, err)
	}
	info, err := fsys.Stat(file)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", file, err)
	}
	cur, err := fsys.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", file, err)
	}
	saved, err := newBackupName(fsys, file, opt.now(), ".before-undo")
	if err != nil {
		return nil, &WriteError{File: file, Err: err}
	}
	if err := writeChecked(fsys, saved, cur, info.Mode().Perm()); err != nil {
		_ = fsys.Remove(saved)
		return nil, &WriteError{File: file, Err: fmt.Errorf("saving the current file: %w", err)}
	}
	if err := writeChecked(fsys, file, old, info.Mode().Perm()); err != nil {
		return nil, &WriteError{File: file, Err: err}
	}
	res := &UndoResult{Client: client, File: file, Restored: backup, Saved: saved}
	if err := fsys.Rename(backup, backup+".undone"); err == nil {
		res.Restored = backup + ".undone"
	}
	// The undo is done; the list of backups only describes it, so a
	// failure to update it is not the customer's problem.
	_ = markUndone(opt, backup, res.Restored)
	_, _ = record(opt, Entry{Client: client, Email: email, Target: file, Backup: saved, What: WhatBeforeUndo})
	return res, nil
}

// LatestBackup is the backup Undo would put back for this account's
// program, "" when there is none: the copy of a settings file beside it,
// or the .reg export of an Outlook account's registry key in the backup
// folder. Like Undo it needs nothing but the account as detected.
func LatestBackup(card plan.Card, a clients.Account, opt Options) (string, error) {
	if isOutlookCard(card) {
		t, err := outlookTool(card, a, target{})
		if err != nil {
			return "", err
		}
		return latestRegBackup(opt, t.label, string(t.root)+`\`+t.path)
	}
	t, err := toolFor(card, a, target{}, opt)
	if err != nil {
		return "", err
	}
	return latestBackup(opt.fs(), t.file)
}

// Processes are the process names of the program of card that must not
// run while its settings change (what Plan and Undo check), nil for a
// program apply does not change.
func Processes(card plan.Card) []string {
	switch {
	case isOutlookCard(card):
		return outlookProcs
	case card == plan.Thunderbird:
		return thunderbirdProcs
	case card == plan.ClawsMail:
		return clawsProcs
	case card == plan.WindowsLiveMail:
		return liveMailProcs
	}
	return nil
}
