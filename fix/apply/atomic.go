package apply

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"time"
)

// writeAtomic replaces path with data: a temporary file in the same
// directory (so the rename stays on one volume), written, synced, given
// the old file's permissions and renamed over it. Until the rename the
// original is untouched; on any error the temporary file is removed.
func writeAtomic(fsys FS, path string, data []byte, mode fs.FileMode) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := fsys.CreateTemp(dir, "."+base+".maildoctor-*.tmp")
	if err != nil {
		return fmt.Errorf("creating a temporary file next to %s: %w", base, err)
	}
	tmp := f.Name()
	done := false
	defer func() {
		if !done {
			f.Close()
			if rmErr := fsys.Remove(tmp); rmErr != nil && !errors.Is(rmErr, fs.ErrNotExist) && err != nil {
				err = fmt.Errorf("%w (and the temporary file %s could not be removed: %v)", err, tmp, rmErr)
			}
		}
	}()
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("writing %s: %w", base, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("writing %s to disk: %w", base, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("closing %s: %w", base, err)
	}
	if err := fsys.Chmod(tmp, mode); err != nil {
		return fmt.Errorf("setting the permissions of %s: %w", base, err)
	}
	if err := fsys.Rename(tmp, path); err != nil {
		return fmt.Errorf("replacing %s: %w", base, err)
	}
	done = true
	// The new file is in place; a failed directory sync only weakens the
	// guarantee against a power cut in the next seconds.
	_ = fsys.SyncDir(dir)
	return nil
}

// writeChecked writes atomically and reads the file back.
func writeChecked(fsys FS, path string, data []byte, mode fs.FileMode) error {
	if err := writeAtomic(fsys, path, data, mode); err != nil {
		return err
	}
	back, err := fsys.ReadFile(path)
	if err != nil {
		return fmt.Errorf("reading back %s: %w", filepath.Base(path), err)
	}
	if !bytes.Equal(back, data) {
		return fmt.Errorf("%s reads back different from what was written", filepath.Base(path))
	}
	return nil
}

// Backups are "<file>.maildoctor-YYYYMMDD-HHMMSS[-N].bak" next to the file:
// sorted by name they are sorted by time, and one glance tells a support
// agent what made them.
const stampLayout = "20060102-150405"

var backupRE = regexp.MustCompile(`^(.+)\.maildoctor-(\d{8}-\d{6})(?:-(\d+))?\.bak$`)

// newBackupName picks a backup name for path that does not exist yet.
func newBackupName(fsys FS, path string, now time.Time, suffix string) (string, error) {
	stem := path + ".maildoctor-" + now.Format(stampLayout)
	for n := 0; n < 100; n++ {
		name := stem + suffix
		if n > 0 {
			name = stem + "-" + strconv.Itoa(n) + suffix
		}
		if _, err := fsys.Stat(name); errors.Is(err, fs.ErrNotExist) {
			return name, nil
		} else if err != nil {
			return "", fmt.Errorf("checking %s: %w", filepath.Base(name), err)
		}
	}
	return "", fmt.Errorf("too many backups of %s this second", filepath.Base(path))
}

// latestBackup returns the newest apply backup of path, "" when none.
func latestBackup(fsys FS, path string) (string, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	entries, err := fsys.ReadDir(dir)
	if err != nil {
		return "", fmt.Errorf("listing the backups of %s: %w", base, err)
	}
	type cand struct {
		name, stamp string
		n           int
	}
	var list []cand
	for _, e := range entries {
		m := backupRE.FindStringSubmatch(e.Name())
		if m == nil || m[1] != base || e.IsDir() {
			continue
		}
		n, _ := strconv.Atoi(m[3])
		list = append(list, cand{e.Name(), m[2], n})
	}
	if len(list) == 0 {
		return "", nil
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].stamp != list[j].stamp {
			return list[i].stamp < list[j].stamp
		}
		return list[i].n < list[j].n
	})
	return filepath.Join(dir, list[len(list)-1].name), nil
}
