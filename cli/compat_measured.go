package cli

import (
	"context"
	"fmt"
	"io"

	"maildoctor.app/maildoctor/detect/compat"
	"maildoctor.app/maildoctor/detect/probe"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/i18n"
	"maildoctor.app/maildoctor/internal/safetext"
)

// measuredJSON is one handshake profile's outcome against --server.
type measuredJSON struct {
	Profile  string `json:"profile"`
	Name     string `json:"name"`
	Endpoint string `json:"endpoint"`
	Connects bool   `json:"connects"`
	Version  string `json:"version,omitempty"`
	Cipher   string `json:"cipher,omitempty"`
	Group    string `json:"group,omitempty"`
	// HelloRetry: the server asked for Group by a HelloRetryRequest (the
	// profile lists it without a share, as for X25519MLKEM768).
	HelloRetry bool   `json:"hello_retry,omitempty"`
	Reason     string `json:"reason,omitempty"`
	Alert      string `json:"alert,omitempty"`
}

// measuredOf is the JSON of one profile's outcome (name: the profile's).
func measuredOf(name string, m probe.Measured) measuredJSON {
	return measuredJSON{Profile: m.Profile, Name: name, Endpoint: m.Endpoint, Connects: m.Connects,
		Version: m.Version, Cipher: m.Cipher, Group: m.Group, HelloRetry: m.HelloRetry, Reason: m.Reason, Alert: m.Alert}
}

// compatEndpoint is --server HOST[:PORT] with --starttls.
func compatEndpoint(f compatFlags) (server.Endpoint, error) {
	ep, err := compat.MeasuredEndpoint(f.server, f.starttls)
	if err != nil {
		return server.Endpoint{}, usagef("--server: %v", err)
	}
	return ep, nil
}

// measureCompat simulates the verdict's handshake profiles against
// --server; nothing without --server. Only hellos are sent.
func measureCompat(ctx context.Context, v compat.Verdict, f compatFlags) ([]measuredJSON, error) {
	if f.server == "" {
		return nil, nil
	}
	ep, err := compatEndpoint(f)
	if err != nil {
		return nil, err
	}
	cells, err := compat.SimulateVerdictAt(ctx, v, ep, probe.Options{Resolve: f.resolve})
	if err != nil {
		return nil, err
	}
	out := []measuredJSON{}
	for _, c := range cells {
		out = append(out, measuredOf(c.Name, c.Measured))
	}
	return out, nil
}

// renderMeasured writes one sentence per profile.
func renderMeasured(w io.Writer, ms []measuredJSON, tr i18n.Translator) {
	if ms == nil {
		return
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, tr.T("compat.section.measured", nil))
	if len(ms) == 0 {
		fmt.Fprintln(w, "  "+tr.T("compat.measured.none", nil))
		return
	}
	for _, m := range ms {
		args := map[string]string{"name": m.Name, "endpoint": m.Endpoint, "version": m.Version, "cipher": m.Cipher, "alert": m.Alert, "group": m.Group}
		var line string
		switch {
		case m.Connects && m.HelloRetry:
			line = tr.T("compat.measured.connects_retry", args)
		case m.Connects:
			line = tr.T("compat.measured.connects", args)
		default:
			line = tr.T("compat.measured.fails", args) + " " + tr.T("compat.measured.reason."+m.Reason, args)
		}
		fmt.Fprintln(w, "  - "+safetext.Line(line))
	}
}

// writeMeasuredTable is "compat --table --server": the matrix's rows that
// have handshake profiles, each with the data's verdicts and what its
// profiles got from the server. Exit 1 when a profile does not connect.
func writeMeasuredTable(ctx context.Context, w io.Writer, kb *compat.KB, f compatFlags, format string, tr i18n.Translator) error {
	ep, err := compatEndpoint(f)
	if err != nil {
		return err
	}
	all, err := compat.Handshakes()
	if err != nil {
		return err
	}
	cps := make([]probe.ClientProfile, 0, len(all))
	for _, p := range all {
		cps = append(cps, p.Client())
	}
	ms := probe.Simulate(ctx, ep, cps, probe.Options{Resolve: f.resolve})
	rows := compat.MeasuredTable(kb.Table(), all, ms)
	if err := compat.WriteMeasuredTable(w, format, safetext.Line(f.server), safetext.Line(ep.Addr()), rows, tr.T); err != nil {
		return err
	}
	if !compat.AllConnect(rows) {
		return errProblems
	}
	return nil
}
