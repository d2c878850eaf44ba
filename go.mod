module maildoctor.app/maildoctor

go 1.19

require (
	github.com/emersion/go-imap/v2 v2.0.0-beta.8
	github.com/emersion/go-sasl v0.0.0-20241020182733-b788ff22d5a6
	github.com/emersion/go-smtp v0.21.3
	golang.org/x/net v0.35.0
	golang.org/x/term v0.29.0
)

require (
	fyne.io/fyne/v2 v2.7.1 // indirect
	github.com/emersion/go-message v0.18.2 // indirect
	golang.org/x/sys v0.30.0 // indirect
	golang.org/x/text v0.22.0 // indirect
)
