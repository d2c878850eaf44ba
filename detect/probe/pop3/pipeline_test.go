package pop3

import (
	"errors"
	"reflect"
	"testing"
)

// TestPipelinedSession: USER+PASS and STAT+UIDL go out together and each
// reply is read in order; a refused PASS keeps its code and loses the
// password the server echoed.
func TestPipelinedSession(t *testing.T) {
	conn := serve(t, func(s *script) {
		s.send("+OK ready\r\n")
		if !s.expect("USER "+testUser) || !s.expect("PASS "+testPass) {
			return
		}
		s.send("+OK\r\n+OK Logged in.\r\n")
		if !s.expect("STAT") || !s.expect("UIDL") {
			return
		}
		s.send("+OK 2 300\r\n+OK\r\n1 aaa\r\n2 bbb\r\n.\r\n")
	})
	c := mustClient(t, conn)
	if err := c.UserPassPipelined(testUser, testPass); err != nil {
		t.Fatal(err)
	}
	n, size, statErr, ids, uidlErr := c.StatUidlPipelined()
	if statErr != nil || uidlErr != nil || n != 2 || size != 300 || !reflect.DeepEqual(ids, []string{"aaa", "bbb"}) {
		t.Fatalf("STAT %d %d %v, UIDL %v %v", n, size, statErr, ids, uidlErr)
	}
}

func TestPipelinedRefusals(t *testing.T) {
	conn := serve(t, func(s *script) {
		s.send("+OK ready\r\n")
		if !s.expect("USER "+testUser) || !s.expect("PASS "+testPass) {
			return
		}
		s.send("+OK\r\n-ERR [AUTH] Invalid login for " + testPass + "\r\n")
		if !s.expect("STAT") || !s.expect("UIDL") {
			return
		}
		s.send("+OK 0 0\r\n-ERR no UIDL here\r\n")
	})
	c := mustClient(t, conn)
	err := c.UserPassPipelined(testUser, testPass)
	var perr *Error
	if !errors.As(err, &perr) || perr.Code != "AUTH" {
		t.Fatalf("error = %v, want *Error with code AUTH", err)
	}
	assertNoSecret(t, err, testPass)
	_, _, statErr, _, uidlErr := c.StatUidlPipelined()
	if statErr != nil || !errors.As(uidlErr, &perr) {
		t.Fatalf("STAT %v, UIDL %v: want STAT ok and UIDL a -ERR", statErr, uidlErr)
	}
}
