package cli

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"maildoctor.app/maildoctor/detect/check"
	"maildoctor.app/maildoctor/detect/compat"
	"maildoctor.app/maildoctor/detect/probe"
	"maildoctor.app/maildoctor/i18n"
	"maildoctor.app/maildoctor/internal/safetext"
)

// simulatedProfile is one client family's hello against every endpoint
// of the check that agreed TLS ("check --simulate").
type simulatedProfile struct {
	Profile  string         `json:"profile"`
	Name     string         `json:"name"`
	Measured []measuredJSON `json:"measured"`
}

// simulateCheck runs after the check, on the endpoints where it agreed
// TLS, so a check without --simulate is not slowed; Simulate holds no
// password, only hellos are sent.
func simulateCheck(ctx context.Context, rep *check.Report, resolve map[string]string, timeout time.Duration) ([]simulatedProfile, error) {
	all, err := compat.Handshakes()
	if err != nil {
		return nil, err
	}
	cps := make([]probe.ClientProfile, 0, len(all))
	for _, p := range all {
		cps = append(cps, p.Client())
	}
	var eps []*probe.Result
	for _, r := range rep.Endpoints {
		if r.Reachable && r.TLS != nil && r.TLS.Negotiated != "" {
			eps = append(eps, r)
		}
	}
	per := make([][]probe.Measured, len(eps))
	var wg sync.WaitGroup
	for i, r := range eps {
		wg.Add(1)
		go func(i int, r *probe.Result) {
			defer wg.Done()
			per[i] = probe.Simulate(ctx, r.Endpoint, cps, probe.Options{Resolve: resolve, Timeout: timeout})
		}(i, r)
	}
	wg.Wait()
	out := make([]simulatedProfile, len(all))
	for j, p := range all {
		out[j] = simulatedProfile{Profile: p.ID, Name: p.Name, Measured: []measuredJSON{}}
		for i := range eps {
			out[j].Measured = append(out[j].Measured, measuredOf(p.Name, per[i][j]))
		}
	}
	return out, nil
}

// renderSimulated writes one line per client family: where it connects
// and where not, and why; one phrase when every server answered alike.
func renderSimulated(w io.Writer, sims []simulatedProfile, tr i18n.Translator) {
	fmt.Fprintln(w)
	fmt.Fprintln(w, tr.T("check.simulate.section", nil))
	for _, s := range sims {
		fmt.Fprintln(w, "  - "+safetext.Line(s.Name+": "+simulatedLine(s.Measured, tr)))
	}
}

func simulatedLine(ms []measuredJSON, tr i18n.Translator) string {
	if len(ms) == 0 {
		return tr.T("check.simulate.none", nil)
	}
	reason := func(m measuredJSON) string {
		return strings.TrimSuffix(tr.T("compat.measured.reason."+m.Reason, map[string]string{"alert": m.Alert}), ".")
	}
	alike := true
	for _, m := range ms[1:] {
		if m.Connects != ms[0].Connects || m.Version != ms[0].Version || m.Reason != ms[0].Reason {
			alike = false
		}
	}
	n := strconv.Itoa(len(ms))
	switch {
	case alike && ms[0].Connects:
		return tr.T("check.simulate.connects_all", map[string]string{"n": n, "version": ms[0].Version})
	case alike:
		return tr.T("check.simulate.fails_all", map[string]string{"n": n, "reason": reason(ms[0])})
	}
	var parts []string
	for _, m := range ms {
		args := map[string]string{"endpoint": m.Endpoint, "version": m.Version}
		if m.Connects {
			parts = append(parts, tr.T("check.simulate.connects", args))
			continue
		}
		args["reason"] = reason(m)
		parts = append(parts, tr.T("check.simulate.fails", args))
	}
	return strings.Join(parts, "; ")
}
