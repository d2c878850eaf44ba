package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"maildoctor.app/maildoctor/detect/check"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/fix/report"
	"maildoctor.app/maildoctor/i18n"
)

// runReport is "maildoctor report CODE [--json] [--lang it|en]": it shows
// the report a customer's support code holds, in the agent's language.
// The code may come as several arguments (a shell splits a pasted,
// wrapped code at its line breaks) or, with "-", from stdin. Exit 1 when
// the report holds a failure, as for "check".
func runReport(ctx context.Context, args []string, env Env) error {
	parts, asJSON, lang, err := parseReport(args)
	if err != nil {
		return err
	}
	tr, err := translator(lang, env)
	if err != nil {
		return err
	}
	code := strings.Join(parts, "")
	if len(parts) == 1 && parts[0] == "-" {
		if code, err = readCode(env.Stdin); err != nil {
			return err
		}
	}
	rep, err := report.Decode(code)
	if err != nil {
		return usagef("%v", err)
	}
	if asJSON {
		err = report.WriteJSON(jsonOut(env.Stdout), rep, tr)
	} else {
		err = report.Render(env.Stdout, rep, tr)
	}
	if err != nil {
		return err
	}
	if reportFailed(rep) {
		return errProblems
	}
	return nil
}

func parseReport(args []string) (code []string, asJSON bool, lang string, err error) {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.BoolVar(&asJSON, "json", false, "")
	fs.StringVar(&lang, "lang", "", "")
	code, err = parseInterspersed(fs, args)
	if err != nil {
		return nil, false, "", err
	}
	switch {
	case len(code) == 0:
		return nil, false, "", usagef("missing the support code (maildoctor report CODE, or - to read it from stdin)")
	}
	return code, asJSON, lang, nil
}

// readCode reads a code from stdin, refusing more than any code could be.
func readCode(r io.Reader) (string, error) {
	if r == nil {
		return "", usagef("no stdin to read the support code from")
	}
	data, err := io.ReadAll(io.LimitReader(r, 2*report.MaxCodeLen+1))
	if err != nil {
		return "", usagef("reading the support code from stdin: %v", err)
	}
	return string(data), nil
}

func reportFailed(rep *report.Report) bool {
	if rep.Check != nil && rep.Check.Verdict == check.VerdictFail {
		return true
	}
	if rep.Computer != nil {
		for _, c := range rep.Computer.Clients {
			if finding.Worst(c.Findings) == finding.Fail {
				return true
			}
		}
	}
	return false
}

// supportCode builds the redacted report of a check and its code, for
// "check --code". The password is passed only to be scrubbed from
// anything a server may have echoed.
func supportCode(rep *check.Report, password *string, tr i18n.Translator) (string, error) {
	var secrets []string
	if password != nil {
		secrets = []string{*password}
	}
	r, err := report.Build(report.Input{
		App:     report.BuildVersion(),
		Lang:    tr.Lang(),
		Check:   rep,
		Timings: []report.Timing{{Name: "check", MS: rep.ElapsedMS}},
		Secrets: secrets,
	})
	if err != nil {
		return "", err
	}
	code, err := r.Code()
	if err != nil {
		return "", fmt.Errorf("support code: %w", err)
	}
	return code, nil
}
