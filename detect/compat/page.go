package compat

import (
	"fmt"
	"html/template"
	"io"
	"sort"
	"strings"

	"maildoctor.app/maildoctor/detect/server"
)

// PageLang is one language of the published page: its code ("it", "en"),
// the name of the switch to it ("Italiano"), and its translations.
type PageLang struct {
	Code, Name string
	T          Translate
}

// WritePage writes compat.html, the page published next to the downloads:
// one self-contained file with every language in it (the first is shown by
// default, the others through #code, which works with scripts off), a
// system + program picker that gives the combined answer, a search box and
// the table with an anchor per row. The picker and the search need the
// small inline script; without it the page is the table.
func (kb *KB) WritePage(w io.Writer, langs []PageLang) error {
	if len(langs) == 0 {
		return fmt.Errorf("compat: the page needs at least one language")
	}
	answers, texts := kb.pageAnswers(langs)
	data := pageData{Default: langs[0].Code, Answers: answers}
	// The default language comes last: the CSS shows another one only when
	// it is the address's target, and "~" reaches only later siblings.
	for i := len(langs) - 1; i >= 0; i-- {
		data.Langs = append(data.Langs, kb.pageLang(langs, i))
	}
	data.Texts = texts
	return pageTemplate.Execute(w, data)
}

type pageData struct {
	Default string
	Langs   []pageLang
	Answers map[string]pageAnswer
	Texts   map[string][]string
}

type pageLang struct {
	Code, Prefix string
	Default      bool
	T            func(key string) string
	Others       []PageLang
	Systems      []pageGroup
	Programs     []pageGroup
	Sections     []pageSection
	TLS          []string
}

type pageGroup struct {
	Label   string
	Options []pageOption
}

type pageOption struct{ Value, Label string }

type pageSection struct {
	Caption string
	Rows    []pageRow
}

type pageRow struct {
	Anchor, Name, Versions, Keywords string
	Cells                            []pageCell
	Verdict12, Verdict13             pageCell
	SeedRow, SeedValues              string
	Notes                            string
	NotesLang                        string
	Sources                          []pageSource
}

type pageCell struct{ Text, Class string }

// pageSource is a source as a title and, when it has one, its public
// address (shown as a link).
type pageSource struct{ Title, URL string }

// pageAnswer is the combined answer for one system and program, as
// indexes into the page's texts: the verdict sentence, the reasons, and
// the steps in order.
type pageAnswer struct {
	Class   string `json:"c"`
	Verdict int    `json:"v"`
	Reasons []int  `json:"r"`
	Actions []int  `json:"a"`
}

func (kb *KB) pageLang(langs []PageLang, i int) pageLang {
	l := langs[i]
	tr := kb.localized(l.Code, l.T)
	pl := pageLang{Code: l.Code, Default: i == 0, TLS: TLSVersions(),
		T: func(key string) string { return tr(key, nil) }}
	if i > 0 {
		pl.Prefix = l.Code + "-"
	}
	for j, o := range langs {
		if j != i {
			pl.Others = append(pl.Others, o)
		}
	}
	for _, f := range kb.families {
		g := pageGroup{Label: kb.LocalName(f.Name, l.Code)}
		switch {
		case f.Kind == KindOS:
			for _, r := range f.Rows {
				g.Options = append(g.Options, pageOption{r.ID, kb.LocalName(r.Name, l.Code)})
			}
			pl.Systems = append(pl.Systems, g)
			continue
		case f.Axis == AxisOS || len(f.Rows) == 1:
			// Its version is the system's: one choice.
			g.Options = append(g.Options, pageOption{f.ID, kb.LocalName(f.Name, l.Code)})
		default:
			for _, r := range f.Rows {
				g.Options = append(g.Options, pageOption{r.ID, kb.LocalName(r.Name, l.Code)})
			}
		}
		pl.Programs = append(pl.Programs, g)
	}
	for s, sec := range sections(kb.Table()) {
		ps := pageSection{Caption: tr(sectionKeys[s], nil)}
		for _, r := range sec {
			ps.Rows = append(ps.Rows, kb.pageRow(r, pl.Prefix, l.Code, tr))
		}
		pl.Sections = append(pl.Sections, ps)
	}
	return pl
}

func (kb *KB) pageRow(t TableRow, prefix, lang string, tr Translate) pageRow {
	pr := pageRow{Anchor: prefix + t.ID, Name: kb.LocalName(t.Name, lang), Versions: t.Versions,
		Notes: t.Notes, NotesLang: "en",
		Verdict12: pageCell{VerdictCell(t, "1.2", tr), t.Verdict["1.2"]},
		Verdict13: pageCell{VerdictCell(t, "1.3", tr), t.Verdict["1.3"]}}
	if lang == "en" {
		pr.NotesLang = ""
	}
	if t.Versions == "*" {
		pr.Versions = ""
	}
	for _, v := range TLSVersions() {
		pr.Cells = append(pr.Cells, pageCell{Cell(t, v, tr), string(t.TLS[v])})
	}
	words := []string{t.Name, kb.LocalName(t.Name, lang), t.ID}
	if f := kb.byID[t.Family]; f != nil {
		words = append(words, f.Name)
		words = append(words, f.Names...)
		if r := kb.rows[t.ID]; r != nil {
			words = append(words, r.Names...)
		}
	}
	pr.Keywords = strings.ToLower(strings.Join(words, " "))
	if r := kb.rows[t.ID]; r != nil && r.Seed != nil {
		pr.SeedRow = r.Seed.Row
		if r.Seed.Claim == "" {
			pr.SeedValues = fmt.Sprintf("TLS 1.1 %s, TLS 1.2 %s", r.Seed.TLS11, r.Seed.TLS12)
		}
	}
	for _, s := range t.Sources {
		pr.Sources = append(pr.Sources, splitSource(s))
	}
	return pr
}

// pageAnswers evaluates every system with every program that runs on it
// (and with the system's own mail app), for a server that wants TLS 1.2 or
// newer. Texts are shared between answers: an answer holds indexes.
func (kb *KB) pageAnswers(langs []PageLang) (map[string]pageAnswer, map[string][]string) {
	texts := map[string][]string{}
	seen := map[string]int{}
	trs := make([]Translate, len(langs))
	for i, l := range langs {
		trs[i] = kb.localized(l.Code, l.T)
	}
	intern := func(key string, args map[string]string) int {
		id := key + "\x00" + argsKey(args)
		if n, ok := seen[id]; ok {
			return n
		}
		n := len(seen)
		seen[id] = n
		for i, l := range langs {
			texts[l.Code] = append(texts[l.Code], trs[i](key, args))
		}
		return n
	}
	answers := map[string]pageAnswer{}
	for _, of := range kb.families {
		if of.Kind != KindOS {
			continue
		}
		for _, o := range of.Rows {
			progs := []string{}
			if o.BuiltinClient != "" {
				progs = append(progs, ClientBuiltin)
			}
			for _, f := range kb.families {
				if f.Kind != KindClient || !f.runsOn(of.ID) {
					continue
				}
				if f.Axis == AxisOS || len(f.Rows) == 1 {
					progs = append(progs, f.ID)
					continue
				}
				for _, r := range f.Rows {
					progs = append(progs, r.ID)
				}
			}
			for _, p := range progs {
				v, err := kb.Evaluate(Query{OS: o.ID, Client: p, ServerMinTLS: server.TLS12.String()})
				if err != nil {
					// Not an answer: the page says the pair is not in the data.
					continue
				}
				key := "compat.verdict." + string(v.Verdict)
				if v.Verdict == Works && v.Discontinued != "" {
					key = "compat.verdict.works_discontinued"
				}
				a := pageAnswer{Class: string(v.Verdict), Verdict: intern(key, nil), Reasons: []int{}, Actions: []int{}}
				for _, r := range v.Reasons {
					a.Reasons = append(a.Reasons, intern(r.Key, r.Args))
				}
				for _, act := range v.Actions {
					a.Actions = append(a.Actions, intern(act.Key, act.Args))
				}
				answers[o.ID+"|"+p] = a
			}
		}
	}
	return answers, texts
}

func argsKey(args map[string]string) string {
	keys := make([]string, 0, len(args))
	for k := range args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k + "=" + args[k] + "\x00")
	}
	return b.String()
}

// splitSource takes a source's public address out of its text so that the
// page can link it: "Title (example.org/page)" or "Title, https://…".
func splitSource(s string) pageSource {
	for _, f := range strings.Fields(s) {
		u := strings.Trim(f, "()[]<>,;\"'")
		u = strings.TrimRight(u, ".")
		switch {
		case strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://"):
			return pageSource{Title: s, URL: u}
		case strings.Contains(u, ".") && strings.Contains(u, "/") && !strings.Contains(u, " ") &&
			hostLike(u[:strings.Index(u, "/")]):
			return pageSource{Title: s, URL: "https://" + u}
		}
	}
	return pageSource{Title: s}
}

// hostLike reports whether s reads as a host name (a dot, letters, no
// version-looking part such as "1.2/1.3").
func hostLike(s string) bool {
	if !strings.Contains(s, ".") {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-') {
			return false
		}
	}
	last := s[strings.LastIndex(s, ".")+1:]
	return len(last) >= 2 && strings.Trim(last, "0123456789") == last
}

var pageTemplate = template.Must(template.New("compat.html").Parse(pageHTML))
