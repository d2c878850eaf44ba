package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/clients/scan"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/system"
	"maildoctor.app/maildoctor/i18n"
)

// detectPlatform is the computer "maildoctor detect" describes; tests
// replace it with fixtures.
var detectPlatform = system.Host

type detectFlags struct {
	json bool
	lang string
}

func parseDetect(args []string) (detectFlags, error) {
	var f detectFlags
	fs := flag.NewFlagSet("detect", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.BoolVar(&f.json, "json", false, "")
	fs.StringVar(&f.lang, "lang", "", "")
	if err := fs.Parse(args); err != nil {
		return f, usagef("%s", flagError(err))
	}
	switch {
	case fs.NArg() > 0:
		return f, usagef("unexpected argument %q (usage: maildoctor detect [--json] [--lang it|en])", fs.Arg(0))
	}
	return f, nil
}

// runDetect is "maildoctor detect [--json] [--lang it|en]": this computer,
// its TLS stack, its mail clients and their accounts. Exit 1 when a
// finding is a failure.
func runDetect(ctx context.Context, args []string, env Env) error {
	f, err := parseDetect(args)
	if err != nil {
		return err
	}
	tr, err := translator(f.lang, env)
	if err != nil {
		return err
	}
	rep := scan.Computer(ctx, detectPlatform(), scan.Options{})
	rep.Localize(tr)
	if f.json {
		enc := json.NewEncoder(jsonOut(env.Stdout))
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		renderDetect(env.Stdout, rep, tr)
	}
	if rep.Worst() == finding.Fail {
		return errProblems
	}
	return nil
}

// renderDetect writes the human report: the system and its TLS, then each
// client with its accounts, each account's settings and what to change.
// Names, paths, addresses and hosts come from the system and the mail
// programs' files: each is kept on its line (one), and Run's streams
// clean all of it.
func renderDetect(w io.Writer, rep *scan.Report, tr i18n.Translator) {
	t := func(key string, kv ...string) string {
		return tr.T(key, finding.Args(kv...))
	}
	fmt.Fprintln(w, t("detect.heading"))
	fmt.Fprintln(w)
	o := rep.OS
	osLine := o.Name
	// Windows without a DisplayVersion has only "6.1": the name says it all.
	if o.Version != "" && !strings.Contains(o.Name, o.Version) && !(o.Family == "windows" && strings.Contains(o.Version, ".")) {
		osLine += " " + o.Version
	}
	if o.ServicePack != "" {
		osLine += " " + o.ServicePack
	}
	switch {
	case o.Family == "linux" && o.Kernel != "":
		osLine += " (" + t("detect.kernel", "kernel", o.Kernel) + ")"
	case o.Build != "":
		osLine += " (" + t("detect.build", "build", o.Build) + ")"
	}
	fmt.Fprintln(w, t("detect.system", "os", one(osLine)))
	fmt.Fprintln(w, "  "+t("detect.tls", "versions", tlsLine(o.TLS, tr)))
	for _, s := range o.Stacks {
		name := s.Name
		if s.Version != "" {
			name += " " + s.Version
		}
		fmt.Fprintf(w, "    %s: %s\n", one(name), tlsLine(s.TLS, tr))
	}
	renderFindings(w, "  ", o.Findings)
	fmt.Fprintln(w)

	fmt.Fprintln(w, t("detect.clients"))
	if len(rep.Clients) == 0 {
		fmt.Fprintln(w, "  "+t("detect.no_clients"))
	}
	for i := range rep.Clients {
		renderClient(w, &rep.Clients[i], t)
	}
	renderFindings(w, "", rep.Findings)
	fmt.Fprintln(w)
	fmt.Fprintln(w, t("detect.verdict."+string(verdict(rep.Worst()))))
	fmt.Fprintln(w, t("detect.elapsed", "ms", strconv.FormatInt(rep.ElapsedMS, 10)))
}

func verdict(s finding.Severity) finding.Severity {
	if s == finding.Info {
		return finding.OK
	}
	return s
}

func tlsLine(t system.TLS, tr i18n.Translator) string {
	var parts []string
	for _, v := range system.Versions {
		parts = append(parts, "TLS "+v+" "+tr.T("detect.tls_state."+string(t.Get(v)), nil))
	}
	return strings.Join(parts, " · ")
}

func renderClient(w io.Writer, c *clients.Client, t func(string, ...string) string) {
	head := strings.TrimSpace(mark(c.Worst())) + " " + c.Name
	if c.Version != "" {
		head += " " + c.Version
	}
	var notes []string
	if c.Packaging != "" {
		notes = append(notes, c.Packaging)
	}
	if c.Default {
		notes = append(notes, t("detect.default_client"))
	}
	if c.Running != nil && *c.Running {
		notes = append(notes, t("detect.running"))
	}
	if len(notes) > 0 {
		head += " (" + strings.Join(notes, ", ") + ")"
	}
	fmt.Fprintln(w, "  "+one(head))
	if c.Path != "" {
		fmt.Fprintln(w, "       "+one(nativePath(c.Path)))
	}
	renderFindings(w, "     ", c.Findings)
	if len(c.Accounts) == 0 && !hasStoreFinding(c.Findings) {
		fmt.Fprintln(w, "       "+t("detect.no_accounts"))
	}
	for _, a := range c.Accounts {
		name := a.Email
		if name == "" {
			name = a.Name
		}
		if name == "" {
			name = t("detect.no_email")
		}
		fmt.Fprintf(w, "     %s %s\n", strings.TrimSpace(mark(finding.Worst(a.Findings))), one(name))
		if a.Managed() {
			fmt.Fprintln(w, "         "+t("detect.kind."+string(a.Kind)))
			continue
		}
		if a.Incoming != nil {
			fmt.Fprintln(w, "         "+serverLine(t("detect.incoming"), a.Incoming, t))
		}
		if a.Outgoing != nil {
			fmt.Fprintln(w, "         "+serverLine(t("detect.outgoing"), a.Outgoing, t))
		}
		renderFindings(w, "         ", a.Findings)
	}
}

func hasStoreFinding(fs []finding.Finding) bool {
	return finding.Has(fs, finding.ClientStoreUnreadable) || finding.Has(fs, finding.ClientStoreBroken)
}

func serverLine(label string, s *clients.Server, t func(string, ...string) string) string {
	line := fmt.Sprintf("%-9s %-4s %s  %s", label, s.Protocol.Name(), one(s.Addr()), t("security."+string(s.Security)))
	if s.PortDefault {
		line += "  " + t("detect.port_default")
	}
	return line
}

func renderFindings(w io.Writer, indent string, fs []finding.Finding) {
	for _, f := range fs {
		if f.Severity == finding.OK {
			continue
		}
		fmt.Fprintf(w, "%s%s %s\n", indent, strings.TrimSpace(mark(f.Severity)), one(f.Title))
		fmt.Fprintf(w, "%s     %s\n", indent, one(f.Detail))
	}
}
