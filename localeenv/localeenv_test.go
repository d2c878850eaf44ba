package localeenv

import "testing"

func TestIsC(t *testing.T) {
	for v, want := range map[string]bool{
		"C": true, "POSIX": true, "C.UTF-8": true, "C.utf8": true, "POSIX.UTF-8": true,
		"en_US.UTF-8": false, "it_IT": false, "": false, "Ca.UTF-8": false,
	} {
		if got := IsC(v); got != want {
			t.Errorf("IsC(%q) = %v, want %v", v, got, want)
		}
	}
}
