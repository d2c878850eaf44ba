//go:build windows || darwin || android || ios || js || wasm

package main

// haveDisplay: Windows and macOS always have a desktop to open a window on.
func haveDisplay(func(string) string) bool { return true }
