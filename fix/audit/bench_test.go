package audit

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"
)

// syntheticChunk repeats the login and ID lines of a real Dovecot log (and
// the Postfix lines) with the addresses and sessions varied over
// mailboxes, until the chunk holds about size bytes. Every other line of
// the real log (startup, disconnections, mail processes) is kept too.
func syntheticChunk(b *testing.B, size, mailboxes int) ([]byte, int) {
	real := strings.Split(strings.TrimSpace(realLog(b)+postfixLog), "\n")
	var buf bytes.Buffer
	lines := 0
	for i := 0; buf.Len() < size; i++ {
		for _, l := range real {
			u := fmt.Sprintf("user%d@example.test", (i*7919+lines)%mailboxes)
			l = strings.NewReplacer("@example.test", "."+u, "@example.it", "."+u,
				"session=<", fmt.Sprintf("session=<%x", i)).Replace(l)
			buf.WriteString(l)
			buf.WriteByte('\n')
			lines++
		}
	}
	return buf.Bytes(), lines
}

// BenchmarkRead: lines per second through Read on one goroutine, and the
// heap kept per mailbox.
func BenchmarkRead(b *testing.B) {
	const mailboxes = 50000
	chunk, lines := syntheticChunk(b, 64<<20, mailboxes)
	b.SetBytes(int64(len(chunk)))
	b.ReportAllocs()
	b.ResetTimer()
	cpu0, wall0 := cpuSeconds(), time.Now()
	var a *Auditor
	for i := 0; i < b.N; i++ {
		a = New(Options{})
		if err := a.Read(bytes.NewReader(chunk), "synthetic"); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	reportRate(b, float64(lines)*float64(b.N), cpuSeconds()-cpu0, time.Since(wall0))
	n := len(a.Mailboxes())
	chunk = nil
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(n), "mailboxes")
	b.ReportMetric(float64(ms.HeapAlloc)/float64(n), "heapB/mailbox")
	runtime.KeepAlive(a)
}

// repeat reads chunk n times without holding more than one copy.
type repeat struct {
	chunk []byte
	n     int
	off   int
}

func (r *repeat) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	k := copy(p, r.chunk[r.off:])
	r.off += k
	if r.off == len(r.chunk) {
		r.off, r.n = 0, r.n-1
	}
	return k, nil
}

// BenchmarkRead1GB streams 1 GiB (a 64 MiB synthetic chunk 16 times) and
// reports the process's memory after it: it stays that of the mailboxes
// (and the one chunk), not of the gigabyte. Run with -benchtime=1x.
func BenchmarkRead1GB(b *testing.B) {
	const mailboxes = 50000
	chunk, lines := syntheticChunk(b, 64<<20, mailboxes)
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	b.SetBytes(int64(len(chunk)) * 16)
	b.ResetTimer()
	cpu0, wall0 := cpuSeconds(), time.Now()
	var a *Auditor
	for i := 0; i < b.N; i++ {
		a = New(Options{})
		if err := a.Read(&repeat{chunk: chunk, n: 16}, "synthetic"); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	reportRate(b, float64(lines)*16*float64(b.N), cpuSeconds()-cpu0, time.Since(wall0))
	b.ReportMetric(float64(len(a.Mailboxes())), "mailboxes")
	b.ReportMetric(float64(after.Sys)/(1<<20), "sysMiB")
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric((float64(after.HeapAlloc)-float64(before.HeapAlloc))/(1<<20), "retainedMiB")
	runtime.KeepAlive(a)
	runtime.KeepAlive(chunk)
}

// reportRate reports lines per second of wall time and of CPU time (run
// with GOMAXPROCS=1 so that the CPU time is one core's).
func reportRate(b *testing.B, lines, cpu float64, wall time.Duration) {
	b.ReportMetric(lines/wall.Seconds(), "lines/s")
	if cpu > 0 {
		b.ReportMetric(lines/cpu, "lines/cpu-s")
	}
}
