#!/usr/bin/env bash
# Builds "Mail Doctor.app" on a Mac (it cannot be cross-built from Linux:
# Fyne needs Apple's SDK and cgo). Needs Xcode's command line tools and Go.
#   scripts/dist-macos.sh [DIST]   → DIST/maildoctor-macos-$(uname -m).zip
# The .app registers the maildoctor:// scheme (CFBundleURLTypes), which
# `fyne package` does not write, so it is added to Info.plist afterwards
# and the bundle re-signed (ad hoc: a changed Info.plist breaks the seal,
# and Apple Silicon refuses to start an unsigned binary).
set -euo pipefail
[ "$(uname -s)" = Darwin ] || { echo "dist-macos.sh runs on macOS only; see docs/release.md" >&2; exit 1; }
cd "$(dirname "$0")/.."
out=${1:-dist}
mkdir -p "$out"
out=$(cd "$out" && pwd)
FYNE_TOOLS_VERSION=${FYNE_TOOLS_VERSION:-v1.7.4}
command -v fyne >/dev/null || go install "fyne.io/tools/cmd/fyne@$FYNE_TOOLS_VERSION"
fyne=$(command -v fyne || echo "$(go env GOPATH)/bin/fyne")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# FyneApp.toml gives name, ID, version, build and icon.
"$fyne" package --os darwin --release --tags migrated_fynedo --src .
app="Mail Doctor.app"
mv "$app" "$work/"
plist="$work/$app/Contents/Info.plist"
pb=/usr/libexec/PlistBuddy
"$pb" -c "Delete :CFBundleURLTypes" "$plist" 2>/dev/null || true
"$pb" -c "Add :CFBundleURLTypes array" \
	-c "Add :CFBundleURLTypes:0 dict" \
	-c "Add :CFBundleURLTypes:0:CFBundleURLName string app.maildoctor.maildoctor" \
	-c "Add :CFBundleURLTypes:0:CFBundleURLSchemes array" \
	-c "Add :CFBundleURLTypes:0:CFBundleURLSchemes:0 string maildoctor" "$plist"
# With the provider's Apple "Developer ID Application" certificate in the
# keychain (MACOS_SIGN_IDENTITY="Developer ID Application: NAME (TEAMID)")
# the app is signed with it, with the hardened runtime and a secure
# timestamp that notarization requires; with MACOS_NOTARY_PROFILE (made
# once by `xcrun notarytool store-credentials`) it is also notarized and
# the ticket stapled, so Gatekeeper opens it with a double-click. Without
# them: ad hoc, and the first start needs right-click → Open.
identity=${MACOS_SIGN_IDENTITY:-}
if [ -z "$identity" ]; then
	codesign --force --deep --sign - "$work/$app"
	echo "   ad hoc signed: MACOS_SIGN_IDENTITY is not set, so Gatekeeper asks on first start (docs/release.md)"
else
	codesign --force --deep --options runtime --timestamp --sign "$identity" "$work/$app"
fi
codesign --verify --deep --strict "$work/$app"
# ditto keeps the bundle's extended attributes and signature intact.
zip=$out/maildoctor-macos-$(uname -m).zip
rm -f "$zip"
ditto -c -k --keepParent "$work/$app" "$zip"
if [ -n "${MACOS_NOTARY_PROFILE:-}" ]; then
	[ -n "$identity" ] || { echo "MACOS_NOTARY_PROFILE needs MACOS_SIGN_IDENTITY: Apple notarizes only Developer ID signatures" >&2; exit 1; }
	xcrun notarytool submit "$zip" --keychain-profile "$MACOS_NOTARY_PROFILE" --wait
	xcrun stapler staple "$work/$app"
	rm -f "$zip"
	ditto -c -k --keepParent "$work/$app" "$zip"
	spctl --assess --type execute --verbose=2 "$work/$app"
fi
ls -l "$zip"
echo "   then copy it into dist/ on the Linux build machine and run scripts/dist-page.sh dist, so the download page offers it"
