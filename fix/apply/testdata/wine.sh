#!/usr/bin/env bash
# Runs fix/apply's tests for real under Wine: the package's test binary
# built for Windows by Debian's Go 1.19 (the legacy toolchain; Wine 8 cannot
# start Go 1.22+ binaries), in a throwaway WINEPREFIX whose registry the
# Windows-only tests fill with `reg import` and compare with `reg export`
# (wine_windows_test.go). The prefix's Windows version is set to win7.
#
#   fix/apply/testdata/wine.sh [-test.run REGEXP]
set -euo pipefail
cd "$(dirname "$0")/../../.."
root=$PWD
GO119=${GO119:-/usr/lib/go-1.19/bin/go}
work=$(mktemp -d /tmp/maildoctor-apply-wine.XXXXXX)
export WINEPREFIX=$work/prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
cleanup() {
	wineserver -k >/dev/null 2>&1 || true
	if [ -z "${KEEP_PREFIX:-}" ]; then rm -rf "$work"; else echo "prefix kept in $WINEPREFIX"; fi
}
trap cleanup EXIT
GOTOOLCHAIN=local GOFLAGS=-mod=mod GOOS=windows GOARCH=amd64 CGO_ENABLED=0 \
	"$GO119" test -c -o "$work/apply.test.exe" ./fix/apply
wineboot -i >/dev/null 2>&1
wineserver -w
winecfg -v win7 >/dev/null 2>&1
cd "$root/fix/apply"
# TestReadOnlyFolder (chmod 0555 on a folder) does not hold on Windows; run
# the registry and .oeaccount tests by default.
[ $# -gt 0 ] || set -- -test.run 'Outlook|LiveMail|TLS12|RegBackup|OEEdit|Manifest|Lock|Message'
wine "$work/apply.test.exe" -test.count=1 -test.v "$@" 2>&1 | tr -d '\r' | tee "$work/log"
tail -1 "$work/log" | grep -qx PASS
