//go:build !windows

package system

import (
	"context"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Host is this computer.
func Host() *Platform {
	home, _ := os.UserHomeDir()
	p := &Platform{
		GOOS:   runtime.GOOS,
		FS:     DirFS(""),
		Home:   home,
		Getenv: os.Getenv,
		Run:    runProgram,
	}
	p.Sysctl = sysctl
	if runtime.GOOS == "darwin" {
		p.Processes = psProcesses
	} else {
		p.Processes = func() ([]Process, error) { return ProcProcesses(p.FS) }
	}
	return p
}

// runProgram runs a program with a short time limit: detection must not
// hang on a program that waits for input.
func runProgram(ctx context.Context, name string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdin = nil
	return cmd.Output()
}

// psProcesses lists processes on macOS with ps (there is no /proc).
func psProcesses() ([]Process, error) {
	out, err := runProgram(context.Background(), "/bin/ps", "-axco", "pid=,comm=")
	if err != nil {
		return nil, err
	}
	var procs []Process
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		pid, _ := strconv.Atoi(f[0])
		procs = append(procs, Process{PID: pid, Name: strings.Join(f[1:], " ")})
	}
	return procs, nil
}
