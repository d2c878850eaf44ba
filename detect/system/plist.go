package system

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf16"
)

// ParsePlist reads the top-level dictionary of a property list, XML or
// binary ("bplist00"), and returns its string, integer and boolean values
// as text (Info.plist's CFBundleShortVersionString, SystemVersion.plist's
// ProductVersion). Nested arrays and dictionaries are skipped. Formats:
// Apple's plist DTD (PropertyList-1.0.dtd) and CoreFoundation's
// CFBinaryPList.c (header, trailer, object markers).
func ParsePlist(data []byte) (map[string]string, error) {
	if bytes.HasPrefix(data, []byte("bplist00")) {
		return parseBinaryPlist(data)
	}
	return parseXMLPlist(data)
}

func parseXMLPlist(data []byte) (map[string]string, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false
	out := map[string]string{}
	depth := 0 // depth of <dict>/<array> nesting
	key := ""
	inTop := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("plist: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "dict", "array":
				depth++
				if depth == 1 && t.Name.Local == "dict" {
					inTop = true
				}
				key = ""
			case "key", "string", "integer", "real", "date":
				var s string
				if err := dec.DecodeElement(&s, &t); err != nil {
					return nil, fmt.Errorf("plist: %v", err)
				}
				if !inTop || depth != 1 {
					continue
				}
				if t.Name.Local == "key" {
					key = s
				} else if key != "" {
					out[key] = s
					key = ""
				}
			case "true", "false":
				if inTop && depth == 1 && key != "" {
					out[key] = t.Name.Local
					key = ""
				}
			}
		case xml.EndElement:
			if t.Name.Local == "dict" || t.Name.Local == "array" {
				depth--
				if depth == 1 {
					key = "" // a nested container was the value
				}
			}
		}
	}
	if !inTop {
		return nil, errors.New("plist: no dictionary")
	}
	return out, nil
}

type bplist struct {
	data    []byte
	offsets []uint64
	refSize int
}

func parseBinaryPlist(data []byte) (map[string]string, error) {
	if len(data) < 8+32 {
		return nil, errors.New("bplist: too short")
	}
	tr := data[len(data)-32:]
	offSize, refSize := int(tr[6]), int(tr[7])
	numObjects := binary.BigEndian.Uint64(tr[8:])
	top := binary.BigEndian.Uint64(tr[16:])
	tableOff := binary.BigEndian.Uint64(tr[24:])
	if offSize < 1 || offSize > 8 || refSize < 1 || refSize > 8 || numObjects == 0 ||
		numObjects > uint64(len(data)) || top >= numObjects || tableOff >= uint64(len(data)) ||
		tableOff+numObjects*uint64(offSize) > uint64(len(data)-32) {
		return nil, errors.New("bplist: bad trailer")
	}
	p := &bplist{data: data, refSize: refSize, offsets: make([]uint64, numObjects)}
	for i := range p.offsets {
		p.offsets[i] = beUint(data[tableOff+uint64(i*offSize):], offSize)
	}
	off, err := p.offset(top)
	if err != nil {
		return nil, err
	}
	marker := data[off]
	if marker>>4 != 0xD {
		return nil, errors.New("bplist: top object is not a dictionary")
	}
	n, start, err := p.length(off)
	if err != nil {
		return nil, err
	}
	if start+2*n*uint64(refSize) > uint64(len(data)) {
		return nil, errors.New("bplist: dictionary out of range")
	}
	out := map[string]string{}
	for i := uint64(0); i < n; i++ {
		k, err := p.scalar(beUint(data[start+i*uint64(refSize):], refSize))
		if err != nil {
			continue
		}
		v, err := p.scalar(beUint(data[start+(n+i)*uint64(refSize):], refSize))
		if err != nil {
			continue
		}
		out[k] = v
	}
	return out, nil
}

func beUint(b []byte, n int) uint64 {
	var v uint64
	for i := 0; i < n && i < len(b); i++ {
		v = v<<8 | uint64(b[i])
	}
	return v
}

func (p *bplist) offset(ref uint64) (uint64, error) {
	if ref >= uint64(len(p.offsets)) || p.offsets[ref] >= uint64(len(p.data)-32) {
		return 0, errors.New("bplist: bad object reference")
	}
	return p.offsets[ref], nil
}

// length reads an object's count (low nibble, or a following int when
// the nibble is 0xF) and where its content starts.
func (p *bplist) length(off uint64) (n, start uint64, err error) {
	n = uint64(p.data[off] & 0x0F)
	start = off + 1
	if n == 0x0F {
		if start >= uint64(len(p.data)) || p.data[start]>>4 != 0x1 {
			return 0, 0, errors.New("bplist: bad length")
		}
		size := 1 << (p.data[start] & 0x0F)
		if size > 8 || start+1+uint64(size) > uint64(len(p.data)) {
			return 0, 0, errors.New("bplist: bad length")
		}
		n = beUint(p.data[start+1:], size)
		start += 1 + uint64(size)
	}
	if n > uint64(len(p.data)) {
		return 0, 0, errors.New("bplist: length out of range")
	}
	return n, start, nil
}

// scalar renders a string, integer or boolean object as text.
func (p *bplist) scalar(ref uint64) (string, error) {
	off, err := p.offset(ref)
	if err != nil {
		return "", err
	}
	m := p.data[off]
	switch m >> 4 {
	case 0x0:
		switch m {
		case 0x08:
			return "false", nil
		case 0x09:
			return "true", nil
		}
	case 0x1:
		size := 1 << (m & 0x0F)
		if size > 8 || off+1+uint64(size) > uint64(len(p.data)) {
			return "", errors.New("bplist: bad int")
		}
		return strconv.FormatInt(int64(beUint(p.data[off+1:], size)), 10), nil
	case 0x5, 0x6:
		n, start, err := p.length(off)
		if err != nil {
			return "", err
		}
		if m>>4 == 0x5 {
			if start+n > uint64(len(p.data)) {
				return "", errors.New("bplist: string out of range")
			}
			return string(p.data[start : start+n]), nil
		}
		if start+2*n > uint64(len(p.data)) {
			return "", errors.New("bplist: string out of range")
		}
		u := make([]uint16, n)
		for i := range u {
			u[i] = binary.BigEndian.Uint16(p.data[start+uint64(2*i):])
		}
		return string(utf16.Decode(u)), nil
	}
	return "", errors.New("bplist: not a scalar")
}
