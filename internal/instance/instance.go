// Package instance keeps Mail Doctor to one window per user: a second
// launch (a support link clicked while the app is open) hands its link to
// the running one and exits, instead of opening a second window.
//
// The running app listens on a channel only its user can reach: a Unix
// socket in the user's runtime folder on Linux and macOS, a named pipe
// that refuses remote clients on Windows (Windows 7 has no Unix sockets).
// What arrives is only ever a support link, which pre-fills and contacts
// nothing before the user confirms, so the channel carries no authority.
package instance

import (
	"bufio"
	"errors"
	"io"
	"strings"
)

// ErrRunning says another instance holds the name: Send it the link.
var ErrRunning = errors.New("instance: already running")

// maxMessage bounds what one launch may send: a support link is a few
// hundred bytes; anything longer is not one.
const maxMessage = 8 << 10

// readMessage reads one message: a line, within maxMessage. Only a whole
// line counts: a connection that ends without one (Listen's probe for a
// running instance, a launch killed halfway) is no message.
func readMessage(r io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(r, maxMessage+1)).ReadString('\n')
	if err != nil {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// validName keeps the name usable as a file and pipe name.
func validName(name string) bool {
	if name == "" || len(name) > 64 {
		return false
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return name[0] != '.'
}
