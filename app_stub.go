package main

import (
	"fmt"
	"os"
)

// runApp will open the Fyne app (issue "The app"); until it lands, the
// program explains how to use the command line.
func runApp() int {
	fmt.Fprintln(os.Stderr, "The Mail Doctor window is not built yet. Use: maildoctor check EMAIL (see maildoctor help).")
	return 2
}
