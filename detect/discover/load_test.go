package discover

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestLoadProfileFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "provider.xml")
	huge := filepath.Join(dir, "huge.xml")
	bad := filepath.Join(dir, "bad.xml")
	for name, data := range map[string]string{
		good: hosterFile,
		huge: strings.Repeat(" ", MaxProfileSize+1),
		bad:  "<html/>",
	} {
		if err := os.WriteFile(name, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	p, err := LoadProfile(context.Background(), good, nil)
	if err != nil || p.ID != "hoster.example" || string(p.Raw) != hosterFile {
		t.Fatalf("LoadProfile(file) = %+v, %v", p, err)
	}
	for src, want := range map[string]string{
		huge:                              "larger than",
		bad:                               "bad.xml",
		filepath.Join(dir, "missing.xml"): "missing.xml",
		"http://example.test/p.xml":       "refusing plain http",
		"HTTP://example.test/p.xml":       "refusing plain http",
		"ftp://example.test/p.xml":        "only file paths and https",
	} {
		if _, err := LoadProfile(context.Background(), src, nil); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("LoadProfile(%q) error = %v, want one containing %q", src, err, want)
		}
	}
}

func TestLoadProfileURL(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/profile.xml", serveXML(hosterFile))
	mux.HandleFunc("/hop/", func(w http.ResponseWriter, r *http.Request) {
		// /hop/N redirects N more times, then to the profile.
		n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/hop/"))
		next := "/profile.xml"
		if n > 1 {
			next = "/hop/" + strconv.Itoa(n-1)
		}
		http.Redirect(w, r, next, http.StatusFound)
	})
	mux.HandleFunc("/to-http", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://"+r.Host+"/profile.xml", http.StatusFound)
	})
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(strings.Repeat(" ", MaxProfileSize+10)))
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	// A name, not 127.0.0.1: LoadProfile refuses IP addresses.
	w := newWeb(t, []string{"profiles.example.net"}, mux)
	client := w.client
	base := "https://profiles.example.net"

	p, err := LoadProfile(context.Background(), base+"/profile.xml", client)
	if err != nil || p.ID != "hoster.example" {
		t.Fatalf("LoadProfile(url) = %+v, %v", p, err)
	}
	if _, err := LoadProfile(context.Background(), base+"/hop/3", client); err != nil {
		t.Errorf("three redirects: %v", err)
	}
	for path, want := range map[string]string{
		"/hop/4":   "more than 3 redirects",
		"/to-http": "not https",
		"/missing": "404",
		"/huge":    "larger than",
	} {
		if _, err := LoadProfile(context.Background(), base+path, client); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("LoadProfile(%s) error = %v, want one containing %q", path, err, want)
		}
	}
	if client.CheckRedirect != nil {
		t.Error("LoadProfile changed the caller's client")
	}

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := LoadProfile(ctx, base+"/slow", client); err == nil {
		t.Error("a fetch past the deadline succeeded")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("LoadProfile took %s past a 200ms deadline", d)
	}
}
