#!/usr/bin/env bash
# Builds the release files a customer downloads, into dist/ (or $1):
#   maildoctor.exe                       Windows 10/11, amd64 (current Go)
#   maildoctor-legacy.exe                Windows 7 SP1 through 11 (Debian's Go 1.19)
#   maildoctor-windows-amd64.zip         maildoctor.exe and its console twin maildoctor-cli.exe
#                                        (mail filters drop bare .exe)
#   maildoctor-legacy-windows-amd64.zip  maildoctor-legacy.exe and maildoctor-legacy-cli.exe
#   maildoctor-linux-amd64.tar.xz        binary, .desktop (maildoctor:// links), icon, install.sh
#   compat.html                          the compatibility page: Italian and English, a system + program
#                                        picker, search, the table (detect/compat/page.go)
#   index.html                           the download page: the right file for each visitor
#   SHA256SUMS
# The console twins (packaging/windows/clitwin) exist only in the zips:
# the app's .exe is a GUI-subsystem program, which cmd.exe does not wait
# for, so its prompt would come back before the output; a twin is a small
# console program that runs the .exe beside it and waits.
# Every .exe is Authenticode-signed when SIGN_PKCS12 is set
# (scripts/dist-sign.sh).
# Every file is stripped and reproducible: the same commit gives the same
# bytes (-trimpath, empty build ID, no VCS stamp, archive dates from the
# last commit). macOS cannot be built here: see docs/release.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=${1:-dist}
GO=${GO:-go}
GO119=${GO119:-/usr/lib/go-1.19/bin/go}
MINGW_CC=${MINGW_CC:-x86_64-w64-mingw32-gcc}
WINDRES=${WINDRES:-x86_64-w64-mingw32-windres}

# --- what the build needs, installed only if missing ---------------------
"$(dirname "$0")/install-deps.sh" build gcc-mingw-w64-x86-64 golang-1.19-go xz-utils zip

# --- version and dates ----------------------------------------------------
version=$(sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml)
build=$(sed -n 's/^ *Build *= *\([0-9]*\).*/\1/p' FyneApp.toml)
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "FyneApp.toml: Version \"$version\" is not MAJOR.MINOR.PATCH" >&2; exit 1; }
build=${build:-0}
# Archive members get the last commit's date, not the build's.
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}
export SOURCE_DATE_EPOCH
year=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y)

# no_emoji: the 4 MB colour emoji font, which no text of the app uses,
# would put the .exe over its 25 MB budget. release: Fyne then does not
# look for a FyneApp.toml beside the .exe (in the Downloads folder).
flags=(-tags migrated_fynedo,no_emoji,release -trimpath -buildvcs=false)
ldflags="-s -w -buildid= -X main.version=$version"

rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
syso=$root/zz_release_windows_amd64.syso
twinsyso=$root/packaging/windows/clitwin/zz_release_windows_amd64.syso
cleanup() {
	rm -rf "$work"
	rm -f "$syso" "$twinsyso"
}
trap cleanup EXIT

step() { printf '== %s (%ss)\n' "$1" "$SECONDS"; }

# --- Linux ----------------------------------------------------------------
step "linux amd64"
pkg=$work/maildoctor-linux-amd64
mkdir -p "$pkg"
CGO_ENABLED=1 GOOS=linux GOARCH=amd64 "$GO" build "${flags[@]}" -ldflags "$ldflags" -o "$pkg/maildoctor" .
cp packaging/linux/app.maildoctor.maildoctor.desktop "$pkg/"
if command -v desktop-file-validate >/dev/null; then
	desktop-file-validate "$pkg/app.maildoctor.maildoctor.desktop"
fi
cp assets/icon.png "$pkg/app.maildoctor.maildoctor.png"
cp packaging/linux/install.sh "$pkg/"
chmod 0755 "$pkg/maildoctor" "$pkg/install.sh"
chmod 0644 "$pkg"/*.desktop "$pkg"/*.png
# -T1: multi-threaded xz splits into blocks by timing-independent but
# thread-count-dependent sizes; one thread gives the same bytes everywhere.
tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner \
	--format=gnu -C "$work" -cf - maildoctor-linux-amd64 | xz -9e -T1 >"$out/maildoctor-linux-amd64.tar.xz"

# --- Windows resources: icon, version, manifest -----------------------------
step "windows resources"
"$GO" run ./packaging/windows/mkico assets/icon.png "$work/maildoctor.ico"
fv="${version//./,},$build"
fvd="$version.$build"
for name in maildoctor maildoctor-legacy maildoctor-cli maildoctor-legacy-cli; do
	res=$work/res-$name
	mkdir -p "$res"
	cp "$work/maildoctor.ico" "$res/maildoctor.ico"
	sed "s/@FILEVERSION_DOTS@/$fvd/g" packaging/windows/maildoctor.exe.manifest.in >"$res/maildoctor.exe.manifest"
	desc="Mail Doctor"
	case $name in
	maildoctor-legacy) desc="Mail Doctor for Windows 7 and 8.1" ;;
	maildoctor-cli) desc="Mail Doctor (command line)" ;;
	maildoctor-legacy-cli) desc="Mail Doctor for Windows 7 and 8.1 (command line)" ;;
	esac
	sed -e "s/@FILEVERSION_COMMAS@/$fv/g" -e "s/@VERSION@/$version/g" \
		-e "s/@COMPANY@/Mail Doctor/g" -e "s/@DESCRIPTION@/$desc/g" \
		-e "s/@COPYRIGHT@/© $year Mail Doctor/g" -e "s/@FILENAME@/$name.exe/g" \
		packaging/windows/maildoctor.rc.in >"$res/maildoctor.rc"
	(cd "$res" && "$WINDRES" -c 65001 -O coff -i maildoctor.rc -o "$work/$name.syso")
done

# The .syso must sit in package main's directory to be linked; it is
# there only for the two Windows builds below and removed on exit. Its
# _windows_amd64 suffix keeps every other build from seeing it.
winbuild() { # name, go command
	local name=$1
	shift
	cp "$work/$name.syso" "$syso"
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC="$MINGW_CC" "$@" build "${flags[@]}" \
		-ldflags "$ldflags -H windowsgui" -o "$out/$name.exe" .
	rm -f "$syso"
}

step "windows amd64"
winbuild maildoctor "$GO"

# Go 1.21+ programs do not start on Windows 7/8.1; Debian's Go 1.19 is the
# newest that does (see shared/DESIGN.md). -mod=mod as in make build-legacy.
step "windows amd64 legacy (Go 1.19)"
GOTOOLCHAIN=local GOFLAGS=-mod=mod winbuild maildoctor-legacy "$GO119"

# The console twins: no Fyne, no cgo, 1.6 MB. Both from Go 1.19, so the
# same small program starts on Windows 7 and can be tested under Wine.
step "windows console twins (Go 1.19)"
for name in maildoctor-cli maildoctor-legacy-cli; do
	cp "$work/$name.syso" "$twinsyso"
	GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0 GOOS=windows GOARCH=amd64 "$GO119" build \
		-trimpath -buildvcs=false -ldflags "-s -w -buildid=" -o "$work/$name.exe" ./packaging/windows/clitwin
	rm -f "$twinsyso"
done

# --- Authenticode signature -------------------------------------------------
# With the provider's certificate (SIGN_PKCS12 or SIGN_PKCS11_*, SIGN_PASSWORD,
# optional SIGN_TIMESTAMP_URL: scripts/dist-sign.sh) both .exe files are
# signed and verified before they are zipped; without it one line says
# they are not.
step "signing"
signinfo=$("$GO" run ./packaging/downloadpage -sign-info)
"$root/scripts/dist-sign.sh" "${signinfo%%$'\n'*}" "${signinfo#*$'\n'}" "$out/maildoctor.exe" "$out/maildoctor-legacy.exe" \
	"$work/maildoctor-cli.exe" "$work/maildoctor-legacy-cli.exe"

# --- zips of the .exe files -----------------------------------------------
step "zips"
for name in maildoctor maildoctor-legacy; do
	z=$work/zip-$name
	mkdir -p "$z"
	cp "$out/$name.exe" "$work/$name-cli.exe" "$z/"
	touch -d "@$SOURCE_DATE_EPOCH" "$z/$name.exe" "$z/$name-cli.exe"
	# -X: no uid/gid or extended times; TZ=UTC: the DOS date is local time.
	(cd "$z" && TZ=UTC zip -q -X -9 "$out/$name-windows-amd64.zip" "$name.exe" "$name-cli.exe")
done

# --- the compatibility table as a web page --------------------------------
# compat.html: one self-contained page, Italian by default with English at
# #en; make test-dist renders it in Chromium at 360 px (detect/compat,
# TestChromiumCompatPage). A failure fails the release build.
step "compat.html"
if "$pkg/maildoctor" compat --table --format html >"$work/compat.html" 2>"$work/compat.err"; then
	cp "$work/compat.html" "$out/compat.html"
else
	echo "compat --table --format html failed:" >&2
	cat "$work/compat.err" >&2
	exit 1
fi

# --- the download page ------------------------------------------------------
# index.html: the right file for each visitor's system, from the profile,
# the translations and the compatibility data (internal/downloadpage).
step "index.html"
"$GO" run ./packaging/downloadpage -version "$version" "$out"

# Last, so that it covers the signed files and the page.
(cd "$out" && sha256sum -- * | grep -v ' SHA256SUMS$' >SHA256SUMS)
step "done: $out"
(cd "$out" && ls -l)
