package discover

import (
	"fmt"

	"maildoctor.app/maildoctor/assets"
)

// BuiltinProfile parses the provider profile built into the binary
// (assets/profile/default.xml, the file a provider replaces to brand it).
func BuiltinProfile() (*Profile, error) {
	p, err := ParseProfile(assets.DefaultProfile)
	if err != nil {
		return nil, fmt.Errorf("built-in profile: %w", err)
	}
	return p, nil
}
