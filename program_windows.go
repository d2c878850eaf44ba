package main

import (
	"debug/pe"
	"os"
)

// guiSubsystem reports whether exe is linked for the GUI subsystem (the
// release maildoctor.exe, -H windowsgui): cmd.exe does not wait for such a
// program, so its prompt comes back before the output.
func guiSubsystem(exe string) bool {
	f, err := pe.Open(exe)
	if err != nil {
		return false
	}
	defer f.Close()
	switch oh := f.OptionalHeader.(type) {
	case *pe.OptionalHeader64:
		return oh.Subsystem == pe.IMAGE_SUBSYSTEM_WINDOWS_GUI
	case *pe.OptionalHeader32:
		return oh.Subsystem == pe.IMAGE_SUBSYSTEM_WINDOWS_GUI
	}
	return false
}

func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}
