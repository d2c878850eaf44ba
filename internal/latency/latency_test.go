package latency

import (
	"bufio"
	"net"
	"strconv"
	"testing"
	"time"
)

// echo is a line server that greets first, like a mail server.
func echo(t *testing.T) (addr string, port int) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				_, _ = c.Write([]byte("hello\n"))
				r := bufio.NewReader(c)
				for {
					l, err := r.ReadString('\n')
					if err != nil {
						return
					}
					_, _ = c.Write([]byte(l))
				}
			}(c)
		}
	}()
	return "127.0.0.1", ln.Addr().(*net.TCPAddr).Port
}

// TestRoundTrips: a connection and its greeting cost 1.5 round trips
// (SYN/SYN-ACK, then the greeting's one way), each question-answer one
// more, and pipelined questions one in all.
func TestRoundTrips(t *testing.T) {
	target, port := echo(t)
	const d = 30 * time.Millisecond
	p := Start(t, target, []int{port}, d)
	start := time.Now()
	c, err := net.Dial("tcp", net.JoinHostPort(p.Addr, strconv.Itoa(port)))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	if l, err := r.ReadString('\n'); err != nil || l != "hello\n" {
		t.Fatalf("greeting %q %v", l, err)
	}
	within(t, "greeting", time.Since(start), 3*d)
	start = time.Now()
	_, _ = c.Write([]byte("a\n"))
	if l, _ := r.ReadString('\n'); l != "a\n" {
		t.Fatalf("echo %q", l)
	}
	within(t, "one exchange", time.Since(start), 2*d)
	start = time.Now()
	_, _ = c.Write([]byte("b\nc\nd\n"))
	for _, want := range []string{"b\n", "c\n", "d\n"} {
		if l, _ := r.ReadString('\n'); l != want {
			t.Fatalf("echo %q, want %q", l, want)
		}
	}
	within(t, "three pipelined", time.Since(start), 2*d)
}

func within(t *testing.T, what string, got, want time.Duration) {
	t.Helper()
	if got < want || got > want+want/2+10*time.Millisecond {
		t.Errorf("%s took %v, want about %v", what, got, want)
	}
}

// TestNothingListening: the client's connection ends without data.
func TestNothingListening(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	p := Start(t, "127.0.0.1", []int{port}, 5*time.Millisecond)
	c, err := net.Dial("tcp", net.JoinHostPort(p.Addr, strconv.Itoa(port)))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	if n, err := c.Read(make([]byte, 10)); err == nil {
		t.Fatalf("read %d bytes, want the connection closed", n)
	}
}
