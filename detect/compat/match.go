package compat

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// OS is a system as matched: its family, the row, and the version the
// text gave ("" when it named the row, as "Windows 7" does).
type OS struct {
	Family  string `json:"family"`
	ID      string `json:"id"`
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
}

// Client is a mail program as matched. ID is the client id ("outlook");
// Row is the version row ("outlook-2010"), "" when the text gave no version
// and the system decides (Apple Mail) or the newest is assumed.
type Client struct {
	ID      string `json:"id"`
	Row     string `json:"row,omitempty"`
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
}

// Ref is what Query.OS takes for this system.
func (o OS) Ref() string { return o.ID }

// Ref is what Query.Client takes for this program: the row when the text
// chose one, else the client id.
func (c Client) Ref() string {
	if c.Row != "" {
		return c.Row
	}
	return c.ID
}

// mailWords name mail itself; builtinWords may stand around them in "the
// built-in mail app", "l'app Mail", "posta elettronica", "client di posta".
var (
	mailWords    = map[string]bool{"mail": true, "email": true, "posta": true, "mails": true, "emails": true}
	builtinWords = map[string]bool{
		"app": true, "apps": true, "application": true, "applicazione": true, "l": true, "elettronica": true,
		"client": true, "programma": true, "program": true, "default": true, "predefinita": true,
		"predefinito": true, "integrata": true, "integrato": true, "built": true, "in": true,
		"builtin": true, "nativa": true, "nativo": true, "native": true, "stock": true, "standard": true,
		"sistema": true, "system": true, "its": true, "my": true, "mia": true, "mio": true, "sua": true,
		"suo": true, "a": true, "an": true, "of": true, "per": true, "dell": true, "originale": true,
	}
)

// isBuiltinMail reports whether the words name no program, only "mail"
// ("mail", "e-mail", "posta", "l'app Mail", "app mail", "email app").
func isBuiltinMail(toks []string) bool {
	mail := false
	for _, t := range toks {
		switch {
		case mailWords[t]:
			mail = true
		case !builtinWords[t]:
			return false
		}
	}
	return mail
}

// maxInput bounds what the matcher looks at; names are short.
const maxInput = 200

// MatchOS finds the system a person means: "win7", "Windows 7 SP1",
// "windows sette", "iPhone iOS 9.3", "android 4.4.2", "El Capitan",
// "windows build 22000". On failure it returns the closest known names.
func (kb *KB) MatchOS(text string) (OS, []string, error) {
	m, sugg, err := kb.match(KindOS, text)
	if err != nil {
		return OS{}, sugg, err
	}
	return OS{Family: m.fam.ID, ID: m.row.ID, Name: m.row.Name, Version: m.version}, nil, nil
}

// MatchClient finds the mail program: "outlook 2k10", "Thunderbird 78",
// "posta di windows live", "k9". Without a version in the text it comes
// back without a row: Evaluate then picks it from the system (Apple Mail),
// assumes the newest (Thunderbird), redirects ("Outlook" on an iPhone) or
// asks which version.
func (kb *KB) MatchClient(text string) (Client, []string, error) {
	if isBuiltinMail(tokenize(text)) {
		return Client{ID: ClientBuiltin, Name: "the system's own mail app"}, nil, nil
	}
	m, sugg, err := kb.match(KindClient, text)
	if err != nil {
		return Client{}, sugg, err
	}
	c := Client{ID: m.fam.ID, Name: m.fam.Name, Version: m.version}
	if m.row != nil {
		c.Row, c.Name = m.row.ID, m.row.Name
	}
	return c, nil, nil
}

type matched struct {
	fam     *Family
	row     *Row
	version string
}

// phrase is a name split into tokens, and what it points at.
type phrase struct {
	toks []string
	key  string // toks joined, for a stable order
	fam  *Family
	row  *Row    // a row name
	ver  version // a named version
	text string  // the display name for suggestions
}

// index is everything the matcher precomputes at Load.
type index struct {
	vocab   map[string]bool
	aliases map[string][]phrase // by kind: family names
	inner   map[string][]phrase // by family id: row names and named versions
	display map[string][]phrase // by kind: what suggestions show
}

func buildIndex(kb *KB) *index {
	ix := &index{vocab: map[string]bool{}, aliases: map[string][]phrase{},
		inner: map[string][]phrase{}, display: map[string][]phrase{}}
	add := func(p phrase) phrase {
		for _, t := range p.toks {
			ix.vocab[t] = true
		}
		return p
	}
	for _, f := range kb.families {
		for _, n := range f.Names {
			ix.aliases[f.Kind] = append(ix.aliases[f.Kind], add(phrase{toks: tokenize(n), fam: f}))
		}
		for _, r := range f.Rows {
			for _, n := range r.Names {
				ix.inner[f.ID] = append(ix.inner[f.ID], add(phrase{toks: tokenize(n), key: n, fam: f, row: r}))
			}
			ix.display[f.Kind] = append(ix.display[f.Kind], phrase{toks: tokenize(displayName(f, r)), fam: f, row: r, text: displayName(f, r)})
		}
		for n, v := range f.named {
			ix.inner[f.ID] = append(ix.inner[f.ID], add(phrase{toks: tokenize(n), key: n, fam: f, ver: v}))
		}
		// Map iteration order must not decide between equal phrases.
		inner := ix.inner[f.ID]
		sort.SliceStable(inner, func(i, j int) bool { return inner[i].key < inner[j].key })
		if len(f.Rows) > 1 || f.Kind == KindClient {
			ix.display[f.Kind] = append(ix.display[f.Kind], phrase{toks: tokenize(f.Name), fam: f, text: f.Name})
		}
	}
	return ix
}

// displayName is how suggestions name a row: "Windows 7 / Server 2008 R2".
func displayName(f *Family, r *Row) string {
	if len(f.Rows) == 1 && f.Kind == KindClient {
		return f.Name
	}
	return r.Name
}

func (kb *KB) match(kind, text string) (matched, []string, error) {
	what := map[string]string{KindOS: "system", KindClient: "mail program"}[kind]
	toks := kb.idx.splitCompounds(tokenize(text))
	if len(toks) == 0 {
		return matched{}, kb.suggest(kind, nil, nil), fmt.Errorf("no %s named in %q", what, text)
	}
	fam, rest := kb.idx.family(kind, toks)
	if fam == nil {
		fam = kb.idx.inferFamily(kind, toks)
		rest = toks
	}
	if fam == nil {
		return matched{}, kb.suggest(kind, toks, nil), fmt.Errorf("unknown %s %q", what, text)
	}
	m, err := kb.idx.row(fam, rest, toks)
	if err != nil {
		return matched{}, kb.suggest(kind, toks, fam), fmt.Errorf("%q: %w", text, err)
	}
	return m, nil, nil
}

// family picks the family whose name matches the most words, and returns
// the words left once that name is taken out.
func (ix *index) family(kind string, toks []string) (*Family, []string) {
	var best *Family
	var bestRest []string
	bestScore := 0
	for _, p := range ix.aliases[kind] {
		rest, score := ix.consume(toks, p.toks)
		if score > bestScore {
			best, bestRest, bestScore = p.fam, rest, score
		}
	}
	return best, bestRest
}

// consume takes a phrase's tokens out of toks (each may be anywhere, as in
// "windows 10 mobile"). The score favours longer and exact matches; 0 means
// the phrase is not all there.
func (ix *index) consume(toks, want []string) ([]string, int) {
	rest := append([]string(nil), toks...)
	score := 0
	for _, w := range want {
		i := ix.find(rest, w)
		if i < 0 {
			return toks, 0
		}
		score += 2
		if rest[i] == w {
			score++
		}
		rest = append(rest[:i], rest[i+1:]...)
	}
	return rest, score
}

// find returns the index of the token that is w or a misspelling of it.
// A token that is itself a known word is never read as a misspelling of
// another ("gmail" is not "mail").
func (ix *index) find(toks []string, w string) int {
	for i, t := range toks {
		if t == w {
			return i
		}
	}
	for i, t := range toks {
		if !ix.vocab[t] && misspelt(t, w) {
			return i
		}
	}
	return -1
}

// inferFamily finds the family from a name that only it uses: "vista",
// "el capitan", "kitkat", "microsoft 365". Bare numbers never infer.
func (ix *index) inferFamily(kind string, toks []string) *Family {
	var found *Family
	for _, ps := range ix.inner {
		for _, p := range ps {
			if p.fam.Kind != kind || !hasWord(p.toks) {
				continue
			}
			if _, score := ix.consume(toks, p.toks); score == 0 {
				continue
			}
			if found != nil && found != p.fam {
				return nil
			}
			found = p.fam
		}
	}
	return found
}

func hasWord(toks []string) bool {
	for _, t := range toks {
		if len(t) >= 2 && !isNumber(t) {
			return true
		}
	}
	return false
}

// row finds the row within a family: a named version first, then an
// explicit version, then a row name.
func (ix *index) row(f *Family, toks, all []string) (matched, error) {
	m := matched{fam: f}
	// "iphone 6 mail" is an iPhone 6, whose last system is iOS 12.5.7, not
	// iOS 6; "iphone 6 ios 10" says its version itself. toks lacks the
	// family's name, which a model's name starts with: models look at all.
	if v, words, ok := f.modelIn(all); ok {
		rest := without(toks, words)
		if ev, _ := explicitVersion(f, rest); ev == nil {
			if r := f.rowFor(v); r != nil {
				m.row, m.version = r, v.String()
				return m, nil
			}
		}
		toks = rest
	}
	named, byName := ix.innerMatch(f, toks)
	v, vtext := named, ""
	if v == nil {
		v, vtext = explicitVersion(f, toks)
	} else {
		vtext = v.String()
	}
	if v != nil {
		if r := f.rowFor(v); r != nil {
			m.row, m.version = r, vtext
			return m, nil
		}
		if byName == nil {
			return m, fmt.Errorf("%s %s is not in the knowledge base", f.Name, vtext)
		}
	}
	switch {
	case byName != nil:
		m.row = byName
	case len(f.Rows) == 1:
		m.row = f.Rows[0]
	case f.Kind == KindClient:
		// The system decides: which row (Apple Mail), the newest version
		// that runs on it, another program there ("Outlook" on an iPhone)
		// or, failing all of these, Evaluate asks which version.
	default:
		return m, fmt.Errorf("which version of %s?", f.Name)
	}
	return m, nil
}

// without removes one occurrence of each of words from toks.
func without(toks, words []string) []string {
	out := append([]string(nil), toks...)
	for _, w := range words {
		for i, t := range out {
			if t == w {
				out = append(out[:i], out[i+1:]...)
				break
			}
		}
	}
	return out
}

// innerMatch returns the best named version and the best row name in toks.
func (ix *index) innerMatch(f *Family, toks []string) (version, *Row) {
	var ver version
	var row *Row
	verScore, rowScore := 0, 0
	for _, p := range ix.inner[f.ID] {
		_, score := ix.consume(toks, p.toks)
		switch {
		case score == 0:
		case p.row != nil && score > rowScore:
			row, rowScore = p.row, score
		case p.row == nil && score > verScore:
			ver, verScore = p.ver, score
		}
	}
	return ver, row
}

// explicitVersion reads a version number from the tokens. For Windows only
// a build counts ("19045", "10.0.22000"): "7" and "10" are names there.
func explicitVersion(f *Family, toks []string) (version, string) {
	for _, t := range toks {
		if !isNumber(t) {
			continue
		}
		v, err := parseVersion(t)
		if err != nil {
			continue
		}
		if f.Axis != AxisBuild {
			return v, t
		}
		switch {
		case len(v) >= 3 && v[2] >= 2600:
			return version{v[2]}, strconv.Itoa(v[2])
		case len(v) == 1 && v[0] >= 2600:
			return v, t
		}
	}
	return nil, ""
}

// rowFor returns the first row containing v, preferring rows that are not
// name-only: build 14393 is Windows 10, 20348 can only be Server 2022.
func (f *Family) rowFor(v version) *Row {
	var fallback *Row
	for _, r := range f.Rows {
		if !r.span.contains(v) {
			continue
		}
		if !r.NameOnly {
			return r
		}
		if fallback == nil {
			fallback = r
		}
	}
	return fallback
}

func (v version) String() string {
	parts := make([]string, len(v))
	for i, n := range v {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ".")
}

// suggest returns up to three known names closest to what was typed,
// within fam when the family was recognised.
func (kb *KB) suggest(kind string, toks []string, fam *Family) []string {
	query := strings.Join(toks, " ")
	type cand struct {
		text string
		d    int
	}
	var cands []cand
	seen := map[string]bool{}
	for _, p := range kb.idx.display[kind] {
		if (fam != nil && p.fam != fam) || seen[p.text] {
			continue
		}
		seen[p.text] = true
		cands = append(cands, cand{p.text, closeness(query, toks, p.toks)})
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].d != cands[j].d {
			return cands[i].d < cands[j].d
		}
		return cands[i].text < cands[j].text
	})
	var out []string
	for i := 0; i < len(cands) && i < 3; i++ {
		out = append(out, cands[i].text)
	}
	return out
}

// closeness is smaller for closer names: the edit distance between the
// texts, less a bonus for every word they share.
func closeness(query string, toks, cand []string) int {
	d := editDistance(query, strings.Join(cand, " "))
	for _, t := range toks {
		for _, c := range cand {
			if t == c || misspelt(t, c) {
				d -= 4
				break
			}
		}
	}
	return d
}

// misspelt reports whether t is within a typo or two of w. Short words and
// numbers must match exactly: "xp" is not "wp", "7" is not "8".
func misspelt(t, w string) bool {
	if len(t) < 4 || len(w) < 4 || isNumber(t) || isNumber(w) {
		return false
	}
	limit := 1
	if len(w) >= 7 {
		limit = 2
	}
	if d := len(t) - len(w); d > limit || -d > limit {
		return false
	}
	return editDistance(t, w) <= limit
}

// editDistance is the optimal string alignment distance: insertions,
// deletions, substitutions and swaps of neighbours ("andorid") cost one.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min3(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] && prev2[j-2]+1 < cur[j] {
				cur[j] = prev2[j-2] + 1
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

func min3(a, b, c int) int {
	if b < a {
		a = b
	}
	if c < a {
		a = c
	}
	return a
}

// wordNumbers are numbers written as words, in Italian and English.
var wordNumbers = map[string]string{
	"uno": "1", "due": "2", "tre": "3", "quattro": "4", "cinque": "5", "sei": "6",
	"sette": "7", "otto": "8", "nove": "9", "dieci": "10", "undici": "11", "dodici": "12",
	"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
	"seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
}

// noise are words that never identify a system or a program but could be
// read as one or as its version ("64 bit").
var noise = map[string]bool{
	"x64": true, "x86": true, "bit": true, "bits": true, "build": true, "versione": true,
	"version": true, "ver": true, "v": true, "the": true, "il": true, "la": true, "lo": true,
	"di": true, "del": true, "della": true, "on": true, "su": true, "sul": true, "con": true,
	"with": true, "and": true, "e": true, "ed": true, "level": true, "livello": true,
	"home": true, "pro": true, "professional": true, "enterprise": true, "ultimate": true,
	"premium": true, "starter": true, "education": true, "edition": true, "edizione": true,
}

// tokenize lower-cases text, folds accents, and splits it into words and
// numbers, with number words turned into digits and noise dropped.
func tokenize(text string) []string {
	if utf8.RuneCountInString(text) > maxInput {
		text = string([]rune(text)[:maxInput])
	}
	text = foldAccents(strings.ToLower(text))
	var all []string
	for _, field := range strings.FieldsFunc(text, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.')
	}) {
		for _, p := range pieces(field) {
			switch {
			case strings.HasPrefix(p, "2k"):
				p = "20" + p[2:]
			case wordNumbers[p] != "":
				p = wordNumbers[p]
			}
			all = append(all, p)
		}
	}
	var out []string
	for i, p := range all {
		// "64 bit", "64-bit", "64bit": the width is not a version.
		if (p == "32" || p == "64") && i+1 < len(all) && strings.HasPrefix(all[i+1], "bit") {
			continue
		}
		if !noise[p] {
			out = append(out, p)
		}
	}
	return out
}

// pieces cuts a field of [a-z0-9.] into the parts people run together:
// "win7", "ios9.3", "windows7sp1", "2k10", "22h2", "server2008r2". At each
// position it takes the first of: 2k + two digits, sp + digits, two
// digits + h + digit, r2, a dotted number, a run of letters; anything else
// (a stray dot) is skipped.
func pieces(f string) []string {
	var out []string
	for i := 0; i < len(f); {
		n := pieceAt(f[i:])
		if n == 0 {
			i++
			continue
		}
		out = append(out, f[i:i+n])
		i += n
	}
	return out
}

func pieceAt(s string) int {
	switch {
	case len(s) >= 4 && s[0] == '2' && s[1] == 'k' && isDigit(s[2]) && isDigit(s[3]):
		return 4
	case len(s) >= 3 && s[0] == 's' && s[1] == 'p' && isDigit(s[2]):
		return 2 + digits(s[2:])
	case len(s) >= 4 && isDigit(s[0]) && isDigit(s[1]) && s[2] == 'h' && isDigit(s[3]):
		return 4
	case len(s) >= 2 && s[0] == 'r' && s[1] == '2':
		return 2
	case isDigit(s[0]):
		n := digits(s)
		for n+1 < len(s) && s[n] == '.' && isDigit(s[n+1]) {
			n += 1 + digits(s[n+1:])
		}
		return n
	}
	n := 0
	for n < len(s) && s[n] >= 'a' && s[n] <= 'z' {
		n++
	}
	return n
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

func digits(s string) int {
	n := 0
	for n < len(s) && isDigit(s[n]) {
		n++
	}
	return n
}

// splitCompounds splits run-together words into known ones: "winxp",
// "outlookexpress", "macosx".
func (ix *index) splitCompounds(toks []string) []string {
	var out []string
	for _, t := range toks {
		if ix.vocab[t] || len(t) < 4 || isNumber(t) {
			out = append(out, t)
			continue
		}
		split := false
		for i := 2; i <= len(t)-2; i++ {
			if ix.vocab[t[:i]] && ix.vocab[t[i:]] {
				out = append(out, t[:i], t[i:])
				split = true
				break
			}
		}
		if !split {
			out = append(out, t)
		}
	}
	return out
}

func isNumber(t string) bool {
	return t != "" && t[0] >= '0' && t[0] <= '9'
}

var accents = strings.NewReplacer(
	"à", "a", "á", "a", "â", "a", "ä", "a", "ã", "a", "å", "a",
	"è", "e", "é", "e", "ê", "e", "ë", "e",
	"ì", "i", "í", "i", "î", "i", "ï", "i",
	"ò", "o", "ó", "o", "ô", "o", "ö", "o", "õ", "o",
	"ù", "u", "ú", "u", "û", "u", "ü", "u", "ç", "c", "ñ", "n",
	"’", "'", "–", "-", "—", "-",
)

func foldAccents(s string) string { return accents.Replace(s) }
