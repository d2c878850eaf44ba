//go:build !linux

package audit

func cpuSeconds() float64 { return 0 }
