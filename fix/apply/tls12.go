package apply

import (
	"errors"
	"fmt"
	"strings"

	"maildoctor.app/maildoctor/detect/compat"
	"maildoctor.app/maildoctor/detect/system"
	"maildoctor.app/maildoctor/fix/export"
)

// TLS 1.2 on Windows 7 SP1 and 8.0: the client side of TLS 1.1 and 1.2 in
// SChannel (Protocols\TLS 1.x\Client Enabled=1, DisabledByDefault=0), and
// WinHTTP's DefaultSecureProtocols=0xA80 (KB3140245's value), the same
// values fix/export's .reg file holds. Only client keys: nothing under
// …\Server is touched. Writing HKLM needs an administrator: the command
// line and the app start Mail Doctor again elevated (RunElevated) for
// this one step. Before writing, every key is saved to a .reg backup,
// including "this key did not exist" ([-KEY]), and undo puts back exactly
// that. A restart makes Windows read the new values.

// tls12Key is one key the switch writes and its values.
type tls12Key struct {
	path   string
	values map[string]uint32
}

func hklmPath(full string) string {
	return strings.TrimPrefix(full, `HKEY_LOCAL_MACHINE\`)
}

// tls12Keys lists the keys; the 32-bit WinHTTP key only where Windows is
// 64-bit (SOFTWARE\Wow6432Node exists).
func tls12Keys(reg system.Registry) []tls12Key {
	var out []tls12Key
	for _, v := range compat.SChannelVersions() {
		out = append(out, tls12Key{hklmPath(strings.Replace(export.SChannelKey, "%s", v, 1)), compat.SChannelValues()})
	}
	out = append(out, tls12Key{hklmPath(export.WinHTTPKey), map[string]uint32{"DefaultSecureProtocols": export.DefaultSecureProtocols}})
	if system.RegKeyExists(reg, system.LocalMachine, `SOFTWARE\Wow6432Node`) {
		out = append(out, tls12Key{hklmPath(export.WinHTTPKeyWow64), map[string]uint32{"DefaultSecureProtocols": export.DefaultSecureProtocols}})
	}
	return out
}

// TLS12NotApplicable: the switch is for Windows 7 SP1 and 8.0 only.
// Code is "old" (XP, Vista), "sp1" (Windows 7 without Service Pack 1) or
// "on" (Windows 8.1 and later), for a translated message.
type TLS12NotApplicable struct{ Code, Reason string }

func (e *TLS12NotApplicable) Error() string { return e.Reason }

// TLS12Applies says whether the switch is for this Windows version.
func TLS12Applies(v system.WinVersion) error {
	switch {
	case v.Major < 6 || v.Major == 6 && v.Minor == 0:
		return &TLS12NotApplicable{"old", "this Windows version (XP, Vista or older) has no TLS 1.2 that can be switched on"}
	case v.Major == 6 && v.Minor == 1 && v.Build < 7601:
		return &TLS12NotApplicable{"sp1", "Windows 7 needs Service Pack 1 first"}
	case v.Major == 6 && v.Minor <= 2:
		return nil
	}
	return &TLS12NotApplicable{"on", "TLS 1.2 is already on in this Windows version"}
}

const tls12Label = "tls12"

// topAbsent is the highest missing key on the way to path ("" when path
// exists).
func topAbsent(reg system.Registry, root system.Root, path string) string {
	parts := strings.Split(path, `\`)
	for i := 1; i <= len(parts); i++ {
		p := strings.Join(parts[:i], `\`)
		if !system.RegKeyExists(reg, root, p) {
			if _, err := reg.SubKeys(root, p); errors.Is(err, system.ErrNotFound) {
				return p
			}
		}
	}
	return ""
}

// EnableTLS12 writes the TLS 1.1/1.2 client keys after saving them. It
// must run elevated; a refused write puts back what was written.
func EnableTLS12(opt Options) (res *Result, err error) {
	err = locked(opt, func() error {
		res, err = enableTLS12(opt)
		return err
	})
	return res, err
}

func enableTLS12(opt Options) (*Result, error) {
	reg, err := opt.registry()
	if err != nil {
		return nil, err
	}
	keys := tls12Keys(reg)
	var saved []regKey
	seen := map[string]bool{}
	res := &Result{Client: "windows", File: `HKEY_LOCAL_MACHINE\` + keys[0].path, DryRun: opt.DryRun}
	for _, k := range keys {
		if top := topAbsent(reg, system.LocalMachine, k.path); top != "" {
			if !seen[strings.ToLower(top)] {
				seen[strings.ToLower(top)] = true
				saved = append(saved, regKey{Root: system.LocalMachine, Path: top, Absent: true, Values: map[string]system.Value{}})
			}
		} else {
			s, err := snapshotKey(reg, system.LocalMachine, k.path)
			if err != nil {
				return nil, err
			}
			saved = append(saved, s)
		}
		for n, want := range k.values {
			cur, err := reg.Value(system.LocalMachine, k.path, n)
			from := ""
			if err == nil {
				from = valueText(&cur)
				if cur.Type == system.RegDWORD && from == fmt.Sprint(want) {
					continue
				}
			}
			res.Changes = append(res.Changes, Change{Key: `HKEY_LOCAL_MACHINE\` + k.path + ` ` + n, From: from, To: fmt.Sprint(want)})
		}
	}
	if len(res.Changes) == 0 || opt.DryRun {
		return res, nil
	}
	backup, err := regBackup(opt, tls12Label, `HKEY_LOCAL_MACHINE\`+keys[0].path, "Mail Doctor: the TLS 1.1/1.2 client settings as they were before switching TLS 1.2 on.\nUndo: maildoctor fix --enable-tls12 --undo (as administrator)", saved)
	if err != nil {
		return nil, &WriteError{File: res.File, Err: fmt.Errorf("backup: %w", err)}
	}
	res.Backup = backup
	id, err := record(opt, Entry{Client: ClientWindows, Target: res.File, Backup: backup, What: WhatChange, Changes: len(res.Changes)})
	if err != nil {
		_ = opt.fs().Remove(backup)
		return nil, &WriteError{File: res.File, Err: fmt.Errorf("backup: %w", err)}
	}
	fail := func(err error) (*Result, error) {
		if rerr := restoreAll(reg, saved); rerr != nil {
			return nil, fmt.Errorf("switching TLS 1.2 on failed (%v) and putting the keys back failed: %v; they are saved in %s", err, rerr, backup)
		}
		forget(opt, id)
		_ = opt.fs().Remove(backup)
		return nil, &WriteError{File: res.File, Err: fmt.Errorf("%v; nothing was changed", err)}
	}
	for _, k := range keys {
		if err := reg.CreateKey(system.LocalMachine, k.path); err != nil {
			return fail(err)
		}
		for n, want := range k.values {
			if err := reg.SetValue(system.LocalMachine, k.path, n, system.DWORD(want)); err != nil {
				return fail(fmt.Errorf("writing %s %s: %w", k.path, n, err))
			}
		}
	}
	for _, k := range keys {
		for n, want := range k.values {
			if got, ok := system.RegUint(reg, system.LocalMachine, k.path, n); !ok || got != uint64(want) {
				return fail(fmt.Errorf("%s %s reads back %d", k.path, n, got))
			}
		}
	}
	return res, nil
}

// UndoTLS12 puts back the keys saved by the last EnableTLS12, exactly
// (deleting the keys that did not exist). It must run elevated.
func UndoTLS12(opt Options) (res *UndoResult, err error) {
	err = locked(opt, func() error {
		reg, err := opt.registry()
		if err != nil {
			return err
		}
		full := `HKEY_LOCAL_MACHINE\` + tls12Keys(reg)[0].path
		res, err = undoKeys(reg, opt, tls12Label, full, ClientWindows, "")
		return err
	})
	return res, err
}

// LatestTLS12Backup is the backup UndoTLS12 would put back, "" when
// there is none (the app's Undo of the switch).
func LatestTLS12Backup(opt Options) (string, error) {
	return latestRegBackup(opt, tls12Label, `HKEY_LOCAL_MACHINE\`+hklmPath(strings.Replace(export.SChannelKey, "%s", "TLS 1.1", 1)))
}

// undoKeys is the undo of the latest registry backup whose first key
// names it.
func undoKeys(reg Registry, opt Options, label, full, client, email string) (*UndoResult, error) {
	backup, err := latestRegBackup(opt, label, full)
	if err != nil {
		return nil, err
	}
	if backup == "" {
		return nil, ErrNoBackup
	}
	return undoKeysFrom(reg, opt, label, full, client, email, backup)
}

// undoKeysFrom makes the keys exactly as in backup, after saving them as
// they are now (recorded in the manifest, so the undo can be undone).
func undoKeysFrom(reg Registry, opt Options, label, full, client, email, backup string) (*UndoResult, error) {
	data, err := opt.fs().ReadFile(backup)
	if err != nil {
		return nil, fmt.Errorf("reading the backup %s: %w", backup, err)
	}
	keys, err := parseRegBackup(data)
	if err != nil {
		return nil, fmt.Errorf("reading the backup %s: %w", backup, err)
	}
	if label != tls12Label && !strings.EqualFold(keys[0].full(), full) {
		return nil, fmt.Errorf("the backup %s is of %s, not %s", backup, keys[0].full(), full)
	}
	var now []regKey
	for _, k := range keys {
		cur, err := snapshotKey(reg, k.Root, k.Path)
		if err != nil {
			return nil, err
		}
		now = append(now, cur)
	}
	saved, err := regBackup(Options{FS: opt.FS, BackupDir: opt.BackupDir, Now: opt.Now}, label+"-before-undo", full, "Mail Doctor: the keys as they were before an undo.", now)
	if err != nil {
		return nil, &WriteError{File: full, Err: fmt.Errorf("saving the current keys: %w", err)}
	}
	if err := restoreAll(reg, keys); err != nil {
		if rerr := restoreAll(reg, now); rerr != nil {
			return nil, fmt.Errorf("the undo failed (%v) and putting the keys back failed: %v; they were saved in %s", err, rerr, saved)
		}
		_ = opt.fs().Remove(saved)
		return nil, &WriteError{File: full, Err: err}
	}
	res := &UndoResult{Client: client, File: full, Restored: backup, Saved: saved}
	if err := opt.fs().Rename(backup, backup+".undone"); err == nil {
		res.Restored = backup + ".undone"
	}
	// The keys are back; the list of backups only describes it.
	_ = markUndone(opt, backup, res.Restored)
	_, _ = record(opt, Entry{Client: client, Email: email, Target: full, Backup: saved, What: WhatBeforeUndo})
	return res, nil
}
