package plan

import (
	"strconv"
	"strings"
)

// Card names a mail program (and, for Outlook, a generation of its
// dialogs) that has its own step texts, under "fix.client.<card>.*".
type Card string

// Cards with step texts. Outlook's settings dialogs differ by version, so
// it has one card per generation; 2016, 2019, 2021 and 365 classic share
// one.
const (
	Outlook2007     Card = "outlook2007"
	Outlook2010     Card = "outlook2010"
	Outlook2013     Card = "outlook2013"
	Outlook2016     Card = "outlook2016"
	OutlookNew      Card = "outlook_new"
	Thunderbird     Card = "thunderbird"
	AppleMail       Card = "apple_mail"
	IOSMail         Card = "ios_mail"
	GmailAndroid    Card = "gmail_android"
	SamsungEmail    Card = "samsung_email"
	K9              Card = "k9"
	WindowsLiveMail Card = "windows_live_mail"
	EMClient        Card = "em_client"
	Evolution       Card = "evolution"
	ClawsMail       Card = "claws_mail"
	Other           Card = "other"
	// Outlook 2003, Outlook Express and Windows Mail (Vista) cannot speak
	// TLS 1.2: they get the way out instead of steps.
	Outlook2003    Card = "outlook2003"
	OutlookExpress Card = "outlook_express"
	WindowsMail    Card = "windows_mail"
)

// cardInfo is what the plan needs to know about a card.
type cardInfo struct {
	// unsupported: no setting makes it reach a TLS 1.2 server.
	unsupported bool
	// schannel: it uses Windows' own TLS, so Windows 7/8 need TLS 1.2
	// switched on in the registry (Thunderbird brings its own, NSS).
	schannel bool
	// automatic: fix/apply can change its settings file (or, for
	// Outlook, the account's registry key).
	automatic bool
	// setsHost: that change also sets the server name (Outlook's
	// registry key, Windows Live Mail's .oeaccount); the others change
	// only the port and security.
	setsHost bool
}

var cards = map[Card]cardInfo{
	Outlook2007:     {schannel: true, automatic: true, setsHost: true},
	Outlook2010:     {schannel: true, automatic: true, setsHost: true},
	Outlook2013:     {schannel: true, automatic: true, setsHost: true},
	Outlook2016:     {schannel: true, automatic: true, setsHost: true},
	OutlookNew:      {},
	Thunderbird:     {automatic: true},
	AppleMail:       {},
	IOSMail:         {},
	GmailAndroid:    {},
	SamsungEmail:    {},
	K9:              {},
	WindowsLiveMail: {schannel: true, automatic: true, setsHost: true},
	EMClient:        {schannel: true},
	Evolution:       {},
	ClawsMail:       {automatic: true},
	Other:           {},
	Outlook2003:     {unsupported: true, schannel: true},
	OutlookExpress:  {unsupported: true, schannel: true},
	WindowsMail:     {unsupported: true, schannel: true},
}

// StepCards lists the cards that have step texts, in the order a support
// agent would look for them.
var StepCards = []Card{
	Outlook2007, Outlook2010, Outlook2013, Outlook2016, OutlookNew,
	Thunderbird, AppleMail, IOSMail, GmailAndroid, SamsungEmail, K9,
	WindowsLiveMail, EMClient, Evolution, ClawsMail, Other,
}

// aliases maps a client id, lower-case with only letters and digits
// kept, to its card. detect/clients ids ("windows-live-mail") squash to
// these, and so do the names support links and agents type. Outlook for
// Mac has its own dialogs and no card yet: the general one fits better
// than Windows menu paths.
var aliases = map[string]Card{
	"outlookmac": Other, "outlookformac": Other, "windowsmailapp": Other,
	"newoutlook": OutlookNew, "outlooknew": OutlookNew, "olk": OutlookNew,
	"thunderbird": Thunderbird, "mozillathunderbird": Thunderbird,
	"applemail": AppleMail, "mailapp": AppleMail, "macosmail": AppleMail,
	"iosmail": IOSMail, "iphonemail": IOSMail, "ipadmail": IOSMail, "iphone": IOSMail, "ipad": IOSMail,
	"gmail": GmailAndroid, "gmailandroid": GmailAndroid,
	"samsungemail": SamsungEmail, "samsungmail": SamsungEmail,
	"k9": K9, "k9mail": K9, "thunderbirdandroid": K9, "thunderbirdforandroid": K9,
	"windowslivemail": WindowsLiveMail, "wlmail": WindowsLiveMail, "livemail": WindowsLiveMail,
	"emclient":  EMClient,
	"evolution": Evolution,
	"claws":     ClawsMail, "clawsmail": ClawsMail,
	"outlookexpress": OutlookExpress, "msimn": OutlookExpress,
	"windowsmail": WindowsMail,
}

// CardFor finds the card for a client id and version as detect lists
// them ("outlook" "16.0.17928", "thunderbird" "128.3.1"). Outlook without
// a known version gets the 2016+ card, by far the most common today.
// Unknown programs get Other: the plain settings, said generally.
func CardFor(client, version string) Card {
	id := squash(client)
	if strings.HasPrefix(id, "outlook") || strings.HasPrefix(id, "msoutlook") || strings.HasPrefix(id, "microsoftoutlook") {
		if c, ok := aliases[strings.TrimPrefix(strings.TrimPrefix(id, "microsoft"), "ms")]; ok {
			return c
		}
		return outlookCard(strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(id, "microsoft"), "ms"), "outlook"), version)
	}
	if c, ok := aliases[id]; ok {
		return c
	}
	if _, ok := cards[Card(client)]; ok {
		return Card(client)
	}
	return Other
}

// outlookCard reads the generation from a suffix of the id ("2010",
// "classic") or the version ("14.0.7268", "2013", "365").
func outlookCard(suffix, version string) Card {
	for _, v := range []string{suffix, strings.TrimSpace(version)} {
		if c, ok := outlookGeneration(v); ok {
			return c
		}
	}
	return Outlook2016
}

func outlookGeneration(v string) (Card, bool) {
	major := leadingNumber(v)
	switch {
	case major == 12 || major == 2007:
		return Outlook2007, true
	case major == 14 || major == 2010:
		return Outlook2010, true
	case major == 15 || major == 2013:
		return Outlook2013, true
	case major == 16 || major == 365 || (major >= 2016 && major < 2100):
		return Outlook2016, true
	case major > 0 && major < 12:
		// Outlook 2003 (11) and older: no update since 2014.
		return Outlook2003, true
	}
	return "", false
}

// leadingNumber reads the digits a text starts with; 0 when none.
func leadingNumber(s string) int {
	end := 0
	for end < len(s) && end < 9 && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	n, _ := strconv.Atoi(s[:end])
	return n
}

// squash lower-cases and keeps only ASCII letters and digits.
func squash(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Unsupported reports whether the card cannot reach a TLS 1.2 server
// whatever its settings.
func (c Card) Unsupported() bool { return cards[c].unsupported }

// Automatic reports whether fix/apply can change this program's settings
// itself.
func (c Card) Automatic() bool { return cards[c].automatic }

// SetsHost reports whether fix/apply's change of this program also sets
// the server name, so a plan that renames the server can be automatic.
func (c Card) SetsHost() bool { return cards[c].setsHost }

// NameKey is the translation key of the program's name.
func (c Card) NameKey() string { return "fix.client." + string(c) + ".name" }
