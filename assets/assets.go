// Package assets holds the files built into every Mail Doctor binary: the
// translations, the default provider profile and (later) the icon and the
// compatibility data. A provider brands its own build by replacing
// profile/default.xml. It imports nothing from Fyne so that detect/ and fix/
// may use it and still cross-compile without cgo.
package assets

import "embed"

// Translations holds translation/<lang>.json, flat JSON objects in the
// format fyne.io/fyne/v2/lang reads, so the app and the command line share
// one set of texts.
//
//go:embed translation/*.json
var Translations embed.FS

// Fyne holds fyne/<lang>.json: Fyne's own strings (its file and
// confirmation dialogs, the text fields' menu) in the languages Fyne does
// not ship, so those dialogs speak the window's language too.
//
//go:embed fyne/*.json
var Fyne embed.FS

// DefaultProfile is the provider profile (Thunderbird autoconfig
// config-v1.1.xml) used when no other is given.
//
//go:embed profile/default.xml
var DefaultProfile []byte

// Icon is the app icon (512×512 PNG, drawn from icon.svg).
//
//go:embed icon.png
var Icon []byte
