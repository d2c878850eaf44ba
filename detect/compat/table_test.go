package compat

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"
)

// echo is a translator that shows the key, so tests see what was asked.
func echo(key string, args map[string]string) string { return "[" + key + "]" }

func TestTableCoversEveryRowInOrder(t *testing.T) {
	kb := kbT(t)
	rows := kb.Table()
	total := 0
	for _, f := range kb.Families() {
		total += len(f.Rows)
	}
	if len(rows) != total {
		t.Fatalf("Table has %d rows, the data %d", len(rows), total)
	}
	for i := 1; i < len(rows); i++ {
		a, b := rows[i-1], rows[i]
		if a.Kind != b.Kind && a.Kind != KindOS {
			t.Errorf("programs before systems at %s, %s", a.ID, b.ID)
		}
		if a.Kind == b.Kind && a.Family > b.Family {
			t.Errorf("families out of order: %s before %s", a.Family, b.Family)
		}
	}
	win := map[string]int{}
	for i, r := range rows {
		win[r.ID] = i
	}
	for _, pair := range [][2]string{{"windows-xp", "windows-posready-2009"}, {"windows-xp", "windows-7"}, {"windows-10", "windows-11"}, {"android-4.1-4.4", "android-5-9"}} {
		if win[pair[0]] > win[pair[1]] {
			t.Errorf("%s comes after %s", pair[0], pair[1])
		}
	}
}

func TestTableVerdicts(t *testing.T) {
	kb := kbT(t)
	want := map[string][2]string{
		"windows-7":        {"needs_action", "unsupported"},
		"windows-11":       {"works", "works"},
		"android-4.1-4.4":  {"unsupported", "unsupported"},
		"outlook-2016":     {"system", "system"},
		"outlook-express":  {"unsupported", "unsupported"},
		"thunderbird-78":   {"works", "works"},
		"thunderbird-24":   {"needs_action", "unsupported"},
		"apple-mail-10.12": {"works", "unsupported"},
		"outlook-new":      {"works", "unknown"},
		"windows-mail-app": {"unsupported", "unsupported"},
	}
	for _, r := range kb.Table() {
		if w, ok := want[r.ID]; ok && (r.Verdict["1.2"] != w[0] || r.Verdict["1.3"] != w[1]) {
			t.Errorf("%s: verdicts %v, want %v", r.ID, r.Verdict, w)
		}
	}
}

func TestWriteTableFormats(t *testing.T) {
	kb := kbT(t)
	n := len(kb.Table())
	for _, format := range TableFormats() {
		var a, b bytes.Buffer
		if err := kb.WriteTable(&a, format, echo); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if err := kb.WriteTable(&b, format, echo); err != nil || a.String() != b.String() {
			t.Errorf("%s: two runs differ", format)
		}
		out := a.String()
		switch format {
		case "md":
			if got := strings.Count(out, "\n| "); got != n+2 {
				t.Errorf("md: %d table lines, want %d rows + 2 headings", got, n)
			}
		case "csv":
			recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
			if err != nil || len(recs) != n+1 {
				t.Errorf("csv: %d records, %v", len(recs), err)
			}
		case "json":
			var rows []TableRow
			if err := json.Unmarshal(a.Bytes(), &rows); err != nil || len(rows) != n {
				t.Errorf("json: %d rows, %v", len(rows), err)
			}
		case "html":
			if !strings.HasPrefix(out, "<!DOCTYPE html>") || strings.Count(out, "<tr id=") != n || strings.Contains(out, "<link") || strings.Contains(out, " src=") {
				t.Errorf("html: not a self-contained page with %d rows", n)
			}
		}
		for _, id := range []string{"windows-7", "thunderbird-78", "k9"} {
			if !strings.Contains(out, id) {
				t.Errorf("%s: no %s", format, id)
			}
		}
	}
	if err := kb.WriteTable(&bytes.Buffer{}, "pdf", echo); err == nil {
		t.Errorf("pdf accepted")
	}
}

// Data text is escaped in html and cannot break the markdown table.
func TestTableEscapes(t *testing.T) {
	files := builtinFiles(t)
	data := strings.Replace(string(files["geary.json"].Data), "Inferred from its GIO architecture",
		`<script>alert(1)</script> | pipe & \"quote\"`, 1)
	files["geary.json"] = &fstest.MapFile{Data: []byte(data)}
	kb, err := Load(files)
	if err != nil {
		t.Fatal(err)
	}
	var h, m bytes.Buffer
	if err := kb.WriteTable(&h, "html", echo); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(h.String(), "<script>alert") || !strings.Contains(h.String(), "&lt;script&gt;alert") {
		t.Errorf("html: the note was not escaped")
	}
	if err := kb.WriteTable(&m, "md", echo); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(m.String(), "\n") {
		if strings.Contains(line, "alert(1)") && (strings.Contains(line, "<script>") || !strings.Contains(line, `\| pipe`)) {
			t.Errorf("md: not escaped: %s", line)
		}
	}
}
