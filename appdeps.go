package main

import (
	"context"

	"maildoctor.app/maildoctor/detect/clients/scan"
	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/system"
	"maildoctor.app/maildoctor/fix/advise"
	"maildoctor.app/maildoctor/fix/apply"
	"maildoctor.app/maildoctor/fix/export"
	"maildoctor.app/maildoctor/fix/plan"
	"maildoctor.app/maildoctor/i18n"
)

// hostServices connect the app's screens to this computer: detection,
// plans, the automatic fix and the exports.
type hostServices struct {
	platform *system.Platform
	profiles []*discover.Profile
	tr       func() i18n.Translator
	// registry, backupDir and elevation are this computer's (nil, "",
	// zero); tests give a writable fake registry, a folder and a fake
	// Windows question (apptls12.go).
	registry  apply.Registry
	backupDir string
	elevation apply.Elevation
}

func (h *hostServices) computer(ctx context.Context) (*scan.Report, error) {
	return scan.Computer(ctx, h.platform, scan.Options{Profiles: h.profiles}), nil
}

func (h *hostServices) plan(ctx context.Context, req advise.Request) (*plan.Plan, error) {
	req.Profiles = h.profiles
	if len(h.profiles) > 0 {
		req.Builtin = h.profiles[0] // the built-in first (app.go)
	}
	return advise.Plan(ctx, req, advise.Options{})
}

func (h *hostServices) applyOptions() apply.Options {
	return apply.Options{Processes: h.platform.Processes, Registry: h.registry, BackupDir: h.backupDir}
}

func (h *hostServices) Apply(p *plan.Plan) (*apply.Result, error) {
	return apply.Plan(p, h.applyOptions())
}

func (h *hostServices) Undo(p *plan.Plan) (*apply.UndoResult, error) {
	if p.Current == nil {
		return nil, apply.ErrNotAutomatic
	}
	return apply.Undo(p.Card, *p.Current, h.applyOptions())
}

func (h *hostServices) Export(kind string, p *plan.Plan) ([]byte, string, error) {
	f, err := export.For(kind, p, h.tr())
	return f.Data, f.Name, err
}
