package cli

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCompatExitCodes(t *testing.T) {
	cases := []struct {
		name string
		args []string
		code int
		want string // in stdout for 0/1, in stderr for 2
	}{
		{"works", []string{"--os", "Windows 10", "--client", "Outlook 2016"}, ExitOK, "it works"},
		{"works, flags in any form", []string{"--client=thunderbird", "--os=win xp"}, ExitOK, "52.9.1"},
		{"needs action", []string{"--os", "win7", "--client", "outlook 2k10"}, ExitProblems, "KB3140245"},
		{"unsupported", []string{"--os", "Windows XP", "--client", "Outlook Express"}, ExitProblems, "Thunderbird"},
		{"unknown", []string{"--os", "Windows 11", "--client", "Outlook 2016", "--server-tls", "1.3"}, ExitProblems, "without a test"},
		{"starttls closed", []string{"--os", "Windows 10", "--client", "Thunderbird", "--starttls-closed"}, ExitOK, "993"},
		{"unknown system", []string{"--os", "Symbian Belle"}, ExitUsage, "closest known: "},
		{"misspelt system", []string{"--os", "windoes vistta"}, ExitProblems, "Windows Vista"},
		{"unknown program", []string{"--client", "pine 4.64"}, ExitUsage, "closest known: "},
		{"version not in the data", []string{"--os", "android 0.5"}, ExitUsage, "Android"},
		{"which version", []string{"--client", "outlook"}, ExitUsage, "Outlook 2013"},
		{"program not on that system", []string{"--os", "macOS 14", "--client", "Outlook Express"}, ExitUsage, "does not run on"},
		{"nothing asked", nil, ExitUsage, "--os"},
		{"bad server tls", []string{"--os", "win10", "--server-tls", "1.1"}, ExitUsage, "--server-tls"},
		{"format without table", []string{"--os", "win10", "--format", "md"}, ExitUsage, "--format"},
		{"table with a query", []string{"--table", "--os", "win10"}, ExitUsage, "--table"},
		{"table with --json", []string{"--table", "--json"}, ExitUsage, "--format json"},
		{"bad format", []string{"--table", "--format", "pdf"}, ExitUsage, "--format"},
		{"bad lang", []string{"--os", "win10", "--lang", "de"}, ExitUsage, "--lang"},
		{"positional", []string{"windows 7"}, ExitUsage, "unexpected argument"},
		{"unknown flag", []string{"--frobnicate"}, ExitUsage, "--frobnicate"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := run(t, "", append([]string{"compat"}, c.args...)...)
			if code != c.code {
				t.Fatalf("exit = %d, want %d (stderr %q)", code, c.code, stderr)
			}
			if c.code == ExitUsage {
				if strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "maildoctor compat: ") || stdout != "" {
					t.Errorf("stderr = %q, stdout = %q: want one line on stderr only", stderr, stdout)
				}
				if !strings.Contains(stderr, c.want) {
					t.Errorf("stderr = %q, want %q", stderr, c.want)
				}
				return
			}
			if stderr != "" || !strings.Contains(stdout, c.want) {
				t.Errorf("stdout = %q (stderr %q), want %q", stdout, stderr, c.want)
			}
		})
	}
}

func TestCompatJSON(t *testing.T) {
	code, stdout, _ := run(t, "", "compat", "--os", "Windows 7 SP1", "--client", "Outlook 2010", "--json")
	if code != ExitProblems {
		t.Fatalf("exit = %d", code)
	}
	var out struct {
		OS      map[string]string `json:"os"`
		Client  map[string]string `json:"client"`
		TLS     map[string]string `json:"tls"`
		Verdict string            `json:"verdict"`
		Actions []struct {
			Kind, KB, Text string
		} `json:"actions"`
		Reasons []string `json:"reasons"`
		Sources []string `json:"sources"`
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if out.OS["id"] != "windows-7" || out.Client["id"] != "outlook" || out.Client["row"] != "outlook-2010" {
		t.Errorf("os %v, client %v", out.OS, out.Client)
	}
	if out.Verdict != "needs_action" || out.TLS["1.2"] != "off" || out.TLS["1.0"] != "default" || out.TLS["1.3"] != "no" {
		t.Errorf("verdict %s, tls %v", out.Verdict, out.TLS)
	}
	var kinds []string
	for _, a := range out.Actions {
		kinds = append(kinds, a.Kind+":"+a.KB)
		if a.Text == "" || strings.Contains(a.Text, "compat.") || strings.Contains(a.Text, "{{") {
			t.Errorf("action text %q is not rendered", a.Text)
		}
	}
	if got := strings.Join(kinds, ","); got != "registry:,update:KB3140245,registry:,client_update:" {
		t.Errorf("actions = %s", got)
	}
	if len(out.Reasons) == 0 || len(out.Sources) == 0 {
		t.Errorf("reasons %v, sources %v", out.Reasons, out.Sources)
	}
	// Every key of the contract is present, even when empty.
	var raw map[string]json.RawMessage
	_ = json.Unmarshal([]byte(stdout), &raw)
	for _, k := range []string{"os", "client", "tls", "verdict", "actions", "sources"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("no %q in the JSON", k)
		}
	}
	_, stdout, _ = run(t, "", "compat", "--os", "Android 10", "--json")
	if !strings.Contains(stdout, `"client": null`) || !strings.Contains(stdout, `"actions": []`) {
		t.Errorf("OS-only JSON: %s", stdout)
	}
}

func TestCompatItalian(t *testing.T) {
	_, stdout, _ := run(t, "", "compat", "--os", "windows sette", "--client", "outlook 2k10", "--lang", "it")
	for _, want := range []string{"Risultato: funziona dopo una modifica", "Nel registro di sistema", "KB3140245", "Cosa fare", "Fonti"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("no %q in\n%s", want, stdout)
		}
	}
	_, stdout, _ = run(t, "", "compat", "--os", "Windows XP", "--lang", "it")
	if !strings.Contains(stdout, "Usa un altro programma di posta") || !strings.Contains(stdout, "webmail") {
		t.Errorf("Italian way out missing:\n%s", stdout)
	}
}

func TestCompatTable(t *testing.T) {
	for _, format := range []string{"", "md", "csv", "json", "html"} {
		args := []string{"compat", "--table"}
		if format != "" {
			args = append(args, "--format", format)
		}
		code, stdout, stderr := run(t, "", args...)
		if code != ExitOK || stderr != "" || !strings.Contains(stdout, "windows-7") {
			t.Errorf("%s: exit %d, stderr %q, %d bytes", format, code, stderr, len(stdout))
		}
		if format == "html" && !strings.HasPrefix(stdout, "<!DOCTYPE html>") {
			t.Errorf("html does not start a page")
		}
	}
	_, en, _ := run(t, "", "compat", "--table", "--lang", "en")
	_, it, _ := run(t, "", "compat", "--table", "--lang", "it")
	if !strings.Contains(en, "## Mail programs") || !strings.Contains(it, "## Programmi di posta") {
		t.Errorf("table headings are not translated")
	}
}

// docs/compat.md is the published matrix: it must be what the command
// prints today. Regenerate it with "make docs".
func TestCompatDocsUpToDate(t *testing.T) {
	want, err := os.ReadFile(filepath.Join("..", "docs", "compat.md"))
	if err != nil {
		t.Fatalf("%v (run make docs)", err)
	}
	code, got, stderr := run(t, "", "compat", "--table", "--format", "md", "--lang", "en")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got != string(want) {
		t.Errorf("docs/compat.md is out of date: run make docs")
	}
}

// The whole command in-process: translations, the knowledge base, the
// match, the verdict and the text. Process start-up comes on top.
func BenchmarkCompatCommand(b *testing.B) {
	env := Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }}
	args := []string{"compat", "--os", "win7", "--client", "outlook 2k10"}
	for i := 0; i < b.N; i++ {
		if code := Run(context.Background(), args, env); code != ExitProblems {
			b.Fatalf("exit %d", code)
		}
	}
}

// What an agent reads (and may read out) has no repository paths, no English
// names inside Italian sentences, and no pointer to notes it is not shown.
func TestCompatReaderText(t *testing.T) {
	for _, lang := range []string{"it", "en"} {
		for _, q := range [][]string{{"--os", "windows 7", "--client", "outlook 2010"}, {"--os", "iphone ios 9"}, {"--os", "android 4.4", "--client", "gmail"}} {
			for _, asJSON := range []bool{false, true} {
				args := append([]string{"compat", "--lang", lang}, q...)
				if asJSON {
					args = append(args, "--json")
				}
				_, stdout, _ := run(t, "", args...)
				bad := []string{"shared/seeds", "shared/research", ".txt", "assets/compat", "the notes", "le note"}
				// The sources (and the JSON's notes, for agents) stay in
				// English; the sentences above them must not.
				sentences := stdout
				if i := strings.Index(stdout, "\nFonti\n"); i >= 0 {
					sentences = stdout[:i]
				}
				for _, b := range bad {
					if strings.Contains(stdout, b) {
						t.Errorf("%s %v json=%v: %q in the answer", lang, q, asJSON, b)
					}
				}
				if lang != "it" || asJSON {
					continue
				}
				for _, b := range []string{"classic, for Windows", "Gmail app", "and later", "and older", "not documented"} {
					if strings.Contains(sentences, b) {
						t.Errorf("%s %v json=%v: %q in the answer", lang, q, asJSON, b)
					}
				}
			}
		}
	}
}
