// Package pecheck reads what a customer's Windows sees in a .exe before it
// runs a line of it: the subsystem (a GUI program opens no console), the
// icon Explorer shows, the version on the Details tab and the manifest. The
// release build embeds these through a .syso; a build that silently lost it
// still runs, so the release checks read the real files with debug/pe.
package pecheck

import (
	"bytes"
	"debug/pe"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"
)

// Resource types (winuser.h).
const (
	TypeIcon      = 3
	TypeGroupIcon = 14
	TypeVersion   = 16
	TypeManifest  = 24
)

// Resource is one leaf of the resource tree.
type Resource struct {
	Type, ID, Lang uint32 // named entries (rare, unused here) get ID 0
	Name           string
	Data           []byte
}

// Icon is one image of an icon group as the group lists it.
type Icon struct {
	Width, Height int // 256 is stored as 0 and reported as 256
	BitCount      int
	ID            uint16
	Present       bool // an RT_ICON with that ID exists
}

// Info is what the headers and resources say.
type Info struct {
	Machine   uint16
	Subsystem uint16
	// OSVersion is MajorOperatingSystemVersion.Minor…: the oldest Windows
	// the linker promises.
	OSVersion [2]uint16
	Resources []Resource
	// IconGroups are the RT_GROUP_ICON resources, in tree order; the first
	// is the one Explorer shows.
	IconGroups [][]Icon
	// FileVersion and ProductVersion are VS_FIXEDFILEINFO's, as a.b.c.d.
	FileVersion, ProductVersion [4]uint16
	HasVersionInfo              bool
	// Strings are StringFileInfo's values (any language).
	Strings  map[string]string
	Manifest string
	// Symbols counts COFF symbols and DebugSections names .debug_* and
	// .zdebug_* sections: both are gone from a build linked with -s -w.
	Symbols       uint32
	DebugSections []string
	// GoBuildID is the Go build ID the toolchain writes into a binary
	// unless linked with -buildid=; HasGoBuildID tells whether it is there.
	GoBuildID    string
	HasGoBuildID bool
}

// Inspect reads a PE file.
func Inspect(path string) (*Info, error) {
	f, err := pe.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info := &Info{Machine: f.Machine, Strings: map[string]string{}, Symbols: f.FileHeader.NumberOfSymbols}
	for _, s := range f.Sections {
		if strings.HasPrefix(s.Name, ".debug") || strings.HasPrefix(s.Name, ".zdebug") {
			info.DebugSections = append(info.DebugSections, s.Name)
		}
	}
	if err := info.readBuildID(f); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	var dir pe.DataDirectory
	switch oh := f.OptionalHeader.(type) {
	case *pe.OptionalHeader64:
		info.Subsystem = oh.Subsystem
		info.OSVersion = [2]uint16{oh.MajorOperatingSystemVersion, oh.MinorOperatingSystemVersion}
		if len(oh.DataDirectory) > pe.IMAGE_DIRECTORY_ENTRY_RESOURCE {
			dir = oh.DataDirectory[pe.IMAGE_DIRECTORY_ENTRY_RESOURCE]
		}
	case *pe.OptionalHeader32:
		info.Subsystem = oh.Subsystem
		info.OSVersion = [2]uint16{oh.MajorOperatingSystemVersion, oh.MinorOperatingSystemVersion}
		if len(oh.DataDirectory) > pe.IMAGE_DIRECTORY_ENTRY_RESOURCE {
			dir = oh.DataDirectory[pe.IMAGE_DIRECTORY_ENTRY_RESOURCE]
		}
	default:
		return nil, fmt.Errorf("%s: no optional header", path)
	}
	if dir.VirtualAddress == 0 || dir.Size == 0 {
		return info, nil // no resources at all
	}
	var sec *pe.Section
	for _, s := range f.Sections {
		if dir.VirtualAddress >= s.VirtualAddress && dir.VirtualAddress < s.VirtualAddress+s.VirtualSize {
			sec = s
			break
		}
	}
	if sec == nil {
		return nil, fmt.Errorf("%s: resource directory at RVA %#x is in no section", path, dir.VirtualAddress)
	}
	data, err := sec.Data()
	if err != nil {
		return nil, fmt.Errorf("%s: section %s: %v", path, sec.Name, err)
	}
	r := rsrc{data: data, secRVA: sec.VirtualAddress, root: dir.VirtualAddress - sec.VirtualAddress}
	if err := r.walk(r.root, 0, nil, &info.Resources); err != nil {
		return nil, fmt.Errorf("%s: resources: %v", path, err)
	}
	if err := info.decode(); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return info, nil
}

// goBuildIDMarker starts the build ID that the Go linker places in the
// text section (cmd/internal/buildid); -buildid= leaves it out.
var goBuildIDMarker = []byte("\xff Go build ID: \"")

func (info *Info) readBuildID(f *pe.File) error {
	for _, s := range f.Sections {
		if s.Name != ".text" {
			continue
		}
		// With external linking (cgo) C code may come first, so the
		// whole section is searched.
		head, err := s.Data()
		if err != nil {
			return fmt.Errorf("reading .text: %v", err)
		}
		i := bytes.Index(head, goBuildIDMarker)
		if i < 0 {
			return nil
		}
		rest := head[i+len(goBuildIDMarker):]
		j := bytes.IndexByte(rest, '"')
		if j < 0 {
			return errors.New("unterminated Go build ID")
		}
		info.GoBuildID, info.HasGoBuildID = string(rest[:j]), true
		return nil
	}
	return nil
}

// rsrc walks an IMAGE_RESOURCE_DIRECTORY tree: type → name → language → data.
type rsrc struct {
	data   []byte
	secRVA uint32
	root   uint32 // offsets in the tree are from the root directory
}

var errShort = errors.New("truncated")

func (r *rsrc) u16(off uint32) (uint16, error) {
	if uint64(off)+2 > uint64(len(r.data)) {
		return 0, errShort
	}
	return binary.LittleEndian.Uint16(r.data[off:]), nil
}

func (r *rsrc) u32(off uint32) (uint32, error) {
	if uint64(off)+4 > uint64(len(r.data)) {
		return 0, errShort
	}
	return binary.LittleEndian.Uint32(r.data[off:]), nil
}

func (r *rsrc) walk(off uint32, level int, path []uint32, out *[]Resource) error {
	if level > 2 {
		return errors.New("resource tree deeper than three levels")
	}
	named, err := r.u16(off + 12)
	if err != nil {
		return err
	}
	ids, err := r.u16(off + 14)
	if err != nil {
		return err
	}
	for i := uint32(0); i < uint32(named)+uint32(ids); i++ {
		e := off + 16 + 8*i
		name, err := r.u32(e)
		if err != nil {
			return err
		}
		target, err := r.u32(e + 4)
		if err != nil {
			return err
		}
		id := name
		if name&0x80000000 != 0 {
			id = 0 // a named entry; the release resources use ids only
		}
		p := append(append([]uint32(nil), path...), id)
		if target&0x80000000 != 0 {
			if err := r.walk(r.root+target&0x7fffffff, level+1, p, out); err != nil {
				return err
			}
			continue
		}
		if len(p) != 3 {
			return fmt.Errorf("data entry at level %d", level)
		}
		leaf := r.root + target
		rva, err := r.u32(leaf)
		if err != nil {
			return err
		}
		size, err := r.u32(leaf + 4)
		if err != nil {
			return err
		}
		start := uint64(rva) - uint64(r.secRVA)
		if rva < r.secRVA || start+uint64(size) > uint64(len(r.data)) {
			return fmt.Errorf("resource %v outside its section", p)
		}
		*out = append(*out, Resource{Type: p[0], ID: p[1], Lang: p[2], Data: r.data[start : start+uint64(size)]})
	}
	return nil
}

func (info *Info) decode() error {
	icons := map[uint32]bool{}
	for _, res := range info.Resources {
		if res.Type == TypeIcon {
			icons[res.ID] = true
		}
	}
	for _, res := range info.Resources {
		switch res.Type {
		case TypeGroupIcon:
			g, err := groupIcon(res.Data, icons)
			if err != nil {
				return fmt.Errorf("icon group %d: %v", res.ID, err)
			}
			info.IconGroups = append(info.IconGroups, g)
		case TypeVersion:
			if err := info.versionInfo(res.Data); err != nil {
				return fmt.Errorf("version info: %v", err)
			}
		case TypeManifest:
			info.Manifest = string(res.Data)
		}
	}
	return nil
}

// groupIcon reads a GRPICONDIR: 6 bytes, then 14 per image.
func groupIcon(b []byte, icons map[uint32]bool) ([]Icon, error) {
	if len(b) < 6 || binary.LittleEndian.Uint16(b[2:]) != 1 {
		return nil, errors.New("not an icon group")
	}
	n := int(binary.LittleEndian.Uint16(b[4:]))
	if len(b) < 6+14*n {
		return nil, errShort
	}
	var g []Icon
	for i := 0; i < n; i++ {
		e := b[6+14*i:]
		ic := Icon{Width: int(e[0]), Height: int(e[1]), BitCount: int(binary.LittleEndian.Uint16(e[6:])),
			ID: binary.LittleEndian.Uint16(e[12:])}
		if ic.Width == 0 {
			ic.Width = 256
		}
		if ic.Height == 0 {
			ic.Height = 256
		}
		ic.Present = icons[uint32(ic.ID)]
		g = append(g, ic)
	}
	return g, nil
}

// versionInfo reads VS_VERSIONINFO: a tree of (length, value length,
// type, key, value, children) nodes, each aligned to 4 bytes.
func (info *Info) versionInfo(b []byte) error {
	root, err := parseNode(b, 0)
	if err != nil {
		return err
	}
	if root.key != "VS_VERSION_INFO" {
		return fmt.Errorf("root key %q", root.key)
	}
	v := root.value
	if len(v) < 52 || binary.LittleEndian.Uint32(v) != 0xFEEF04BD {
		return errors.New("no VS_FIXEDFILEINFO")
	}
	split := func(ms, ls uint32) [4]uint16 {
		return [4]uint16{uint16(ms >> 16), uint16(ms), uint16(ls >> 16), uint16(ls)}
	}
	le := binary.LittleEndian
	info.FileVersion = split(le.Uint32(v[8:]), le.Uint32(v[12:]))
	info.ProductVersion = split(le.Uint32(v[16:]), le.Uint32(v[20:]))
	info.HasVersionInfo = true
	for _, c := range root.children {
		if c.key != "StringFileInfo" {
			continue
		}
		for _, table := range c.children {
			for _, s := range table.children {
				info.Strings[s.key] = s.text
			}
		}
	}
	return nil
}

type node struct {
	key      string
	value    []byte // binary value
	text     string // text value (type 1)
	children []node
}

func parseNode(b []byte, off int) (node, error) {
	var n node
	if off+6 > len(b) {
		return n, errShort
	}
	le := binary.LittleEndian
	length := int(le.Uint16(b[off:]))
	valueLen := int(le.Uint16(b[off+2:]))
	typ := le.Uint16(b[off+4:])
	end := off + length
	if length < 6 || end > len(b) {
		return n, fmt.Errorf("node at %d: length %d", off, length)
	}
	p := off + 6
	var key []uint16
	for {
		if p+2 > end {
			return n, errShort
		}
		c := le.Uint16(b[p:])
		p += 2
		if c == 0 {
			break
		}
		key = append(key, c)
	}
	n.key = string(utf16.Decode(key))
	p = align4(p)
	if valueLen > 0 {
		size := valueLen
		if typ == 1 {
			size = 2 * valueLen // text lengths count UTF-16 words
		}
		if p+size > end {
			// Some resource compilers count text in bytes; keep what fits.
			size = end - p
		}
		if size > 0 {
			val := b[p : p+size]
			if typ == 1 {
				words := make([]uint16, len(val)/2)
				for i := range words {
					words[i] = le.Uint16(val[2*i:])
				}
				n.text = strings.TrimRight(string(utf16.Decode(words)), "\x00")
			} else {
				n.value = val
			}
			p += size
		}
	}
	p = align4(p)
	for p < end {
		c, err := parseNode(b, p)
		if err != nil {
			return n, err
		}
		n.children = append(n.children, c)
		next := align4(p + int(le.Uint16(b[p:])))
		if next <= p {
			break
		}
		p = next
	}
	return n, nil
}

func align4(p int) int { return (p + 3) &^ 3 }

// Want is what a release .exe must show.
type Want struct {
	// Version is FyneApp.toml's Version ("0.1.0") and Build its Build:
	// Windows shows them as 0.1.0.1.
	Version string
	Build   int
	// Filename is the name the customer receives it under.
	Filename string
	// IconSizes must all be in the first icon group.
	IconSizes []int
	// Console: the file is a console twin (maildoctor-cli.exe), which
	// cmd.exe waits for, instead of the GUI program.
	Console bool
}

// Problems lists, in words, every way the file falls short of want; none
// means it is a releasable Windows program (GUI, or console for a twin).
func (info *Info) Problems(want Want) []string {
	var p []string
	if info.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
		p = append(p, fmt.Sprintf("machine %#x, want amd64", info.Machine))
	}
	switch {
	case want.Console && info.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_CUI:
		p = append(p, fmt.Sprintf("subsystem %d, want %d (console: cmd.exe waits for its output)",
			info.Subsystem, pe.IMAGE_SUBSYSTEM_WINDOWS_CUI))
	case !want.Console && info.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_GUI:
		p = append(p, fmt.Sprintf("subsystem %d, want %d (GUI: no console window on double-click)",
			info.Subsystem, pe.IMAGE_SUBSYSTEM_WINDOWS_GUI))
	}
	if len(info.IconGroups) == 0 {
		p = append(p, "no icon group resource (Explorer would show a blank program icon)")
	} else {
		have := map[int]bool{}
		for _, ic := range info.IconGroups[0] {
			if !ic.Present {
				p = append(p, fmt.Sprintf("icon group lists icon %d (%dx%d) that is missing", ic.ID, ic.Width, ic.Height))
			}
			if ic.Width == ic.Height {
				have[ic.Width] = true
			}
		}
		for _, s := range want.IconSizes {
			if !have[s] {
				p = append(p, fmt.Sprintf("no %dx%d icon", s, s))
			}
		}
	}
	if !info.HasVersionInfo {
		p = append(p, "no VS_VERSION_INFO resource")
	} else {
		wantFixed, err := fixedVersion(want.Version, want.Build)
		if err != nil {
			p = append(p, err.Error())
		} else {
			if info.FileVersion != wantFixed {
				p = append(p, fmt.Sprintf("file version %s, want %s", dotted(info.FileVersion), dotted(wantFixed)))
			}
			if info.ProductVersion != wantFixed {
				p = append(p, fmt.Sprintf("product version %s, want %s", dotted(info.ProductVersion), dotted(wantFixed)))
			}
		}
		for k, v := range map[string]string{
			"ProductVersion": want.Version, "FileVersion": want.Version,
			"ProductName": "Mail Doctor", "OriginalFilename": want.Filename,
		} {
			if got := info.Strings[k]; got != v {
				p = append(p, fmt.Sprintf("version string %s = %q, want %q", k, got, v))
			}
		}
	}
	if info.Manifest == "" {
		p = append(p, "no manifest")
	} else if !strings.Contains(info.Manifest, `level="asInvoker"`) {
		p = append(p, "manifest does not say asInvoker (Windows may ask for admin rights)")
	}
	return p
}

// fixedVersion is "0.1.0" with build 1 as VS_FIXEDFILEINFO's 0.1.0.1.
func fixedVersion(v string, build int) ([4]uint16, error) {
	var out [4]uint16
	parts := strings.Split(v, ".")
	if len(parts) != 3 {
		return out, fmt.Errorf("version %q is not MAJOR.MINOR.PATCH", v)
	}
	for i, s := range parts {
		var n int
		if _, err := fmt.Sscanf(s, "%d", &n); err != nil || n < 0 || n > 0xffff || fmt.Sprint(n) != s {
			return out, fmt.Errorf("version %q: bad number %q", v, s)
		}
		out[i] = uint16(n)
	}
	if build < 0 || build > 0xffff {
		return out, fmt.Errorf("build %d out of range", build)
	}
	out[3] = uint16(build)
	return out, nil
}

func dotted(v [4]uint16) string {
	var b bytes.Buffer
	for i, n := range v {
		if i > 0 {
			b.WriteByte('.')
		}
		fmt.Fprint(&b, n)
	}
	return b.String()
}
