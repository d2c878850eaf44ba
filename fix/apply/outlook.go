package apply

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/detect/system"
	"maildoctor.app/maildoctor/fix/plan"
)

// Outlook (classic, 2007 to Microsoft 365) keeps each POP3/IMAP account
// of a mail profile in one registry key, the numbered subkeys of
// …\Profiles\<profile>\9375CFF0413111d3B88A00104B2A6676, under
// Office\16.0 and 15.0 (2013+) or the Windows Messaging Subsystem (2007,
// 2010): the keys detect/clients/outlook reads. The change writes, one
// value at a time and only while OUTLOOK.EXE is not running:
//
//	IMAP Port / POP3 Port   DWORD 993 / 995 (the plan's port)
//	IMAP Use SSL / POP3 Use SSL   DWORD 1
//	SMTP Port               DWORD 465
//	SMTP Secure Connection  DWORD 1 (SSL), where it exists or on 2010+;
//	SMTP Use SSL            DWORD 1, where it exists or on 2007
//	IMAP/POP3/SMTP Server   the plan's host, only when it differs, in the
//	                        value's own type (REG_BINARY UTF-16LE or REG_SZ)
//
// after saving the whole key as a .reg file in the backup folder. It is
// read back and compared value by value with what was intended (every
// other value as before); on any failure the key is put back from the
// saved copy. Undo makes the key exactly as in the backup.
var outlookProfileRoots = []string{
	`Software\Microsoft\Office\16.0\Outlook\Profiles\`,
	`Software\Microsoft\Office\15.0\Outlook\Profiles\`,
	`Software\Microsoft\Windows NT\CurrentVersion\Windows Messaging Subsystem\Profiles\`,
}

const outlookAccountsKey = `\9375CFF0413111d3B88A00104B2A6676\`

var outlookProcs = []string{"outlook.exe"}

func isOutlookCard(c plan.Card) bool {
	switch c {
	case plan.Outlook2007, plan.Outlook2010, plan.Outlook2013, plan.Outlook2016:
		return true
	}
	return false
}

// Handles reports whether apply can change the settings of a program
// with this card (plan.Card.Automatic says what the plan offers).
func Handles(c plan.Card) bool {
	return c.Automatic() || isOutlookCard(c) || c == plan.WindowsLiveMail
}

// outlookKey checks that the account's key is an Outlook account key.
func outlookKey(a clients.Account) (system.Root, string, error) {
	const prefix = `HKEY_CURRENT_USER\`
	if !strings.HasPrefix(a.Source, prefix) {
		return "", "", ErrNotAutomatic
	}
	path := a.Source[len(prefix):]
	lower := strings.ToLower(path)
	for _, r := range outlookProfileRoots {
		if strings.HasPrefix(lower, strings.ToLower(r)) {
			rest := path[len(r):]
			i := strings.Index(strings.ToLower(rest), strings.ToLower(outlookAccountsKey))
			if i > 0 && !strings.Contains(rest[i+len(outlookAccountsKey):], `\`) && rest[i+len(outlookAccountsKey):] != "" {
				return system.CurrentUser, path, nil
			}
		}
	}
	return "", "", ErrNotAutomatic
}

// regChange is one value to write.
type regChange struct {
	name     string
	from     *system.Value
	to       system.Value
	fromText string
	toText   string
}

func valueText(v *system.Value) string {
	if v == nil {
		return ""
	}
	if n, ok := system.DecodeUint(*v); ok && (v.Type == system.RegDWORD || v.Type == system.RegQWORD) {
		return strconv.FormatUint(n, 10)
	}
	if s, ok := system.DecodeString(*v); ok {
		return s
	}
	return fmt.Sprintf("%x", v.Data)
}

// outlookChanges lists the values to write for the account's key.
func outlookChanges(card plan.Card, a clients.Account, k regKey, tg target) ([]regChange, error) {
	vals := map[string]system.Value{}
	names := map[string]string{}
	for n, v := range k.Values {
		vals[strings.ToLower(n)] = v
		names[strings.ToLower(n)] = n
	}
	get := func(name string) *system.Value {
		if v, ok := vals[strings.ToLower(name)]; ok {
			return &v
		}
		return nil
	}
	var out []regChange
	setDWORD := func(name string, n uint32) error {
		cur := get(name)
		if cur != nil && cur.Type != system.RegDWORD {
			return fmt.Errorf("%w (%s is not a number)", ErrDamaged, name)
		}
		want := system.DWORD(n)
		if cur != nil && bytes.Equal(cur.Data, want.Data) {
			return nil
		}
		if cur != nil {
			name = names[strings.ToLower(name)]
		}
		out = append(out, regChange{name: name, from: cur, to: want, fromText: valueText(cur), toText: strconv.FormatUint(uint64(n), 10)})
		return nil
	}
	setHost := func(name, host string) error {
		cur := get(name)
		if cur == nil || host == "" {
			return nil
		}
		s, ok := system.DecodeString(*cur)
		if !ok {
			return fmt.Errorf("%w (%s is not text)", ErrDamaged, name)
		}
		if strings.EqualFold(strings.TrimSpace(s), host) {
			return nil
		}
		var want system.Value
		switch cur.Type {
		case system.RegBinary:
			want = system.Binary16(host)
		case system.RegSZ:
			want = system.SZ(host)
		default:
			return fmt.Errorf("%w (%s has an unexpected type)", ErrDamaged, name)
		}
		out = append(out, regChange{name: names[strings.ToLower(name)], from: cur, to: want, fromText: s, toText: host})
		return nil
	}
	port := func(ep *server.Endpoint) (uint32, error) {
		if ep.Security != server.TLS || ep.Port <= 0 || ep.Port > 65535 {
			return 0, fmt.Errorf("%w (the plan asks for %s on port %d)", ErrNotAutomatic, ep.Security, ep.Port)
		}
		return uint32(ep.Port), nil
	}
	if a.Incoming != nil && tg.incoming != nil {
		if a.Incoming.Protocol != tg.incoming.Protocol {
			return nil, fmt.Errorf("the account uses %s, the plan sets %s", a.Incoming.Protocol, tg.incoming.Protocol)
		}
		prefix := a.Incoming.Protocol.Name() + " "
		if get(prefix+"Server") == nil {
			return nil, fmt.Errorf("%s has no %sServer any more: %w", k.full(), prefix, ErrNotAutomatic)
		}
		p, err := port(tg.incoming)
		if err != nil {
			return nil, err
		}
		for _, f := range []func() error{
			func() error { return setHost(prefix+"Server", tg.incoming.Host) },
			func() error { return setDWORD(prefix+"Port", p) },
			func() error { return setDWORD(prefix+"Use SSL", 1) },
		} {
			if err := f(); err != nil {
				return nil, err
			}
		}
	}
	if a.Outgoing != nil && tg.outgoing != nil {
		if get("SMTP Server") == nil {
			return nil, fmt.Errorf("%s has no SMTP Server any more: %w", k.full(), ErrNotAutomatic)
		}
		p, err := port(tg.outgoing)
		if err != nil {
			return nil, err
		}
		if err := setHost("SMTP Server", tg.outgoing.Host); err != nil {
			return nil, err
		}
		if err := setDWORD("SMTP Port", p); err != nil {
			return nil, err
		}
		sc, ssl := get("SMTP Secure Connection") != nil, get("SMTP Use SSL") != nil
		if !sc && !ssl {
			// Neither is written: 2010 and later read Secure Connection,
			// 2007 Use SSL (detection.md §2.3, not checked on a 2007).
			sc, ssl = card != plan.Outlook2007, card == plan.Outlook2007
		}
		if sc {
			if err := setDWORD("SMTP Secure Connection", 1); err != nil {
				return nil, err
			}
		}
		if ssl {
			if err := setDWORD("SMTP Use SSL", 1); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// withChanges is the key as it should read after the change.
func withChanges(k regKey, changes []regChange) regKey {
	out := regKey{Root: k.Root, Path: k.Path, Values: map[string]system.Value{}}
	for n, v := range k.Values {
		out.Values[n] = v
	}
	for _, c := range changes {
		for n := range out.Values {
			if strings.EqualFold(n, c.name) {
				delete(out.Values, n)
			}
		}
		out.Values[c.name] = c.to
	}
	return out
}

// regTool is a change of registry keys instead of a file.
type regTool struct {
	client, label string
	email         string
	procs         []string
	root          system.Root
	path          string
	comment       string
	changes       func(k regKey) ([]regChange, error)
}

func outlookTool(card plan.Card, a clients.Account, tg target) (*regTool, error) {
	root, path, err := outlookKey(a)
	if err != nil {
		return nil, err
	}
	return &regTool{
		client: clients.Outlook, label: "outlook", email: a.Email, procs: outlookProcs, root: root, path: path,
		comment: "Mail Doctor: Outlook account " + oneLine(a.Email) + " as it was before the change.\nUndo: maildoctor fix --undo " + oneLine(a.Email),
		changes: func(k regKey) ([]regChange, error) { return outlookChanges(card, a, k, tg) },
	}, nil
}

func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == 0x2028 || r == 0x2029 {
			return ' '
		}
		return r
	}, s)
}

// runRegistry is run for a registry key: closed → snapshot → changes →
// backup → write value by value → read back and verify (and put the key
// back from the snapshot if anything fails).
func runRegistry(t *regTool, opt Options) (*Result, error) {
	full := string(t.root) + `\` + t.path
	res := &Result{Client: t.client, File: full, DryRun: opt.DryRun}
	if err := closed(t.client, t.procs, opt); err != nil {
		return nil, err
	}
	reg, err := opt.registry()
	if err != nil {
		return nil, err
	}
	before, err := snapshotKey(reg, t.root, t.path)
	if err != nil {
		return nil, err
	}
	if before.Absent {
		return nil, fmt.Errorf("%s is not in the registry any more: %w", full, ErrNotAutomatic)
	}
	changes, err := t.changes(before)
	if err != nil {
		return nil, err
	}
	for _, c := range changes {
		res.Changes = append(res.Changes, Change{Key: c.name, From: c.fromText, To: c.toText})
	}
	if len(changes) == 0 || opt.DryRun {
		return res, nil
	}
	backup, err := regBackup(opt, t.label, full, t.comment, []regKey{before})
	if err != nil {
		return nil, &WriteError{File: full, Err: fmt.Errorf("backup: %w", err)}
	}
	res.Backup = backup
	id, err := record(opt, Entry{Client: t.client, Email: t.email, Target: full, Backup: backup, What: WhatChange, Changes: len(changes)})
	if err != nil {
		_ = opt.fs().Remove(backup)
		return nil, &WriteError{File: full, Err: fmt.Errorf("backup: %w", err)}
	}
	fail := func(err error) (*Result, error) {
		if rerr := restoreAll(reg, []regKey{before}); rerr != nil {
			return nil, fmt.Errorf("the change failed (%v) and putting the key back failed: %v; the original is in %s", err, rerr, backup)
		}
		// The key is as it was: no change to undo.
		forget(opt, id)
		_ = opt.fs().Remove(backup)
		return nil, &WriteError{File: full, Err: fmt.Errorf("%v; the key is as it was", err)}
	}
	for _, c := range changes {
		if err := reg.SetValue(t.root, t.path, c.name, c.to); err != nil {
			return fail(fmt.Errorf("writing %q: %w", c.name, err))
		}
	}
	after, err := snapshotKey(reg, t.root, t.path)
	if err != nil {
		return fail(err)
	}
	if err := sameValues(withChanges(before, changes), after); err != nil {
		return fail(fmt.Errorf("the change did not verify: %w", err))
	}
	return res, nil
}

// undoRegistry puts back the latest backup of a key, after saving the key
// as it is now.
func undoRegistry(t *regTool, opt Options) (*UndoResult, error) {
	if err := closed(t.client, t.procs, opt); err != nil {
		return nil, err
	}
	reg, err := opt.registry()
	if err != nil {
		return nil, err
	}
	return undoKeys(reg, opt, t.label, string(t.root)+`\`+t.path, t.client, t.email)
}
