package audit

import (
	"html/template"
	"io"
	"sort"
	"strconv"
)

// classColor is each class's colour in the page.
var classColor = map[Class]string{
	ClassNoTLS: "#8e0000", ClassLegacyTLS: "#d32f2f", ClassStartTLS: "#f57c00",
	ClassWeakCipher: "#fbc02d", ClassUnknown: "#9e9e9e", ClassOK: "#388e3c",
}

type bar struct {
	Label         string
	N             int
	Width, Y      int
	Color, Series string
}

type dayBar struct {
	Day   string
	X     int
	Parts []bar // stacked, Y and Width are the segment's y and height
}

type htmlData struct {
	Lang, Title                    string
	T                              map[string]string
	Classes, Families              []bar
	Days                           []dayBar
	DaysWidth, DaysHeight          int
	ClassesHeight, FamiliesHeight  int
	Rows                           []htmlRow
	NoPort, NoTLSVersion, Warnings []string
	WithIPs                        bool
}

type htmlRow struct {
	Row
	ClassName, Color, Seen, Clients, Needs, Instruction string
}

const maxDays = 60

// WriteHTML writes a self-contained page (no scripts, fonts or images from
// elsewhere): mailboxes by class and by client family, the mailboxes by the
// day they were last seen, and the table of WriteCSV. All text from the
// logs is escaped by html/template.
func WriteHTML(w io.Writer, rows []Row, st Stats, tr Translator, lang string, withIPs bool) error {
	c := Count(rows)
	d := htmlData{Lang: lang, Title: tr.T("audit.html.title", nil), T: map[string]string{}, WithIPs: withIPs}
	for _, k := range []string{"by_class", "by_family", "by_day", "address", "class", "seen", "clients", "needs",
		"last_seen", "link", "instruction", "ips", "open"} {
		d.T[k] = tr.T("audit.html."+k, nil)
	}
	max := 1
	for _, n := range c.Classes {
		if n > max {
			max = n
		}
	}
	for i, cl := range Classes() {
		d.Classes = append(d.Classes, bar{Label: tr.T("audit.class."+string(cl), nil), N: c.Classes[cl],
			Width: 400 * c.Classes[cl] / max, Y: i * 24, Color: classColor[cl]})
	}
	d.ClassesHeight = len(d.Classes) * 24
	fams := topFamilies(c, 12)
	fmax := 1
	if len(fams) > 0 && fams[0].N > fmax {
		fmax = fams[0].N
	}
	for i, f := range fams {
		d.Families = append(d.Families, bar{Label: familyName(f.Key, tr), N: f.N, Width: 400 * f.N / fmax, Y: i * 24, Color: "#1976d2"})
	}
	d.FamiliesHeight = len(d.Families) * 24
	d.Days, d.DaysWidth, d.DaysHeight = dayBars(rows, tr)
	for _, r := range rows {
		d.Rows = append(d.Rows, htmlRow{Row: r, ClassName: tr.T("audit.class."+string(r.Class), nil), Color: classColor[r.Class],
			Seen: seenText(r.Seen), Clients: clientsText(r.Clients), Needs: needsText(r.Clients), Instruction: r.Instruction[lang]})
	}
	if st.LoginsWithoutPort > 0 {
		d.NoPort = append(d.NoPort, tr.T("audit.summary.no_port", map[string]string{"n": strconv.FormatInt(st.LoginsWithoutPort, 10)}))
	}
	if st.LoginsWithoutTLSVersion > 0 {
		d.NoTLSVersion = append(d.NoTLSVersion, tr.T("audit.summary.no_tls_version", map[string]string{"n": strconv.FormatInt(st.LoginsWithoutTLSVersion, 10)}))
	}
	d.Warnings = st.Warnings
	return pageTemplate.Execute(w, d)
}

// dayBars stacks, per day of last login, the mailboxes of each class (the
// last maxDays days that have any).
func dayBars(rows []Row, tr Translator) ([]dayBar, int, int) {
	per := map[string]map[Class]int{}
	for _, r := range rows {
		if len(r.LastSeen) < 10 {
			continue
		}
		day := r.LastSeen[:10]
		if per[day] == nil {
			per[day] = map[Class]int{}
		}
		per[day][r.Class]++
	}
	var days []string
	for d := range per {
		days = append(days, d)
	}
	sort.Strings(days)
	if len(days) > maxDays {
		days = days[len(days)-maxDays:]
	}
	max := 1
	for _, d := range days {
		n := 0
		for _, v := range per[d] {
			n += v
		}
		if n > max {
			max = n
		}
	}
	const height, step = 160, 22
	var out []dayBar
	for i, d := range days {
		db := dayBar{Day: d, X: 40 + i*step}
		y := height
		for _, cl := range Classes() {
			n := per[d][cl]
			if n == 0 {
				continue
			}
			h := height * n / max
			if h < 1 {
				h = 1
			}
			y -= h
			db.Parts = append(db.Parts, bar{Label: tr.T("audit.class."+string(cl), nil), N: n, Y: y, Width: h, Color: classColor[cl]})
		}
		out = append(out, db)
	}
	return out, 80 + len(days)*step, height + 90
}

var pageTemplate = template.Must(template.New("audit").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2em;color:#222}
h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.6em}
.charts{display:flex;flex-wrap:wrap;gap:2em}
table{border-collapse:collapse;font-size:.85em;margin-top:1em}
th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3}
.cls{display:inline-block;padding:.1em .4em;border-radius:3px;color:#fff;white-space:nowrap}
.note{background:#fff8e1;border-left:4px solid #fbc02d;padding:.4em .8em}
code,.mono{font-family:ui-monospace,Consolas,monospace;font-size:.95em}
.link{word-break:break-all;max-width:28em}.when{white-space:nowrap}
svg text{font-size:12px;font-family:inherit}
</style></head><body>
<h1>{{.Title}}</h1>
{{range .NoPort}}<p class="note">{{.}}</p>{{end}}
{{range .NoTLSVersion}}<p class="note">{{.}}</p>{{end}}
<div class="charts">
<div><h2>{{index .T "by_class"}}</h2>
<svg width="640" height="{{.ClassesHeight}}" role="img" aria-label="{{index .T "by_class"}}">
{{range .Classes}}<text x="0" y="{{.Y}}" dy="16">{{.Label}}</text><rect x="190" y="{{.Y}}" width="{{.Width}}" height="18" fill="{{.Color}}"></rect><text x="{{.Width}}" dx="196" y="{{.Y}}" dy="14">{{.N}}</text>
{{end}}</svg></div>
<div><h2>{{index .T "by_family"}}</h2>
<svg width="640" height="{{.FamiliesHeight}}" role="img" aria-label="{{index .T "by_family"}}">
{{range .Families}}<text x="0" y="{{.Y}}" dy="16">{{.Label}}</text><rect x="190" y="{{.Y}}" width="{{.Width}}" height="18" fill="{{.Color}}"></rect><text x="{{.Width}}" dx="196" y="{{.Y}}" dy="14">{{.N}}</text>
{{end}}</svg></div>
</div>
{{if .Days}}<h2>{{index .T "by_day"}}</h2>
<svg width="{{.DaysWidth}}" height="{{.DaysHeight}}" role="img" aria-label="{{index .T "by_day"}}">
{{range .Days}}{{$x := .X}}{{range .Parts}}<rect x="{{$x}}" y="{{.Y}}" width="16" height="{{.Width}}" fill="{{.Color}}"><title>{{.Label}}: {{.N}}</title></rect>{{end}}<text x="{{.X}}" y="175" transform="rotate(60 {{.X}} 175)">{{.Day}}</text>
{{end}}</svg>{{end}}
<table>
<tr><th>{{index .T "address"}}</th><th>{{index .T "class"}}</th><th>{{index .T "seen"}}</th><th>{{index .T "clients"}}</th><th>{{index .T "needs"}}</th><th>{{index .T "last_seen"}}</th>{{if .WithIPs}}<th>{{index .T "ips"}}</th>{{end}}<th>{{index .T "instruction"}}</th><th>{{index .T "link"}}</th></tr>
{{$open := index .T "open"}}{{$ips := .WithIPs}}{{range .Rows}}<tr><td>{{.Address}}</td><td><span class="cls" style="background:{{.Color}}">{{.ClassName}}</span></td><td class="mono">{{.Seen}}</td><td>{{.Clients}}</td><td>{{.Needs}}</td><td class="when">{{.LastSeen}}</td>{{if $ips}}<td class="mono">{{range .IPs}}{{.}} {{end}}</td>{{end}}<td>{{.Instruction}}</td><td class="mono link">{{.Link}}</td></tr>
{{end}}</table>
{{if .Warnings}}<h2>⚠</h2><ul>{{range .Warnings}}<li>{{.}}</li>{{end}}</ul>{{end}}
</body></html>
`))
