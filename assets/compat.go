package assets

import "embed"

// Compat holds compat/*.json, the compatibility knowledge base: which
// systems and mail programs speak which TLS versions, with sources. One
// file per family so that a reviewer can read and correct one at a time;
// detect/compat loads and checks it.
//
//go:embed compat
var Compat embed.FS
