//go:build !windows

package main

// guiSubsystem: only Windows executables have a GUI subsystem that
// detaches them from the terminal.
func guiSubsystem(string) bool { return false }

func fileExists(string) bool { return false }
