#!/usr/bin/env bash
# The customer's journey through the real window, as an Italian customer
# walks it: Xvfb, the real app, a real Thunderbird 153 profile with an
# account on IMAP 143 / SMTP 587 STARTTLS, mouse and keyboard by xdotool.
#
#   "Questo computer" → "Cosa fare" → "Correggi per me" → Enter in the
#   confirmation → done (prefs.js now on 993/465 SSL/TLS, a backup beside
#   it) → Tab to "Annulla la modifica", Space → prefs.js byte for byte as
#   before → a support link opened meanwhile goes to the open window.
#
# Buttons are found on the screenshots by their colour (the primary blue),
# the rest by keyboard, the outcome read from the files the app changed.
# Screenshots of every step go to OUT (default /tmp/maildoctor-journey),
# kept after the run.
#
#   scripts/journey.sh [OUT]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/journey-lib.sh"

work=$(mktemp -d)
out=${1:-${TMPDIR:-/tmp}/maildoctor-journey}
mkdir -p "$out"
trap 'journey_stop; rm -rf "$work"' EXIT

fail() {
	echo "journey: FAIL: $*" >&2
	echo "journey: screenshots in $out, the app's output in $work/app-it.log:" >&2
	cat "$work/app-it.log" >&2 || true
	exit 1
}
step() { echo "journey: $*"; }

start=$(date +%s)
step "building the app"
journey_build "$work"
journey_start "$work" it
cp "$PREFS" "$work/prefs.orig"

first_button() { settled "$1" && [ -n "$(blue_buttons "$1")" ]; }
step "1 Questo computer"
wait_for 30 first_button "$out/1-questo-computer.png" || fail "no \"Cosa fare\" button on the first screen"
# The top one is mario's, the account on STARTTLS.
click_box "$(blue_buttons "$out/1-questo-computer.png" | head -1)"

step "2 Correggi: the plan for the account"
# On the plan, the first blue button is "Correggi per me".
plan_shown() { settled "$1" && ! cmp -s "$1" "$out/1-questo-computer.png" && [ -n "$(blue_buttons "$1")" ]; }
wait_for 20 plan_shown "$out/2-correggi.png" || fail "the plan did not open"
apply=$(blue_buttons "$out/2-correggi.png" | head -1)
click_box "$apply"

step "3 the confirmation, answered with Enter"
# The dialog dims the window: its own blue button is the only one left.
dialog_shown() { shot "$1" && [ -n "$(blue_buttons "$1")" ] && [ "$(blue_buttons "$1")" != "$apply" ]; }
wait_for 10 dialog_shown "$out/3-conferma.png" || fail "no confirmation dialog"
cmp -s "$PREFS" "$work/prefs.orig" || fail "prefs.js changed before the customer confirmed"
xdotool key Return

step "4 done: prefs.js on SSL/TLS, backup kept"
changed() { ! cmp -s "$PREFS" "$work/prefs.orig"; }
wait_for 15 changed || fail "prefs.js was not changed"
sleep 1
shot "$out/4-fatto.png"
grep -q 'user_pref("mail.server.server1.socketType", 3);' "$PREFS" || fail "IMAP not on SSL/TLS: $(grep server1.socketType "$PREFS")"
grep -q 'user_pref("mail.server.server1.port", 993);' "$PREFS" || fail "IMAP not on 993"
grep -q 'user_pref("mail.smtpserver.smtp1.port", 465);' "$PREFS" || fail "SMTP not on 465"
backup=$(ls "$PREFS".maildoctor-*.bak 2>/dev/null | head -1)
[ -n "$backup" ] && cmp -s "$backup" "$work/prefs.orig" || fail "no backup identical to the old prefs.js"
[ -z "$(blue_buttons "$out/4-fatto.png")" ] || fail "\"Correggi per me\" is still enabled after the fix"

step "5 undo by keyboard: Tab to \"Annulla la modifica\", Space"
xdotool key Tab
sleep 0.5
shot "$out/5-annulla-focus.png"
xdotool key space
restored() { cmp -s "$PREFS" "$work/prefs.orig"; }
wait_for 15 restored || fail "undo did not restore prefs.js byte for byte"
sleep 1
shot "$out/6-annullato.png"
[ -n "$(blue_buttons "$out/6-annullato.png")" ] || fail "after the undo \"Correggi per me\" is not offered again"
kill -0 "$APP_PID" 2>/dev/null || fail "the app is gone"

step "7 a support link clicked while the app is open goes to its window"
XDG_RUNTIME_DIR=$work/run HOME=$work/home timeout 10 "$work/maildoctor" open 'maildoctor://open?email=luca%40maildoctor.example' ||
	fail "the second launch did not hand its link over (exit $?)"
sleep 1
shot "$out/7-link.png"
[ "$(xdotool search --name 'Mail Doctor' | wc -l)" -eq 1 ] || fail "a second window opened"

step "ok: prefs.js changed, then restored byte for byte ($(($(date +%s) - start)) s); screenshots in $out"
