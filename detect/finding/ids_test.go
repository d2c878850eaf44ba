package finding

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"maildoctor.app/maildoctor/assets"
)

// idConstants are the values of the constants in ids.go.
func idConstants(t *testing.T) map[string]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "ids.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		if vs, ok := n.(*ast.ValueSpec); ok {
			for i, name := range vs.Names {
				if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					v, _ := strconv.Unquote(lit.Value)
					ids[v] = name.Name
				}
			}
		}
		return true
	})
	if len(ids) < 20 {
		t.Fatalf("only %d ids read from ids.go", len(ids))
	}
	return ids
}

// literalIDs are the ids given as string literals to finding.New in the
// code of the repository (tests excluded), by file.
func literalIDs(t *testing.T) map[string]string {
	t.Helper()
	lit := regexp.MustCompile(`finding\.New\("([^"]+)"`)
	out := map[string]string{}
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range lit.FindAllStringSubmatch(string(src), -1) {
			out[m[1]] = path
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Every finding id, the constants and any literal still in the code, has
// a title and a detail in every language.
func TestEveryIDIsTranslated(t *testing.T) {
	entries, err := fs.ReadDir(assets.Translations, "translation")
	if err != nil {
		t.Fatal(err)
	}
	langs := map[string]map[string]string{}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		data, err := fs.ReadFile(assets.Translations, "translation/"+e.Name())
		if err != nil {
			t.Fatal(err)
		}
		msgs := map[string]string{}
		if err := json.Unmarshal(data, &msgs); err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		langs[strings.TrimSuffix(e.Name(), ".json")] = msgs
	}
	for _, l := range []string{"en", "it"} {
		if langs[l] == nil {
			t.Fatalf("no %s.json", l)
		}
	}
	where := map[string]string{}
	for id, name := range idConstants(t) {
		where[id] = "finding." + name
	}
	for id, file := range literalIDs(t) {
		where[id] = file
	}
	for id, w := range where {
		for l, msgs := range langs {
			for _, suffix := range []string{".title", ".detail"} {
				if strings.TrimSpace(msgs[id+suffix]) == "" {
					t.Errorf("%s (%s): no %q in %s.json", id, w, id+suffix, l)
				}
			}
		}
	}
}

func TestFirst(t *testing.T) {
	fs := []Finding{New(TLSNoTLS13, Info, "a:993"), New(AuthFailed, Fail, "a:993", "spaces", "yes"), New(AuthFailed, Fail, "b:465")}
	f, ok := First(fs, AuthFailed)
	if !ok || f.Endpoint != "a:993" || f.Args["spaces"] != "yes" {
		t.Errorf("First = %+v, %v", f, ok)
	}
	if _, ok := First(fs, DNSNotFound); ok {
		t.Error("First found an id that is not there")
	}
}
