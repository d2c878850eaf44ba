package compat_test

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"maildoctor.app/maildoctor/assets"
	"maildoctor.app/maildoctor/detect/compat"
	"maildoctor.app/maildoctor/detect/system"
	"maildoctor.app/maildoctor/fix/apply"
	"maildoctor.app/maildoctor/fix/export"
	"maildoctor.app/maildoctor/i18n"
)

// regValues reads a REGEDIT4 file's DWORDs: key → value name → number.
func regValues(t *testing.T, file string) map[string]map[string]uint64 {
	t.Helper()
	out := map[string]map[string]uint64{}
	key := ""
	dword := regexp.MustCompile(`^"([^"]+)"=dword:([0-9a-fA-F]{8})$`)
	for _, line := range strings.Split(strings.ReplaceAll(file, "\r\n", "\n"), "\n") {
		switch {
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			key = line[1 : len(line)-1]
			out[key] = map[string]uint64{}
		case dword.MatchString(line):
			m := dword.FindStringSubmatch(line)
			n, err := strconv.ParseUint(m[2], 16, 32)
			if err != nil {
				t.Fatal(err)
			}
			out[key][m[1]] = n
		}
	}
	return out
}

// The Windows 7 TLS 1.2 switch says and writes one thing everywhere: the
// .reg file (fix --export reg), fix --enable-tls12 (fix/apply, dry run on a
// 64-bit registry) and compat's steps in both languages name the same keys
// and the same values, and compat puts the step mail needs first.
func TestWindowsTLS12OneAnswer(t *testing.T) {
	reg := regValues(t, string(export.Reg()))

	mem := apply.NewMemRegistry()
	mem.Set(system.LocalMachine, `SOFTWARE\Wow6432Node\Microsoft`, "x", system.DWORD(1))
	res, err := apply.EnableTLS12(apply.Options{Registry: mem, DryRun: true, BackupDir: filepath.Join(t.TempDir(), "b")})
	if err != nil {
		t.Fatal(err)
	}
	applied := map[string]map[string]uint64{}
	for _, c := range res.Changes {
		i := strings.LastIndex(c.Key, " ")
		n, err := strconv.ParseUint(c.To, 10, 32)
		if err != nil {
			t.Fatalf("%s = %q", c.Key, c.To)
		}
		if applied[c.Key[:i]] == nil {
			applied[c.Key[:i]] = map[string]uint64{}
		}
		applied[c.Key[:i]][c.Key[i+1:]] = n
	}
	if fmt.Sprint(applied) != fmt.Sprint(reg) {
		t.Errorf("fix --enable-tls12 writes\n%v\nthe .reg file holds\n%v", applied, reg)
	}

	kb, err := compat.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	v, err := kb.Evaluate(compat.Query{OS: "windows-7", Client: "outlook-2010", ServerMinTLS: "1.2"})
	if err != nil {
		t.Fatal(err)
	}
	cat, err := i18n.Load(assets.Translations, "translation")
	if err != nil {
		t.Fatal(err)
	}
	short := func(k string) string { return strings.Replace(k, `HKEY_LOCAL_MACHINE\`, `HKLM\`, 1) }
	for _, lang := range []string{"it", "en"} {
		var steps []string
		for _, a := range v.Actions {
			steps = append(steps, cat.For(lang).T(a.Key, a.Args))
		}
		if len(steps) == 0 || !strings.Contains(steps[0], short(fmt.Sprintf(compat.SChannelClientKey, "TLS 1.2"))) {
			t.Fatalf("%s: the first step is not the SChannel key mail needs: %q", lang, steps)
		}
		text := strings.Join(steps, "\n")
		for key, vals := range reg {
			if !strings.Contains(key, "TLS 1.2") && !strings.Contains(key, "WinHttp") {
				continue // TLS 1.1: not asked for by a TLS 1.2 server
			}
			if !strings.Contains(text, short(key)) {
				t.Errorf("%s: the steps do not name %s", lang, short(key))
			}
			for name, n := range vals {
				want := fmt.Sprintf("%s = %d", name, n)
				if name == "DefaultSecureProtocols" {
					want = fmt.Sprintf("%s = 0x%X", name, n)
				}
				if !strings.Contains(text, want) {
					t.Errorf("%s: the steps do not say %q (the .reg's value):\n%s", lang, want, text)
				}
			}
		}
		if kbAt, schannelAt := strings.Index(text, "KB3140245"), strings.Index(text, "SCHANNEL"); kbAt < schannelAt {
			t.Errorf("%s: KB3140245 comes before the SChannel step", lang)
		}
	}
}
