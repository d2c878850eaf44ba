package compat

import "sort"

// OS family ids: the "id" of every assets/compat file with "kind": "os".
// Detection reports "darwin" for macOS; QueryFor translates it.
const (
	FamilyWindows      = "windows"
	FamilyMacOS        = "macos"
	FamilyIOS          = "ios"
	FamilyAndroid      = "android"
	FamilyWindowsPhone = "windows-phone"
	FamilyAirWatch     = "airwatch"
	FamilyLinux        = "linux"
	FamilyBlackBerry   = "blackberry"
	FamilyChromeOS     = "chromeos"
)

// Client ids: the "id" of every assets/compat file with "kind": "client".
// Detection (detect/clients), the fix planner and the app use these and
// nothing else to name a mail program, so they never change once released.
//
//	thunderbird        Mozilla Thunderbird for Windows, macOS, Linux (NSS)
//	outlook            classic Outlook for Windows, 2000–2024 and Microsoft 365 (SChannel)
//	outlook-new        new Outlook for Windows, olk.exe (syncs through Microsoft's cloud)
//	outlook-mac        Outlook for Mac
//	outlook-mobile     Outlook for iOS and Android (Microsoft's cloud)
//	outlook-express    Outlook Express 5–6 (Windows XP and older, SChannel)
//	windows-live-mail  Windows Live Mail 2009–2012 (SChannel)
//	windows-mail       Windows Mail (Vista) and Mail and Calendar (Windows 8–11)
//	apple-mail         Mail on macOS (its version is the macOS version)
//	ios-mail           Mail on iPhone and iPad (its version is the iOS version)
//	em-client          eM Client
//	evolution          GNOME Evolution
//	kmail              KDE KMail / Kontact
//	claws-mail         Claws Mail
//	geary              Geary
//	k9                 K-9 Mail and Thunderbird for Android
//	gmail              the Gmail app
//	samsung-email      Samsung Email
//	postbox            Postbox (discontinued 2024)
//	mailbird           Mailbird
//	the-bat            The Bat!
//	android-email      the Email app of the phone's maker on Android (AOSP, Huawei, Xiaomi, …)
//	seamonkey          SeaMonkey (Mozilla suite)
//	spark              Spark (Readdle)
//	bluemail           BlueMail
//	aqua-mail          Aqua Mail (Android)
//	fairemail          FairEmail (Android)
//	yahoo-mail         the Yahoo Mail app
//	opera-mail         Opera Mail
//	incredimail        IncrediMail
//	pegasus-mail       Pegasus Mail
//	foxmail            Foxmail
const (
	ClientThunderbird     = "thunderbird"
	ClientOutlook         = "outlook"
	ClientOutlookNew      = "outlook-new"
	ClientOutlookMac      = "outlook-mac"
	ClientOutlookMobile   = "outlook-mobile"
	ClientOutlookExpress  = "outlook-express"
	ClientWindowsLiveMail = "windows-live-mail"
	ClientWindowsMail     = "windows-mail"
	ClientAppleMail       = "apple-mail"
	ClientIOSMail         = "ios-mail"
	ClientEMClient        = "em-client"
	ClientEvolution       = "evolution"
	ClientKMail           = "kmail"
	ClientClawsMail       = "claws-mail"
	ClientGeary           = "geary"
	ClientK9              = "k9"
	ClientGmail           = "gmail"
	ClientSamsungEmail    = "samsung-email"
	ClientPostbox         = "postbox"
	ClientMailbird        = "mailbird"
	ClientTheBat          = "the-bat"
	ClientAndroidEmail    = "android-email"
	ClientSeaMonkey       = "seamonkey"
	ClientSpark           = "spark"
	ClientBlueMail        = "bluemail"
	ClientAquaMail        = "aqua-mail"
	ClientFairEmail       = "fairemail"
	ClientYahooMail       = "yahoo-mail"
	ClientOperaMail       = "opera-mail"
	ClientIncrediMail     = "incredimail"
	ClientPegasusMail     = "pegasus-mail"
	ClientFoxmail         = "foxmail"
)

// ClientBuiltin is what MatchClient returns for "mail", "email", "posta",
// "l'app Mail": the mail app that comes with the system. Query.Client takes
// it; Evaluate turns it into the system row's BuiltinClient. It is not a
// data file and not in ClientIDs.
const ClientBuiltin = "builtin"

// ClientIDs lists every client id, sorted. Load refuses data whose client
// files do not match this list exactly, so the ids stay in one place.
func ClientIDs() []string {
	ids := []string{
		ClientThunderbird, ClientOutlook, ClientOutlookNew, ClientOutlookMac,
		ClientOutlookMobile, ClientOutlookExpress, ClientWindowsLiveMail,
		ClientWindowsMail, ClientAppleMail, ClientIOSMail, ClientEMClient,
		ClientEvolution, ClientKMail, ClientClawsMail, ClientGeary, ClientK9,
		ClientGmail, ClientSamsungEmail, ClientPostbox, ClientMailbird, ClientTheBat,
		ClientAndroidEmail, ClientSeaMonkey, ClientSpark, ClientBlueMail, ClientAquaMail,
		ClientFairEmail, ClientYahooMail, ClientOperaMail, ClientIncrediMail,
		ClientPegasusMail, ClientFoxmail,
	}
	sort.Strings(ids)
	return ids
}

// OSFamilies lists every OS family id, sorted.
func OSFamilies() []string {
	ids := []string{FamilyWindows, FamilyMacOS, FamilyIOS, FamilyAndroid,
		FamilyWindowsPhone, FamilyAirWatch, FamilyLinux, FamilyBlackBerry, FamilyChromeOS}
	sort.Strings(ids)
	return ids
}
