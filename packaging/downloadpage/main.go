// Command downloadpage writes the download page, DIR/index.html, for the
// release files in DIR, from the built-in provider profile, the app's
// translations and the compatibility data (internal/downloadpage).
//
//	go run ./packaging/downloadpage [-version V] DIR
//	go run ./packaging/downloadpage -sign-info    the product name and URL for Authenticode
//
// Whether the page warns of SmartScreen is read from the .exe files
// themselves: signed means each carries an Authenticode signature (a PE
// certificate table). scripts/dist.sh runs it; scripts/dist-page.sh runs
// it again after the macOS builds are added to DIR.
package main

import (
	"bytes"
	"crypto/sha256"
	"debug/pe"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"maildoctor.app/maildoctor/assets"
	"maildoctor.app/maildoctor/detect/compat"
	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/i18n"
	"maildoctor.app/maildoctor/internal/downloadpage"
)

func main() {
	version := flag.String("version", "", "the release version")
	signInfo := flag.Bool("sign-info", false, "print the product name and the provider URL, one a line, and exit")
	flag.Parse()
	if err := run(*signInfo, *version, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "downloadpage:", err)
		os.Exit(1)
	}
}

func run(signInfo bool, version string, args []string) error {
	prof, err := discover.BuiltinProfile()
	if err != nil {
		return err
	}
	if signInfo {
		fmt.Println(downloadpage.ProductName(prof))
		fmt.Println(downloadpage.ProviderURL(prof))
		return nil
	}
	if len(args) != 1 {
		return fmt.Errorf("usage: downloadpage [-version V] DIR")
	}
	dir := args[0]
	cat, err := i18n.Load(assets.Translations, "translation")
	if err != nil {
		return err
	}
	kb, err := compat.Builtin()
	if err != nil {
		return err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var files []downloadpage.File
	signed, exes := true, 0
	for _, e := range entries {
		if !e.Type().IsRegular() || e.Name() == "index.html" {
			continue
		}
		f, err := hashFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return err
		}
		files = append(files, f)
		if filepath.Ext(e.Name()) == ".exe" {
			exes++
			ok, err := hasSignature(filepath.Join(dir, e.Name()))
			if err != nil {
				return err
			}
			signed = signed && ok
		}
	}
	signed = signed && exes > 0
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	var b bytes.Buffer
	err = downloadpage.Render(&b, downloadpage.Input{
		Profile: prof, Catalog: cat, KB: kb, Version: version, Signed: signed, Files: files,
	})
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "index.html"), b.Bytes(), 0o644)
}

// hasSignature reports whether a PE file carries an Authenticode
// signature: a certificate table (data directory 4, IMAGE_DIRECTORY_ENTRY_SECURITY).
func hasSignature(path string) (bool, error) {
	f, err := pe.Open(path)
	if err != nil {
		return false, fmt.Errorf("%s: %w", path, err)
	}
	defer f.Close()
	const security = 4
	switch oh := f.OptionalHeader.(type) {
	case *pe.OptionalHeader64:
		return oh.NumberOfRvaAndSizes > security && oh.DataDirectory[security].Size > 0, nil
	case *pe.OptionalHeader32:
		return oh.NumberOfRvaAndSizes > security && oh.DataDirectory[security].Size > 0, nil
	}
	return false, nil
}

func hashFile(path string) (downloadpage.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return downloadpage.File{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return downloadpage.File{}, err
	}
	return downloadpage.File{Name: filepath.Base(path), Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}
