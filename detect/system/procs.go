package system

import (
	"strconv"
	"strings"
)

// ProcProcesses lists processes from /proc (Linux): the directory names
// are PIDs and /proc/PID/comm holds the executable name (proc(5)).
func ProcProcesses(fsys FS) ([]Process, error) {
	entries, err := fsys.ReadDir("/proc")
	if err != nil {
		return nil, err
	}
	var out []Process
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || !e.IsDir() {
			continue
		}
		comm, err := fsys.ReadFile("/proc/" + e.Name() + "/comm")
		if err != nil {
			continue
		}
		out = append(out, Process{PID: pid, Name: strings.TrimSpace(string(comm))})
	}
	return out, nil
}

// SlashToBackslash turns an FS path back into a Windows path.
func SlashToBackslash(p string) string { return strings.ReplaceAll(p, "/", `\`) }
