package apply

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/clients/prefsjs"
	"maildoctor.app/maildoctor/detect/server"
)

// Thunderbird's nsMsgSocketType (MailNewsTypes2.idl): plain 0,
// alwaysSTARTTLS 2, SSL 3 (1, "STARTTLS if available", was removed). mail.server.<s>.socketType holds it for the
// incoming server, mail.smtpserver.<smtp>.try_ssl for the SMTP server.
const (
	socketStartTLS = 2
	socketSSL      = 3
)

func socketTypeFor(s server.Security) (int64, error) {
	switch s {
	case server.TLS:
		return socketSSL, nil
	case server.StartTLS:
		return socketStartTLS, nil
	}
	return 0, fmt.Errorf("security %q is not one Mail Doctor sets", s)
}

// prefsEditor changes one account's server prefs in prefs.js, in place:
// only the value literals it changes are rewritten, a missing pref is
// added on its own line where Thunderbird's sorted order puts it, and
// every other byte stays.
type prefsEditor struct {
	account clients.Account
	target  target
	fs      FS
	profile string
}

type prefWant struct {
	name  string
	value int64
}

// wants lists the prefs to set, sorted by name (so two additions at the
// same place land in Thunderbird's order).
func (e *prefsEditor) wants() ([]prefWant, error) {
	var out []prefWant
	add := func(s *clients.Server, want *server.Endpoint, prefix, secPref string) error {
		if s == nil || want == nil {
			return nil
		}
		if !strings.HasPrefix(s.Key, prefix) || strings.ContainsAny(s.Key, "\"\\\n") {
			return fmt.Errorf("%q is not a Thunderbird server key", s.Key)
		}
		if s.Protocol != want.Protocol {
			return fmt.Errorf("the account uses %s, the plan sets %s", s.Protocol, want.Protocol)
		}
		st, err := socketTypeFor(want.Security)
		if err != nil {
			return err
		}
		out = append(out, prefWant{s.Key + ".port", int64(want.Port)}, prefWant{s.Key + "." + secPref, st})
		return nil
	}
	if err := add(e.account.Incoming, e.target.incoming, "mail.server.", "socketType"); err != nil {
		return nil, err
	}
	if err := add(e.account.Outgoing, e.target.outgoing, "mail.smtpserver.", "try_ssl"); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, ErrNotAutomatic
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out, nil
}

func (e *prefsEditor) edit(data []byte) ([]byte, []Change, error) {
	wants, err := e.wants()
	if err != nil {
		return nil, nil, err
	}
	f := prefsjs.Parse(data)
	if len(f.Problems) > 0 {
		return nil, nil, fmt.Errorf("%w (%v)", ErrDamaged, f.Problems[0])
	}
	if err := e.checkAccount(f); err != nil {
		return nil, nil, err
	}
	if err := e.checkUserJS(wants); err != nil {
		return nil, nil, err
	}
	var edits []prefsjs.Edit
	var changes []Change
	for _, w := range wants {
		v := prefsjs.IntValue(w.value)
		p, ok := f.Get(w.name)
		switch {
		case ok && p.Value.Kind == prefsjs.Int && p.Value.Int == w.value:
			continue
		case ok:
			edits = append(edits, prefsjs.SetValue(p, v))
			changes = append(changes, Change{Key: w.name, From: string(data[p.ValueSpan.Start:p.ValueSpan.End]), To: v.Literal()})
		default:
			edits = append(edits, f.Insert(data, w.name, v))
			changes = append(changes, Change{Key: w.name, To: v.Literal()})
		}
	}
	if len(edits) == 0 {
		return data, nil, nil
	}
	out, err := prefsjs.Apply(data, edits...)
	if err != nil {
		return nil, nil, err
	}
	return out, changes, nil
}

// checkAccount makes sure the servers are in this file, so a stale
// account list never makes Mail Doctor add prefs for a server that is
// not there.
func (e *prefsEditor) checkAccount(f *prefsjs.File) error {
	for _, s := range []*clients.Server{e.account.Incoming, e.account.Outgoing} {
		if s == nil {
			continue
		}
		if _, ok := f.Get(s.Key + ".hostname"); !ok {
			return fmt.Errorf("%s is not in prefs.js any more: %w", s.Key, ErrNotAutomatic)
		}
	}
	return nil
}

// checkUserJS refuses when user.js sets one of the prefs: Thunderbird
// reads it after prefs.js at every start, so it would undo the change.
func (e *prefsEditor) checkUserJS(wants []prefWant) error {
	data, err := e.fs.ReadFile(filepath.Join(e.profile, "user.js"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading user.js: %w", err)
	}
	u := prefsjs.Parse(data)
	for _, w := range wants {
		if _, ok := u.Get(w.name); ok {
			return fmt.Errorf("%w (%s)", ErrOverridden, w.name)
		}
	}
	return nil
}

// verify reads the file back as Thunderbird will: it parses cleanly, the
// changed prefs have their new values, and every other pref is as before.
func (e *prefsEditor) verify(orig, got []byte, changes []Change) error {
	g, o := prefsjs.Parse(got), prefsjs.Parse(orig)
	if len(g.Problems) > 0 {
		return fmt.Errorf("prefs.js does not parse after the change: %v", g.Problems[0])
	}
	changed := map[string]string{}
	for _, c := range changes {
		changed[c.Key] = c.To
	}
	for name, to := range changed {
		p, ok := g.Get(name)
		if !ok || p.Value.Literal() != to {
			return fmt.Errorf("%s is %v after the change, want %s", name, p.Value, to)
		}
	}
	for _, name := range o.Names("") {
		if _, isChanged := changed[name]; isChanged {
			continue
		}
		op, _ := o.Get(name)
		gp, ok := g.Get(name)
		if !ok || gp.Value != op.Value {
			return fmt.Errorf("%s changed although it should not have", name)
		}
	}
	for _, name := range g.Names("") {
		if _, was := o.Get(name); !was {
			if _, isChanged := changed[name]; !isChanged {
				return fmt.Errorf("%s appeared although it should not have", name)
			}
		}
	}
	return nil
}
