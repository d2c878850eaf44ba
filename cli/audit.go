package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"

	"maildoctor.app/maildoctor/assets"
	"maildoctor.app/maildoctor/detect/compat"
	"maildoctor.app/maildoctor/fix/audit"
	"maildoctor.app/maildoctor/i18n"
)

const auditUsage = `  maildoctor audit [FILE...] [--format text|csv|json|html] [--with-ips] [--imap HOST[:PORT]]
                         [--pop3 HOST[:PORT]] [--smtp HOST[:PORT]] [--lang it|en]`

type auditFlags struct {
	format, lang     string
	withIPs          bool
	imap, pop3, smtp string
}

func parseAudit(args []string) (auditFlags, []string, error) {
	var f auditFlags
	fs := flag.NewFlagSet("audit", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&f.format, "format", "text", "")
	fs.StringVar(&f.lang, "lang", "", "")
	fs.BoolVar(&f.withIPs, "with-ips", false, "")
	fs.StringVar(&f.imap, "imap", "", "")
	fs.StringVar(&f.pop3, "pop3", "", "")
	fs.StringVar(&f.smtp, "smtp", "", "")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return f, nil, err
	}
	ok := false
	for _, x := range audit.Formats() {
		ok = ok || x == f.format
	}
	if !ok {
		return f, nil, usagef("--format must be one of %s", strings.Join(audit.Formats(), ", "))
	}
	for _, s := range []struct {
		flag string
		v    *string
		port int
	}{{"--imap", &f.imap, 993}, {"--pop3", &f.pop3, 995}, {"--smtp", &f.smtp, 465}} {
		hp, err := withPort(*s.v, s.port)
		if err != nil {
			return f, nil, usagef("%s: %v", s.flag, err)
		}
		*s.v = hp
	}
	return f, files, nil
}

// withPort adds the implicit-TLS port to a bare host.
func withPort(v string, port int) (string, error) {
	if v == "" {
		return "", nil
	}
	if h, p, err := net.SplitHostPort(v); err == nil {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 || h == "" {
			return "", fmt.Errorf("%q is not HOST[:PORT]", v)
		}
		return v, nil
	}
	if strings.ContainsAny(v, ":/ ") {
		return "", fmt.Errorf("%q is not HOST[:PORT]", v)
	}
	return net.JoinHostPort(v, strconv.Itoa(port)), nil
}

func runAudit(ctx context.Context, args []string, env Env) error {
	f, files, err := parseAudit(args)
	if err != nil {
		return err
	}
	tr, err := translator(f.lang, env)
	if err != nil {
		return err
	}
	a := audit.New(audit.Options{WithIPs: f.withIPs})
	if len(files) == 0 {
		if env.Stdin == nil {
			return usagef("no FILE and no standard input")
		}
		if err := readAudit(a, env.Stdin, "stdin"); err != nil {
			return err
		}
	}
	for _, name := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := readAuditFile(a, name); err != nil {
			return err
		}
	}
	st := a.Stats()
	for _, w := range st.Warnings {
		fmt.Fprintf(env.Stderr, "%s audit: warning: %s\n", env.program(), one(w))
	}
	if st.MoreWarnings > 0 {
		fmt.Fprintf(env.Stderr, "%s audit: warning: %d more warnings\n", env.program(), st.MoreWarnings)
	}
	if st.Logins == 0 {
		fmt.Fprintf(env.Stderr, "%s audit: warning: no Dovecot or Postfix login line in %d lines\n", env.program(), st.Lines)
	}
	kb, err := compat.Builtin()
	if err != nil {
		return err
	}
	cat, err := i18n.Load(assets.Translations, "translation")
	if err != nil {
		return err
	}
	trs := map[string]audit.Translator{"it": cat.For("it"), "en": cat.For("en")}
	servers := audit.Servers{IMAP: f.imap, POP3: f.pop3, SMTP: f.smtp}
	rows := audit.Report(a.Mailboxes(), kb, trs, tr.Lang(), servers)
	switch f.format {
	case "csv":
		err = audit.WriteCSV(env.Stdout, rows)
	case "json":
		err = audit.WriteJSON(jsonOut(env.Stdout), rows, st)
	case "html":
		err = audit.WriteHTML(env.Stdout, rows, st, tr, tr.Lang(), f.withIPs)
	default:
		err = audit.WriteSummary(env.Stdout, rows, st, tr)
	}
	if err != nil {
		return err
	}
	for _, r := range rows {
		if r.Class != audit.ClassOK && r.Class != audit.ClassUnknown {
			return errProblems
		}
	}
	return nil
}

func readAuditFile(a *audit.Auditor, name string) error {
	fh, err := os.Open(name)
	if err != nil {
		return usagef("%v", err)
	}
	defer fh.Close()
	if st, err := fh.Stat(); err == nil && st.IsDir() {
		return usagef("%s is a directory", name)
	}
	return readAudit(a, fh, name)
}

func readAudit(a *audit.Auditor, r io.Reader, name string) error {
	err := a.Read(r, name)
	if errors.Is(err, audit.ErrNotLog) {
		return usagef("%v", err)
	}
	if err != nil {
		return usagef("%s: %v", name, err)
	}
	return nil
}
