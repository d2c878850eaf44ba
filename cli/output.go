package cli

import (
	"io"

	"maildoctor.app/maildoctor/internal/safetext"
)

// Everything a command prints comes, in part, from outside: a server's
// certificate names, a mail program's settings, a support code anyone can
// forge. Run therefore hands every command streams that pass all text
// through safetext (terminal): no escape sequence, C1 control, bidi or
// invisible format character reaches the terminal, whichever field it
// came in. Two outputs are not text lines and take the stream back:
// JSON (jsonOut), which keeps its data and \u-escapes those characters,
// and a file written to stdout (fileOut).

// terminal is a command's stream as Run hands it over.
type terminal struct {
	safe io.Writer
	raw  io.Writer
}

func (t *terminal) Write(p []byte) (int, error) { return t.safe.Write(p) }

// toTerminal wraps w, once.
func toTerminal(w io.Writer) io.Writer {
	if w == nil {
		return nil
	}
	if _, ok := w.(*terminal); ok {
		return w
	}
	return &terminal{safe: safetext.NewWriter(w), raw: w}
}

// terminalEnv is env with its output streams wrapped.
func terminalEnv(env Env) Env {
	env.Stdout, env.Stderr = toTerminal(env.Stdout), toTerminal(env.Stderr)
	return env
}

// jsonOut is where a command writes JSON: the stream itself, with the
// characters a terminal would act on written as \u escapes (the JSON
// decodes to the same data).
func jsonOut(w io.Writer) io.Writer {
	if t, ok := w.(*terminal); ok {
		w = t.raw
	}
	return safetext.NewJSONWriter(w)
}

// one is a field from outside on one line: safetext.Line (a new line in
// it cannot start a line that looks like Mail Doctor's).
func one(s string) string { return safetext.Line(s) }

// fileOut is where a command writes a file's bytes (fix --export without
// -o): unchanged, as they go into the file when stdout is redirected.
func fileOut(w io.Writer) io.Writer {
	if t, ok := w.(*terminal); ok {
		return t.raw
	}
	return w
}
