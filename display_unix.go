//go:build !windows && !darwin && !android && !ios && !js && !wasm

package main

// haveDisplay reports whether a window can open: on Linux and the BSDs the
// app needs an X11 or Wayland display.
func haveDisplay(getenv func(string) string) bool {
	return getenv("DISPLAY") != "" || getenv("WAYLAND_DISPLAY") != ""
}
