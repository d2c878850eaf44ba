package clients

import (
	"encoding/json"
	"testing"

	"maildoctor.app/maildoctor/assets"
)

// Every kind a detector reports is explained to the customer in both
// languages: the app and `detect` print "detect.kind."+kind.
func TestEveryAccountKindIsTranslated(t *testing.T) {
	for _, lang := range []string{"it", "en"} {
		data, err := assets.Translations.ReadFile("translation/" + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		msgs := map[string]string{}
		if err := json.Unmarshal(data, &msgs); err != nil {
			t.Fatalf("%s.json: %v", lang, err)
		}
		for _, k := range []AccountKind{KindExchange, KindEAS, KindOAuthCloud} {
			if msgs["detect.kind."+string(k)] == "" {
				t.Errorf("%s.json: no text for account kind %q", lang, k)
			}
		}
	}
}
