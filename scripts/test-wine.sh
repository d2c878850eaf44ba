#!/usr/bin/env bash
# Runs the Windows code of detect/ for real under Wine: test binaries built
# by Debian's Go 1.19 (the toolchain of the Windows 7/8.1 build; Wine 8
# cannot start binaries of Go 1.22+), in a throwaway WINEPREFIX.
#
# 1. The detect/ unit tests, built for Windows, run under Wine: the same
#    fixtures, now read through Windows file APIs.
# 2. "maildoctor detect" (cli.TestDetectUnderWine) on the real registry
#    and RtlGetVersion, for several scenarios: the registry is filled with
#    `wine reg import` from detect/clients/outlook/testdata/*.reg (the same
#    files the Linux tests read), Windows Live Mail's .oeaccount files are
#    copied into the prefix, and the Windows version is switched with
#    `winecfg -v`.
# 3. internal/instance: the named pipe that keeps one window open.
# 4. fix/apply's registry changes (Outlook accounts, TLS 1.2) applied and
#    undone on a real Wine registry (fix/apply/testdata/wine.sh).
#
# Needs: wine, wine64 and golang-1.19 (Debian packages). Usage:
#   scripts/test-wine.sh            # everything
#   KEEP_PREFIX=1 scripts/test-wine.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

GO119=${GO119:-/usr/lib/go-1.19/bin/go}
for tool in wine wineboot winecfg "$GO119"; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "test-wine: $tool is missing (apt-get install -y wine wine64 golang-1.19)" >&2
		exit 1
	fi
done

work=$(mktemp -d /tmp/maildoctor-wine.XXXXXX)
export WINEPREFIX=$work/prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
cleanup() {
	wineserver -k >/dev/null 2>&1 || true
	if [ -z "${KEEP_PREFIX:-}" ]; then rm -rf "$work"; else echo "test-wine: prefix kept in $WINEPREFIX"; fi
}
trap cleanup EXIT

start=$(date +%s)
echo "== building Windows test binaries with $("$GO119" version | cut -d' ' -f3)"
pkgs="./internal/instance ./detect/system ./detect/clients ./detect/clients/prefsjs ./detect/clients/inifile ./detect/clients/thunderbird ./detect/clients/outlook ./detect/clients/linuxmail ./detect/clients/apple ./detect/clients/scan"
for p in $pkgs ./cli; do
	name=$(echo "${p#./}" | tr / _)
	GOTOOLCHAIN=local GOFLAGS=-mod=mod GOOS=windows GOARCH=amd64 CGO_ENABLED=0 \
		"$GO119" test -c -o "$work/$name.test.exe" "$p"
done

echo "== creating the Wine prefix"
wineboot -i >/dev/null 2>&1
wineserver -w

fail=0
echo "== detect/ unit tests under Wine"
for p in $pkgs; do
	name=$(echo "${p#./}" | tr / _)
	if (cd "$root/$p" && wine "$work/$name.test.exe" -test.count=1 -test.v >"$work/$name.log" 2>&1) &&
		[ "$(tail -1 "$work/$name.log" | tr -d '\r')" = PASS ]; then
		echo "ok   $p ($(grep -c -- '--- PASS' "$work/$name.log" || true) passed, $(grep -c -- '--- SKIP' "$work/$name.log" || true) skipped)"
	else
		echo "FAIL $p"; cat "$work/$name.log"; fail=1
	fi
done

fixtures=$root/detect/clients/outlook/testdata
# Windows Live Mail's store: %LOCALAPPDATA%\Microsoft\Windows Live Mail.
localappdata=$(wine cmd /c 'echo %LOCALAPPDATA%' 2>/dev/null | tr -d '\r')
store=$(winepath -u "$localappdata")/Microsoft
mkdir -p "$store"
cp -r "$fixtures/fs/C/Users/anna/AppData/Local/Microsoft/Windows Live Mail" "$store/"

scenario() { # name winver regfiles... -- env assignments
	local name=$1 ver=$2
	shift 2
	local regs=()
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do regs+=("$1"); shift; done
	shift
	winecfg -v "$ver" >/dev/null 2>&1
	for r in "${regs[@]}"; do wine reg import "$fixtures/$r" >/dev/null 2>&1; done
	wineserver -w
	if (cd "$root/cli" && env "$@" wine "$work/cli.test.exe" -test.run '^TestDetectUnderWine$' -test.v -test.count=1 >"$work/$name.log" 2>&1) &&
		grep -q -- '--- PASS: TestDetectUnderWine' "$work/$name.log"; then
		echo "ok   $name: $(grep -m1 'os: ' "$work/$name.log" | sed 's/.*os: //')"
	else
		echo "FAIL $name"; cat "$work/$name.log"; fail=1
	fi
}

echo "== maildoctor detect under Wine"
scenario win7-outlook2010 win7 outlook2010.reg livemail.reg schannel-tls12-off.reg -- \
	MAILDOCTOR_WINE_OS="Windows 7" MAILDOCTOR_WINE_TLS12=off \
	MAILDOCTOR_WINE_CLIENTS="outlook:2,windows-live-mail:2" MAILDOCTOR_WINE_NAMES="Microsoft Outlook 2010,Windows Live Mail"
# The elevated half of "fix --enable-tls12" and its undo, on the same
# registry (Wine's user is an administrator).
if (cd "$root/cli" && MAILDOCTOR_WINE_TLS12_SWITCH=1 wine "$work/cli.test.exe" -test.run '^TestEnableTLS12UnderWine$' -test.v -test.count=1 >"$work/tls12-switch.log" 2>&1) &&
	grep -q -- '--- PASS: TestEnableTLS12UnderWine' "$work/tls12-switch.log"; then
	echo "ok   win7 fix --enable-tls12, detect, --undo"
else
	echo "FAIL win7 fix --enable-tls12"; cat "$work/tls12-switch.log"; fail=1
fi
scenario win7-tls12-on win7 schannel-tls12-on.reg -- \
	MAILDOCTOR_WINE_OS="Windows 7" MAILDOCTOR_WINE_TLS12=default MAILDOCTOR_WINE_CLIENTS="outlook:2"
scenario win81 win81 -- \
	MAILDOCTOR_WINE_OS="Windows 8.1" MAILDOCTOR_WINE_TLS12=default MAILDOCTOR_WINE_CLIENTS="outlook:2,windows-live-mail:2"
scenario win10-outlook2016 win10 outlook2016.reg -- \
	MAILDOCTOR_WINE_OS="Windows 10" MAILDOCTOR_WINE_TLS12=default \
	MAILDOCTOR_WINE_CLIENTS="outlook:4,windows-live-mail:2" MAILDOCTOR_WINE_NAMES="Microsoft Outlook (Microsoft 365)"
# A TLS 1.2 key on XP cannot be verified (KB4019276/POSReady): remove it.
wine reg delete 'HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2' /f >/dev/null 2>&1 || true
scenario winxp-outlookexpress winxp64 outlookexpress.reg -- \
	MAILDOCTOR_WINE_OS="Windows XP" MAILDOCTOR_WINE_TLS12=no MAILDOCTOR_WINE_CLIENTS="outlook-express:1"

echo "== fix/apply under Wine: Outlook and TLS 1.2 registry changes and their undo"
if "$root/fix/apply/testdata/wine.sh" >"$work/apply.log" 2>&1; then
	echo "ok   fix/apply ($(grep -c -- '--- PASS' "$work/apply.log" || true) passed)"
else
	echo "FAIL fix/apply"; cat "$work/apply.log"; fail=1
fi

echo "== test-wine took $(( $(date +%s) - start )) s"
if [ "$fail" != 0 ]; then
	echo "test-wine: FAILED" >&2
	exit 1
fi
echo "test-wine: all passed"
