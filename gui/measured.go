package gui

import (
	"strings"

	"fyne.io/fyne/v2"

	"maildoctor.app/maildoctor/detect/check"
	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/compat"
	"maildoctor.app/maildoctor/detect/server"
)

// measuredServer is the server "This computer" measures a program's own
// handshake against: the checked account's first implicit-TLS endpoint
// that answered with TLS (incoming first), as HOST:PORT; "" when the
// check reached none.
func measuredServer(rep *check.Report) string {
	if rep == nil {
		return ""
	}
	for _, p := range []server.Protocol{server.IMAP, server.POP3, server.SMTP} {
		for _, r := range rep.Endpoints {
			if r.Protocol == p && r.Security == server.TLS && r.Reachable && r.TLS != nil {
				return r.Addr()
			}
		}
	}
	return ""
}

// holds reports whether the program has an account for address.
func holds(cl *clients.Client, address string) bool {
	for _, a := range cl.Accounts {
		if address != "" && strings.EqualFold(a.Email, address) {
			return true
		}
	}
	return false
}

// measuredRows is what the program's own handshakes got from the checked
// account's server, once measured; the measurement starts here (off the
// UI goroutine, only hellos, no password) and the screen is drawn again
// when it ends. Nothing without a check of an address this program holds.
func (s *computerScreen) measuredRows(cl *clients.Client, v compat.Verdict) []fyne.CanvasObject {
	u := s.u
	rep := u.report
	srv := measuredServer(rep)
	if u.deps.Simulate == nil || srv == "" || !holds(cl, rep.Email) {
		return nil
	}
	key := cl.ID + "|" + cl.Version + "|" + srv
	if s.measured == nil {
		s.measured = map[string]*measurement{}
	}
	m := s.measured[key]
	if m == nil {
		m = &measurement{}
		s.measured[key] = m
		u.background(func() {
			cells, err := u.deps.Simulate(u.ctx, v, srv)
			u.do(func() {
				m.cells, m.err, m.done = cells, err, true
				s.render()
			})
		})
	}
	if !m.done {
		return []fyne.CanvasObject{wrapped(u.Tf("gui.agent.measuring", "server", srv))}
	}
	if m.err != nil {
		return []fyne.CanvasObject{wrapped(u.Tf("gui.agent.measure_failed", "server", srv, "error", m.err.Error()))}
	}
	if len(m.cells) == 0 {
		return nil
	}
	out := []fyne.CanvasObject{bold(u.Tf("gui.computer.measured", "client", cl.Name, "server", srv))}
	for _, c := range m.cells {
		out = append(out, wrapped("• "+compat.MeasuredText(c, u.tr.T)))
	}
	return out
}

// measurement is one program's handshakes against one server.
type measurement struct {
	cells []compat.MeasuredCell
	err   error
	done  bool
}
