// Package apply makes the safe automatic change: it moves one account of a
// mail program that keeps its settings in a plain-text file to SSL/TLS on
// the implicit-TLS ports, and undoes it.
//
// Supported: Thunderbird (prefs.js: the account's mail.server.<s>.port and
// .socketType, its SMTP server's .port and .try_ssl; socketType 0 plain, 2
// STARTTLS, 3 SSL/TLS) and Claws Mail (accountrc: ssl_imap/ssl_pop/ssl_smtp
// 1 = SSL/TLS and the explicit ports). Both programs hold their settings in
// memory and write them back when they close, so a change is made only
// while the program is not running, as the process list shows; when the
// list cannot be read, nothing is changed.
//
// Evolution is not changed here: its .source files belong to
// evolution-source-registry, a background service that keeps them in
// memory, serves them over D-Bus and writes them back, and that GNOME
// starts again on demand even with Evolution closed. Editing them is not
// as safe, so Evolution gets steps instead.
//
// Every change follows the same path: a timestamped backup next to the
// file (itself written atomically and read back), the new file written to
// a temporary file in the same directory, synced and renamed over the old
// one, then read back and checked: the intended values are there and
// nothing else moved. Undo puts the last backup back byte for byte, after
// keeping a copy of the file it replaces. A failure at any step (read-only
// folder, full disk) leaves the original file as it was.
package apply
