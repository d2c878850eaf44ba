package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"regexp"
	"strings"
	"time"

	"maildoctor.app/maildoctor/detect/check"
	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/detect/trust"
)

// checkFlags are the flags of "maildoctor check".
type checkFlags struct {
	passwordStdin bool
	askPassword   bool
	manual        map[server.Protocol]string
	resolve       map[string]string
	profile       string
	// trustHosts are --trust-host: hosts the user confirms may be given
	// the password although no trust rule covers them.
	trustHosts hostList
	timeout    time.Duration
	deadline   time.Duration
	json       bool
	lang       string
	// code adds a support code: the last line of the human output, the
	// "support_code" field of the JSON (so stdout stays one JSON object).
	code bool
	// simulate adds each client family's own handshake with the
	// endpoints that agreed TLS, after the check (cli/compat_measured_check.go).
	simulate bool
}

// maxTimeout and maxDeadline keep a typo like --timeout 10h from freezing
// a check.
const (
	maxTimeout  = 5 * time.Minute
	maxDeadline = 30 * time.Minute
)

func parseCheck(args []string) (email string, f checkFlags, err error) {
	f = checkFlags{manual: map[server.Protocol]string{}, resolve: map[string]string{}}
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.BoolVar(&f.passwordStdin, "password-stdin", false, "")
	fs.BoolVar(&f.askPassword, "ask-password", false, "")
	for _, p := range server.Protocols {
		fs.Var(hostFlag{f.manual, p}, string(p), "")
	}
	fs.Var(resolveFlag(f.resolve), "resolve", "")
	fs.StringVar(&f.profile, "profile", "", "")
	fs.Var(&f.trustHosts, "trust-host", "")
	fs.DurationVar(&f.timeout, "timeout", 10*time.Second, "")
	fs.DurationVar(&f.deadline, "deadline", check.DefaultDeadline, "")
	fs.BoolVar(&f.json, "json", false, "")
	fs.StringVar(&f.lang, "lang", "", "")
	fs.BoolVar(&f.code, "code", false, "")
	fs.BoolVar(&f.simulate, "simulate", false, "")
	positional, err := parseInterspersed(fs, args)
	if err != nil {
		return "", f, err
	}
	switch {
	case len(positional) == 0:
		return "", f, usagef("missing the e-mail address to check")
	case len(positional) > 1:
		return "", f, usagef("one e-mail address at a time (got %q)", strings.Join(positional, " "))
	case f.timeout <= 0 || f.timeout > maxTimeout:
		return "", f, usagef("--timeout must be between 1ms and %v", maxTimeout)
	case f.deadline <= 0 || f.deadline > maxDeadline:
		return "", f, usagef("--deadline must be between 1ms and %v", maxDeadline)
	case f.passwordStdin && f.askPassword:
		return "", f, usagef("use either --password-stdin or --ask-password")
	}
	if _, _, err := discover.SplitAddress(positional[0]); err != nil {
		return "", f, usagef("%v", err)
	}
	return positional[0], f, nil
}

// flagError rewrites the flag package's "-imap" as the "--imap" users
// type and the documentation shows.
func flagError(err error) string {
	return singleDash.ReplaceAllString(err.Error(), "$1--$2")
}

var singleDash = regexp.MustCompile(`(^|[ :])-([a-z])`)

// hostFlag is --imap/--pop3/--smtp HOST[:PORT].
type hostFlag struct {
	m map[server.Protocol]string
	p server.Protocol
}

func (h hostFlag) String() string { return "" }

// hostList is a repeatable flag of bare host names (no port, no path), kept in discover.CanonicalHost form.
type hostList []string

func (l *hostList) String() string { return strings.Join(*l, ",") }
func (l *hostList) Set(v string) error {
	h, err := discover.CanonicalHost(v)
	if err != nil || strings.ContainsAny(v, ":/") {
		return fmt.Errorf("%q is not a host name", v)
	}
	*l = append(*l, h)
	return nil
}
func (h hostFlag) Set(v string) error {
	if _, _, err := server.ParseHostPort(v); err != nil {
		return err
	}
	h.m[h.p] = v
	return nil
}

// resolveFlag is --resolve HOST:ADDR, repeatable, as curl's but without a
// port: the address serves every port of the host.
type resolveFlag map[string]string

func (r resolveFlag) String() string { return "" }
func (r resolveFlag) Set(v string) error {
	i := strings.IndexByte(v, ':')
	if i <= 0 || i == len(v)-1 {
		return fmt.Errorf("%q is not HOST:ADDR", v)
	}
	host, addr := strings.ToLower(strings.TrimSuffix(v[:i], ".")), strings.Trim(v[i+1:], "[]")
	if net.ParseIP(addr) == nil {
		return fmt.Errorf("%q is not an IP address", addr)
	}
	r[host] = addr
	return nil
}

func runCheck(ctx context.Context, args []string, env Env) error {
	email, f, err := parseCheck(args)
	if err != nil {
		return err
	}
	tr, err := translator(f.lang, env)
	if err != nil {
		return err
	}
	password, err := readPassword(f, env, tr.T("cli.password.prompt", nil))
	if err != nil {
		return err
	}
	profiles, err := loadProfiles(ctx, f.profile)
	if err != nil {
		return err
	}
	rep, err := check.Run(ctx, check.Options{
		Email:    email,
		Password: password,
		Manual:   f.manual,
		Resolve:  f.resolve,
		Profiles: profiles,
		Trust: trust.Policy{
			Provider:  profiles[0],
			Typed:     manualHosts(f.manual),
			Confirmed: f.trustHosts,
		},
		Timeout:  f.timeout,
		Deadline: f.deadline,
	})
	if err != nil {
		return usagef("%v", err)
	}
	var code string
	if f.code {
		if code, err = supportCode(rep, password, tr); err != nil {
			return err
		}
	}
	finding.Localize(rep.Findings, tr)
	var sims []simulatedProfile
	if f.simulate {
		if sims, err = simulateCheck(ctx, rep, f.resolve, f.timeout); err != nil {
			return err
		}
	}
	if f.json {
		enc := json.NewEncoder(jsonOut(env.Stdout))
		enc.SetIndent("", "  ")
		out := struct {
			*check.Report
			Simulated   []simulatedProfile `json:"simulated,omitempty"`
			SupportCode string             `json:"support_code,omitempty"`
		}{rep, sims, code}
		if err := enc.Encode(out); err != nil {
			return err
		}
	} else {
		renderCheck(env.Stdout, rep, tr)
		if f.simulate {
			renderSimulated(env.Stdout, sims, tr)
		}
		if code != "" {
			fmt.Fprintln(env.Stdout)
			fmt.Fprintln(env.Stdout, tr.T("report.code.label", nil))
			fmt.Fprintln(env.Stdout, code)
		}
	}
	if rep.Verdict == check.VerdictFail {
		return errProblems
	}
	return nil
}

// manualHosts are the hosts of --imap/--pop3/--smtp: typed by the user,
// so trusted with the password.
func manualHosts(m map[server.Protocol]string) []string {
	var out []string
	for _, v := range m {
		if h, _, err := server.ParseHostPort(v); err == nil {
			out = append(out, h)
		}
	}
	return out
}

// readPassword takes the first line of stdin (--password-stdin) or asks
// on the terminal. Spaces are kept: they are part of what the user typed,
// and the check warns about them.
func readPassword(f checkFlags, env Env, prompt string) (*string, error) {
	switch {
	case f.passwordStdin:
		line, err := bufio.NewReaderSize(env.Stdin, 4096).ReadString('\n')
		if err != nil && err != io.EOF {
			return nil, usagef("reading the password from stdin: %v", err)
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			return nil, usagef("--password-stdin: the first line of stdin is empty")
		}
		return &line, nil
	case f.askPassword:
		if env.ReadPassword == nil {
			return nil, usagef("--ask-password needs a terminal; use --password-stdin")
		}
		p, err := env.ReadPassword(prompt)
		if err != nil {
			return nil, usagef("reading the password: %v", err)
		}
		if p == "" {
			return nil, usagef("empty password")
		}
		return &p, nil
	}
	return nil, nil
}

// builtinOf is the built-in profile of a loadProfiles list: its first.
func builtinOf(profiles []*discover.Profile) *discover.Profile {
	if len(profiles) == 0 {
		return nil
	}
	return profiles[0]
}

// loadProfiles returns the built-in profile and, after it (so it wins),
// the one given with --profile.
func loadProfiles(ctx context.Context, src string) ([]*discover.Profile, error) {
	def, err := discover.BuiltinProfile()
	if err != nil {
		return nil, err
	}
	out := []*discover.Profile{def}
	if src == "" {
		return out, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	p, err := discover.LoadProfile(ctx, src, nil)
	if err != nil {
		return nil, usagef("--profile: %v", err)
	}
	return append(out, p), nil
}
