// Package compat is Mail Doctor's compatibility knowledge base: which
// systems and which mail programs can speak TLS 1.0, 1.1, 1.2 and 1.3, by
// default or after a change, with the sources behind every row.
//
// The data lives in assets/compat (one JSON file per family of systems or
// programs) so that it can be reviewed and corrected without touching code.
// Load reads it; MatchOS and MatchClient turn what a person typed ("win7",
// "outlook 2k10", "windows sette") into rows; Evaluate combines a system, a
// program and what the server requires into a verdict — works,
// needs_action, unsupported or unknown — with the exact actions, the
// reasons and the sources. QueryFor and EvaluateDetected do the same for
// what detection found on this computer, without free text.
//
// The program's TLS stack and the system's combine the way they really do:
// a program on the system's stack (Outlook and Windows Live Mail on
// SChannel, Android apps on Conscrypt) can never do more than the system
// allows, a program with its own stack (Thunderbird's NSS, Apple Mail up to
// macOS 10.11) ignores the system, and a program that syncs through its
// vendor's cloud (new Outlook) is not limited by this computer at all.
//
// Everything works offline: the data is embedded in the binary.
package compat
