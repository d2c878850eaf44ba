#!/usr/bin/env bash
# The download page, DIST/index.html, in Debian's headless Chromium:
#   scripts/test-dist-page.sh [DIST]     default dist/
# The Go tests (internal/downloadpage, TestChromium*) render it with the user
# agents of Windows 7, 8.1, 10, 11, XP, Ubuntu, macOS, iPhone and Android and
# assert which file each is offered, the ?email= pre-fill, and the page with
# scripts off. Then screenshots to look at, into DIST/:
#   page-win7-1280.png      Windows 7, 1280 px wide, with ?email=
#   page-android-390.png    Android, 390 px wide
#   page-iphone-390.png     iPhone, 390 px wide
#   page-noscript-1280.png  scripts off
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(cd "${1:-dist}" && pwd)
GO=${GO:-go}
[ -f "$dir/index.html" ] || { echo "missing $dir/index.html: run make dist first" >&2; exit 1; }
"$(dirname "$0")/install-deps.sh" build chromium fonts-dejavu-core >/dev/null

MAILDOCTOR_DIST=$dir "$GO" test -count=1 -run 'TestChromium|TestScriptsOff' -v ./internal/downloadpage/

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
shot() { # file, width, height, user agent, query, extra flags…
	local out=$1 w=$2 h=$3 ua=$4 q=$5
	shift 5
	chromium --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
		--user-data-dir="$work/profile-$out" --user-agent="$ua" --window-size="$w,$h" \
		--accept-lang=it-IT,it "$@" --screenshot="$dir/$out" "file://${page:-$dir/index.html}$q" >/dev/null 2>&1
	[ -s "$dir/$out" ] && echo "ok    screenshot $out" || { echo "FAIL  screenshot $out"; return 1; }
}
win7="Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36"
android="Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"
iphone="Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
shot page-win7-1280.png 1280 1100 "$win7" "?email=mario.rossi%40example.it"
shot page-android-390.png 390 1000 "$android" ""
shot page-iphone-390.png 390 1000 "$iphone" ""
# Headless Chromium takes no screenshot with scripts disabled: the page
# without its script renders as a browser with scripts off shows it.
sed '/^<script>$/,/^<\/script>$/d' "$dir/index.html" >"$work/noscript.html"
page=$work/noscript.html shot page-noscript-1280.png 1280 1100 "$win7" ""
