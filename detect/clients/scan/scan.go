// Package scan describes a whole computer: the operating system and its
// TLS stack (detect/system) and every mail client with its accounts and
// their findings (the readers under detect/clients). It is what
// `maildoctor detect` prints and what the app's "This computer" screen
// shows.
package scan

import (
	"context"
	"fmt"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/clients/apple"
	"maildoctor.app/maildoctor/detect/clients/linuxmail"
	"maildoctor.app/maildoctor/detect/clients/outlook"
	"maildoctor.app/maildoctor/detect/clients/thunderbird"
	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/system"
)

// Report is a description of one computer.
type Report struct {
	OS      *system.Info     `json:"os"`
	Clients []clients.Client `json:"clients"`
	// Findings are about detection itself (a reader that failed).
	Findings  []finding.Finding `json:"findings,omitempty"`
	ElapsedMS int64             `json:"elapsed_ms"`
}

// Options tune Computer. The zero value uses the embedded provider
// profile.
type Options struct {
	// Profiles are the provider profiles whose hosts accounts are checked
	// against; nil means the embedded default profile.
	Profiles []*discover.Profile
}

// DefaultProfiles parses the embedded provider profile.
func DefaultProfiles() []*discover.Profile {
	p, err := discover.BuiltinProfile()
	if err != nil {
		return nil
	}
	return []*discover.Profile{p}
}

// Computer describes the computer p. It never fails: what cannot be read
// becomes a finding.
func Computer(ctx context.Context, p *system.Platform, opt Options) *Report {
	start := time.Now()
	rep := &Report{Clients: []clients.Client{}}
	if opt.Profiles == nil {
		opt.Profiles = DefaultProfiles()
	}
	osDone := make(chan *system.Info, 1)
	go func() {
		var info *system.Info
		guard(&rep.Findings, "system", func() { info = system.Detect(p) })
		if info == nil {
			info = &system.Info{Family: p.GOOS, Name: p.GOOS}
		}
		osDone <- info
	}()
	var found []finding.Finding
	rep.Clients = Clients(ctx, p, opt, &found)
	rep.OS = <-osDone
	rep.Findings = append(rep.Findings, found...)
	rep.ElapsedMS = time.Since(start).Milliseconds()
	return rep
}

// Clients finds every mail client on p, marks the default and the running
// ones, and assesses their accounts. Readers that panic are reported in
// problems instead of stopping detection.
func Clients(ctx context.Context, p *system.Platform, opt Options, problems *[]finding.Finding) []clients.Client {
	var out []clients.Client
	run := func(name string, f func() []clients.Client) {
		guard(problems, name, func() { out = append(out, f()...) })
	}
	run("thunderbird", func() []clients.Client { return thunderbird.Detect(p) })
	switch p.GOOS {
	case "windows":
		run("outlook", func() []clients.Client { return outlook.Detect(p) })
		run("linuxmail", func() []clients.Client { return linuxmail.Detect(ctx, p) })
		guard(problems, "default", func() { markDefault(out, outlook.DefaultMailClient(p.Registry)) })
	case "darwin":
		run("apple", func() []clients.Client { return apple.Detect(p) })
	default:
		run("linuxmail", func() []clients.Client { return linuxmail.Detect(ctx, p) })
	}
	markRunning(p, out)
	for i := range out {
		clients.Assess(&out[i], opt.Profiles)
		if out[i].Accounts == nil {
			out[i].Accounts = []clients.Account{}
		}
		if out[i].Findings == nil {
			out[i].Findings = []finding.Finding{}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Default && !out[j].Default })
	if out == nil {
		out = []clients.Client{}
	}
	return out
}

// guard runs f and turns a panic into a detect.failed finding.
func guard(problems *[]finding.Finding, what string, f func()) {
	defer func() {
		if r := recover(); r != nil {
			stack := string(debug.Stack())
			if len(stack) > 2000 {
				stack = stack[:2000]
			}
			*problems = append(*problems, finding.New(finding.DetectFailed, finding.Info, "", "what", what).
				WithEvidence(fmt.Sprintf("%v\n%s", r, stack)))
		}
	}()
	f()
}

func markDefault(cs []clients.Client, id string) {
	if id == "" {
		return
	}
	for i := range cs {
		if cs[i].ID == id {
			cs[i].Default = true
			return
		}
	}
}

// processNames are the executables of each client, as the process list
// shows them.
var processNames = map[string][]string{
	clients.Thunderbird:    {"thunderbird", "thunderbird-bin", "thunderbird.exe"},
	clients.Outlook:        {"OUTLOOK.EXE"},
	clients.NewOutlook:     {"olk.exe"},
	clients.WindowsLive:    {"wlmail.exe"},
	clients.WindowsMail:    {"WinMail.exe"},
	clients.OutlookExpress: {"msimn.exe"},
	clients.EMClient:       {"MailClient.exe", "eM Client"},
	clients.Mailbird:       {"Mailbird.exe"},
	clients.TheBat:         {"thebat.exe", "thebat64.exe"},
	clients.AppleMail:      {"Mail"},
	clients.OutlookMac:     {"Microsoft Outlook"},
	clients.Evolution:      {"evolution"},
	clients.KMail:          {"kmail"},
	clients.ClawsMail:      {"claws-mail", "claws-mail.exe"},
	clients.Geary:          {"geary"},
	clients.Mutt:           {"mutt"},
	clients.NeoMutt:        {"neomutt"},
}

// markRunning reads the process list once and sets Client.Running.
func markRunning(p *system.Platform, cs []clients.Client) {
	if p.Processes == nil || len(cs) == 0 {
		return
	}
	procs, err := p.Processes()
	if err != nil {
		return
	}
	names := map[string]bool{}
	for _, pr := range procs {
		names[strings.TrimSuffix(strings.ToLower(pr.Name), ".exe")] = true
	}
	for i := range cs {
		want, ok := processNames[cs[i].ID]
		if !ok {
			continue
		}
		running := false
		for _, n := range want {
			if names[strings.TrimSuffix(strings.ToLower(n), ".exe")] {
				running = true
			}
		}
		cs[i].Running = &running
	}
}

// Worst is the highest severity in the whole report.
func (r *Report) Worst() finding.Severity {
	w := finding.Worst(r.Findings)
	if r.OS != nil {
		if s := finding.Worst(r.OS.Findings); s.Rank() > w.Rank() {
			w = s
		}
	}
	for i := range r.Clients {
		if s := r.Clients[i].Worst(); s.Rank() > w.Rank() {
			w = s
		}
	}
	return w
}

// Localize fills in every finding's title and detail.
func (r *Report) Localize(tr finding.Translator) {
	finding.Localize(r.Findings, tr)
	if r.OS != nil {
		finding.Localize(r.OS.Findings, tr)
	}
	for i := range r.Clients {
		c := &r.Clients[i]
		finding.Localize(c.Findings, tr)
		for j := range c.Accounts {
			finding.Localize(c.Accounts[j].Findings, tr)
		}
	}
}
