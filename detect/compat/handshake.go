package compat

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"

	"maildoctor.app/maildoctor/assets"
	"maildoctor.app/maildoctor/detect/probe"
	"maildoctor.app/maildoctor/detect/probe/hello"
)

// HandshakeProfile is one client family's ClientHello, as data: what it
// offers and where each list comes from (assets/compat/handshakes/*.json).
type HandshakeProfile struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Rows are the knowledge-base rows (systems or programs) whose TLS
	// stack sends this hello.
	Rows []string `json:"rows"`
	// Extends names a profile of the same file whose lists this one
	// starts from; only the fields given here replace them.
	Extends string `json:"extends,omitempty"`

	Versions            []string `json:"versions"`
	CipherSuites        []string `json:"cipher_suites"`
	Groups              []string `json:"groups"`
	KeyShares           []string `json:"key_shares"`
	SignatureAlgorithms []string `json:"signature_algorithms"`
	Extensions          []string `json:"extensions"`
	// Sources says where each list comes from, keyed by the list's field
	// name; a fact that is inferred says "inferred" and from what.
	Sources map[string]string `json:"sources"`
	Notes   string            `json:"notes,omitempty"`

	hello *hello.Profile
}

// Hello is the profile as the simulator sends it.
func (p *HandshakeProfile) Hello() *hello.Profile { return p.hello }

// Client is the profile as probe.Simulate takes it.
func (p *HandshakeProfile) Client() probe.ClientProfile {
	return probe.ClientProfile{ID: p.ID, Hello: p.hello}
}

type handshakeFile struct {
	Family   string              `json:"family"`
	Name     string              `json:"name"`
	Profiles []*HandshakeProfile `json:"profiles"`
}

// listFields are the lists every profile must source.
var listFields = []string{"versions", "cipher_suites", "groups", "signature_algorithms", "extensions"}

// Handshakes is the built-in set of client handshake profiles.
func Handshakes() ([]*HandshakeProfile, error) {
	sub, err := fs.Sub(assets.Compat, "compat/handshakes")
	if err != nil {
		return nil, err
	}
	return LoadHandshakes(sub)
}

// LoadHandshakes reads and checks every *.json of fsys: each name must be
// a known version, suite, group, signature algorithm or extension, each
// list must have its source, and ids must be unique.
func LoadHandshakes(fsys fs.FS) ([]*HandshakeProfile, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var all []*HandshakeProfile
	seen := map[string]bool{}
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".json" {
			continue
		}
		data, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, err
		}
		var f handshakeFile
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&f); err != nil {
			return nil, fmt.Errorf("compat: handshakes/%s: %w", e.Name(), err)
		}
		byID := map[string]*HandshakeProfile{}
		for _, p := range f.Profiles {
			if p.ID == "" || seen[p.ID] {
				return nil, fmt.Errorf("compat: handshakes/%s: missing or repeated id %q", e.Name(), p.ID)
			}
			seen[p.ID] = true
			if p.Extends != "" {
				base, ok := byID[p.Extends]
				if !ok {
					return nil, fmt.Errorf("compat: handshakes/%s: %s extends %q, not an earlier profile of the file", e.Name(), p.ID, p.Extends)
				}
				inherit(p, base)
			}
			byID[p.ID] = p
			if err := p.compile(); err != nil {
				return nil, fmt.Errorf("compat: handshakes/%s: %s: %w", e.Name(), p.ID, err)
			}
			all = append(all, p)
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	return all, nil
}

func inherit(p, base *HandshakeProfile) {
	if p.Versions == nil {
		p.Versions = base.Versions
	}
	if p.CipherSuites == nil {
		p.CipherSuites = base.CipherSuites
	}
	if p.Groups == nil {
		p.Groups = base.Groups
	}
	if p.KeyShares == nil {
		p.KeyShares = base.KeyShares
	}
	if p.SignatureAlgorithms == nil {
		p.SignatureAlgorithms = base.SignatureAlgorithms
	}
	if p.Extensions == nil {
		p.Extensions = base.Extensions
	}
	if p.Rows == nil {
		p.Rows = base.Rows
	}
	src := map[string]string{}
	for k, v := range base.Sources {
		src[k] = v
	}
	for k, v := range p.Sources {
		src[k] = v
	}
	p.Sources = src
}

func (p *HandshakeProfile) compile() error {
	for _, f := range listFields {
		if p.Sources[f] == "" {
			return fmt.Errorf("no source for %s", f)
		}
	}
	h := &hello.Profile{}
	for _, v := range p.Versions {
		c, ok := hello.VersionByName(v)
		if !ok {
			return fmt.Errorf("unknown version %q", v)
		}
		h.Versions = append(h.Versions, c)
	}
	for _, s := range p.CipherSuites {
		c, ok := hello.SuiteByName(s)
		if !ok {
			return fmt.Errorf("unknown cipher suite %q", s)
		}
		h.CipherSuites = append(h.CipherSuites, c.ID)
	}
	for _, g := range p.Groups {
		c, ok := hello.GroupByName(g)
		if !ok {
			return fmt.Errorf("unknown group %q", g)
		}
		h.Groups = append(h.Groups, c)
	}
	for _, g := range p.KeyShares {
		c, ok := hello.GroupByName(g)
		if !ok || !h.OffersGroup(c) {
			return fmt.Errorf("key share %q is not one of the groups", g)
		}
		h.KeyShares = append(h.KeyShares, c)
	}
	for _, s := range p.SignatureAlgorithms {
		c, ok := hello.SigAlgByName(s)
		if !ok {
			return fmt.Errorf("unknown signature algorithm %q", s)
		}
		h.SignatureAlgorithms = append(h.SignatureAlgorithms, c)
	}
	for _, x := range p.Extensions {
		switch x {
		case "server_name":
			h.SNI = true
		case "extended_master_secret":
			h.EMS = true
		case "renegotiation_info":
			h.RenegotiationInfo = true
		case "session_ticket":
			h.SessionTicket = true
		case "ec_point_formats":
			h.ECPointFormats = true
		case "status_request":
			h.StatusRequest = true
		default:
			return fmt.Errorf("unknown extension %q", x)
		}
	}
	if len(h.Versions) == 0 || len(h.CipherSuites) == 0 {
		return fmt.Errorf("no versions or no cipher suites")
	}
	if h.MaxVersion() >= 0x0304 && len(h.KeyShares) == 0 {
		return fmt.Errorf("offers TLS 1.3 without a key share")
	}
	p.hello = h
	return nil
}

// HandshakesFor picks the profiles that answer for a verdict: those of the
// program's row when there are any (Thunderbird, Apple Mail bring their
// own TLS), else those of the system's row (programs on SChannel or the
// Android platform stack).
func HandshakesFor(ps []*HandshakeProfile, v Verdict) []*HandshakeProfile {
	pick := func(row string) []*HandshakeProfile {
		var out []*HandshakeProfile
		for _, p := range ps {
			for _, r := range p.Rows {
				if r != "" && r == row {
					out = append(out, p)
					break
				}
			}
		}
		return out
	}
	if v.Client != nil {
		if out := pick(v.Client.Row); len(out) > 0 {
			return out
		}
	}
	if v.OS != nil {
		return pick(v.OS.ID)
	}
	return nil
}
