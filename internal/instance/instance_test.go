package instance

import (
	"errors"
	"fmt"
	"hash/fnv"
	"runtime"
	"strings"
	"testing"
	"time"
)

// testName is unique per test, so tests (and a running Mail Doctor) do
// not meet.
func testName(t *testing.T) string {
	h := fnv.New32a()
	h.Write([]byte(t.Name()))
	return fmt.Sprintf("md-test-%08x", h.Sum32())
}

func privateRuntime(t *testing.T) {
	if runtime.GOOS != "windows" {
		t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	}
}

func serve(t *testing.T, l *Listener) <-chan string {
	got := make(chan string, 4)
	go l.Serve(func(m string) { got <- m })
	t.Cleanup(func() { l.Close() })
	return got
}

func receive(t *testing.T, got <-chan string) string {
	t.Helper()
	select {
	case m := <-got:
		return m
	case <-time.After(5 * time.Second):
		t.Fatal("nothing arrived")
	}
	return ""
}

// A second launch finds the first, hands it the link exactly as given,
// and the name is free again once the first closes.
func TestSecondLaunchHandsLinkToFirst(t *testing.T) {
	privateRuntime(t)
	name := testName(t)
	first, err := Listen(name)
	if err != nil {
		t.Fatal(err)
	}
	got := serve(t, first)
	if _, err := Listen(name); !errors.Is(err, ErrRunning) {
		t.Fatalf("second Listen: %v, want ErrRunning", err)
	}
	link := "maildoctor://open?email=mario%40cliente.it&imap=imap.cliente.it%3A993"
	if err := Send(name, link); err != nil {
		t.Fatal(err)
	}
	if m := receive(t, got); m != link {
		t.Errorf("received %q, want %q", m, link)
	}
	// A plain second launch (no link) sends an empty message: the first
	// comes to the front.
	if err := Send(name, ""); err != nil {
		t.Fatal(err)
	}
	if m := receive(t, got); m != "" {
		t.Errorf("received %q, want an empty message", m)
	}
	first.Close()
	again, err := Listen(name)
	if err != nil {
		t.Fatalf("after Close the name is not free: %v", err)
	}
	again.Close()
}

// Something longer than any support link is not delivered, and does not
// stop the next one.
func TestOversizedMessageDropped(t *testing.T) {
	privateRuntime(t)
	name := testName(t)
	l, err := Listen(name)
	if err != nil {
		t.Fatal(err)
	}
	got := serve(t, l)
	_ = Send(name, strings.Repeat("x", maxMessage+10))
	if err := Send(name, "maildoctor://open?email=a%40b.it"); err != nil {
		t.Fatal(err)
	}
	if m := receive(t, got); m != "maildoctor://open?email=a%40b.it" {
		t.Errorf("received %.40q…, want the second link", m)
	}
}

// With nobody listening, Send fails: the caller opens its own window.
func TestSendWithoutInstanceFails(t *testing.T) {
	privateRuntime(t)
	if err := Send(testName(t), "x"); err == nil {
		t.Error("Send reached nobody and said nothing")
	}
}

func TestBadNames(t *testing.T) {
	for _, n := range []string{"", "../x", "a/b", `a\b`, ".hidden", strings.Repeat("a", 65)} {
		if _, err := Listen(n); err == nil || errors.Is(err, ErrRunning) {
			t.Errorf("Listen(%q) = %v, want a bad-name error", n, err)
		}
	}
}
