package cli

import (
	"fmt"
	"strconv"
	"strings"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/fix/apply"
	"maildoctor.app/maildoctor/fix/plan"
)

// backupClientNames are the programs of the backups' list as their users
// know them (product names: not translated).
var backupClientNames = map[string]string{
	clients.Thunderbird: "Thunderbird",
	clients.Outlook:     "Outlook",
	clients.WindowsLive: "Windows Live Mail",
	clients.ClawsMail:   "Claws Mail",
	apply.ClientWindows: "Windows (TLS 1.2)",
}

func backupClientName(id string) string {
	if n, ok := backupClientNames[id]; ok {
		return n
	}
	return id
}

// listBackups is "fix --undo --list": every backup Mail Doctor made on
// this computer, from the manifest in the backups folder, newest last,
// each with the number "fix --undo --entry" takes.
func (fx *fixer) listBackups() error {
	fx.platform = fx.deps.platform()
	list, err := apply.Backups(fx.applyOptions())
	if err != nil {
		return err
	}
	if fx.flags.json {
		if list == nil {
			list = []apply.Entry{}
		}
		return writeJSON(fx.env.Stdout, struct {
			Backups []apply.Entry `json:"backups"`
		}{list})
	}
	w := fx.env.Stdout
	if len(list) == 0 {
		fmt.Fprintln(w, fx.tr.T("fix.undo.list.none", nil))
		return nil
	}
	fmt.Fprintln(w, fx.tr.T("fix.undo.list.heading", nil))
	for _, e := range list {
		args := map[string]string{
			"id": strconv.Itoa(e.ID), "time": e.Time.Local().Format("2006-01-02 15:04"),
			"client": backupClientName(e.Client), "email": e.Email,
			"target": nativePath(e.Target), "count": strconv.Itoa(e.Changes),
		}
		what := fx.tr.T("fix.undo.list.what."+e.What, args)
		args["what"] = what
		fmt.Fprintln(w, one(fx.tr.T("fix.undo.list.line", args)))
		fmt.Fprintln(w, "     "+one(fx.tr.T("fix.undo.list.backup", map[string]string{"backup": nativePath(e.Backup)})))
		if e.Undone != nil {
			fmt.Fprintln(w, "     "+one(fx.tr.T("fix.undo.list.undone", map[string]string{"time": e.Undone.Local().Format("2006-01-02 15:04")})))
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, fx.tr.T("fix.undo.list.how", map[string]string{"program": fx.env.program()}))
	return nil
}

// undoEntry is "fix --undo --entry N": that backup put back. A backup of
// HKEY_LOCAL_MACHINE (the TLS 1.2 switch) needs an administrator: without
// the rights, Mail Doctor asks Windows for them as --enable-tls12 does.
func (fx *fixer) undoEntry(id int) error {
	fx.platform = fx.deps.platform()
	opt := fx.applyOptions()
	if e, ok := findEntry(opt, id); ok && strings.HasPrefix(e.Target, `HKEY_LOCAL_MACHINE\`) && !fx.isElevated() {
		return fx.undoEntryElevated(e)
	}
	res, err := apply.UndoEntry(id, opt)
	if err != nil {
		e, _ := findEntry(opt, id)
		return fx.applyError(&plan.Plan{ClientName: backupClientName(e.Client), Email: e.Email}, err)
	}
	if fx.flags.json {
		return writeJSON(fx.env.Stdout, res)
	}
	key := "fix.undo.done"
	if apply.IsRegistryKey(res.File) {
		key = "fix.undo.done_key"
	}
	fmt.Fprintln(fx.env.Stdout, fx.tr.T(key, map[string]string{
		"file": nativePath(res.File), "backup": nativePath(res.Restored), "saved": nativePath(res.Saved)}))
	return nil
}

func findEntry(opt apply.Options, id int) (apply.Entry, bool) {
	list, _ := apply.Backups(opt)
	for _, e := range list {
		if e.ID == id {
			return e, true
		}
	}
	return apply.Entry{}, false
}

func (fx *fixer) isElevated() bool {
	if fx.deps.elevated != nil {
		return fx.deps.elevated()
	}
	return apply.IsElevated()
}

// undoEntryElevated runs the same undo in a copy of Mail Doctor started
// as administrator, and reads the manifest again to tell the outcome.
func (fx *fixer) undoEntryElevated(e apply.Entry) error {
	dir := fx.deps.backupDir
	if dir == "" {
		var err error
		if dir, err = apply.DefaultBackupDir(); err != nil {
			return err
		}
	}
	// The backups folder goes along: the elevated copy may run as
	// another user (see apply.SwitchTLS12).
	args := []string{"fix", "--undo", "--entry", strconv.Itoa(e.ID), "--backups", dir}
	if fx.flags.lang != "" {
		args = append(args, "--lang", fx.flags.lang)
	}
	code, err := fx.askingFirst()(args)
	switch {
	case err != nil:
		return fx.tls12Error(err)
	case code == ExitUsage:
		return fx.applyError(&plan.Plan{ClientName: backupClientName(e.Client)}, apply.ErrNoEntry)
	case code != ExitOK:
		return fx.tls12Error(&apply.ElevatedError{Code: code})
	}
	if now, ok := findEntry(fx.applyOptions(), e.ID); !ok || now.Undone == nil {
		return fx.tls12Error(&apply.ElevatedError{Code: code})
	}
	fmt.Fprintln(fx.env.Stdout, fx.tr.T("fix.tls12.undone_elevated", nil))
	return nil
}
