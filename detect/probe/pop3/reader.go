package pop3

import (
	"bufio"
	"io"
)

// readBufferSize is small on purpose: it is also how far past
// MaxLineLength the client may read before it notices a line is too long.
const readBufferSize = 4096

// readLine reads one line, accepting CRLF or a bare LF. Unlike
// bufio.Reader.ReadString it gives up once the line exceeds MaxLineLength,
// so an endless line costs at most MaxLineLength+readBufferSize bytes.
func readLine(r *bufio.Reader) (string, error) {
	var line []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if len(line)+len(chunk) > MaxLineLength+len("\r\n") {
			return "", ErrLineTooLong
		}
		line = append(line, chunk...)
		switch {
		case err == nil:
			return trimLineEnd(line)
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && len(line) > 0:
			return "", io.ErrUnexpectedEOF
		default:
			return "", err
		}
	}
}

func trimLineEnd(line []byte) (string, error) {
	line = line[:len(line)-1]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	if len(line) > MaxLineLength {
		return "", ErrLineTooLong
	}
	return string(line), nil
}
