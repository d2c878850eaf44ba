#!/usr/bin/env bash
# The signed release, end to end, with a throwaway certificate: make test-dist
# runs it after the unsigned checks.
#   scripts/test-dist-sign.sh [DIST]    DIST (default dist/) is the unsigned build
# 1. DIST is unsigned: no signature in either .exe, SHA256SUMS holds.
# 2. A test root CA and a code-signing certificate are made (openssl), and
#    scripts/dist.sh builds the release again into a temporary directory
#    with SIGN_PKCS12/SIGN_PASSWORD set: both .exe files must be signed
#    (SHA-256, the profile's product name and URL) and verify with
#    osslsigncode against the test root and not against the system's roots;
#    the zips must hold the signed files (the console twins too) and
#    SHA256SUMS must match them.
# 2b. The same certificate's key in a PKCS#11 token (SoftHSM), as a real
#    certificate's key lives in a USB token or HSM: scripts/dist-sign.sh
#    signs a copy of the legacy .exe through SIGN_PKCS11_*, and it verifies.
# 3. The signed files pass the PE checks (internal/pecheck) and the signed
#    legacy .exe starts under Wine (scripts/test-dist-wine.sh), whose
#    screenshot is copied to DIST/wine-win7-signed.png.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
dist=$(cd "${1:-dist}" && pwd)
GO=${GO:-go}
"$root/scripts/install-deps.sh" build osslsigncode openssl unzip softhsm2 libengine-pkcs11-openssl >/dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
pass() { echo "ok    $*"; }
fail() { echo "FAIL  $*"; failed=1; }

# --- 1. the unsigned build ------------------------------------------------------
for exe in maildoctor.exe maildoctor-legacy.exe; do
	if osslsigncode verify -in "$dist/$exe" >"$work/v.log" 2>&1; then
		fail "$exe in $dist is signed, but no certificate was given"
	elif grep -qi "no signature" "$work/v.log"; then
		pass "unsigned build: $exe has no signature"
	else
		fail "unsigned build: osslsigncode could not read $exe: $(head -c 300 "$work/v.log")"
	fi
done
if (cd "$dist" && sha256sum --quiet -c SHA256SUMS); then
	pass "unsigned build: SHA256SUMS matches"
else
	fail "unsigned build: SHA256SUMS does not match"
fi

# --- 2. the signed build --------------------------------------------------------
pass_word="throwaway $(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
"$root/scripts/make-test-signcert.sh" "$work/cert" "$pass_word"
signed=$work/dist-signed
t0=$SECONDS
SIGN_PKCS12=$work/cert/sign.p12 SIGN_PASSWORD=$pass_word SIGN_CAFILE=$work/cert/ca.pem \
	"$root/scripts/dist.sh" "$signed" >"$work/dist.log" 2>&1 || {
	cat "$work/dist.log"
	echo "FAIL  the signed build failed"
	exit 1
}
grep '^   signed and verified' "$work/dist.log" || true
pass "signed build ($((SECONDS - t0)) s)"
if grep -q "$pass_word" "$work/dist.log"; then
	fail "the password appears in the build's output"
fi

name=$("$GO" run ./packaging/downloadpage -sign-info | sed -n 1p)
url=$("$GO" run ./packaging/downloadpage -sign-info | sed -n 2p)
for exe in maildoctor.exe maildoctor-legacy.exe; do
	f=$signed/$exe
	osslsigncode verify -CAfile "$work/cert/ca.pem" -in "$f" >"$work/v.log" 2>&1 || true
	if grep -q "Signature verification: ok" "$work/v.log"; then
		pass "$exe: osslsigncode verify ok against the test root"
	else
		fail "$exe: does not verify: $(tail -n 5 "$work/v.log")"
	fi
	grep -q "Message digest algorithm  : SHA256" "$work/v.log" && pass "$exe: SHA-256" || fail "$exe: not SHA-256"
	grep -q "Text description: $name" "$work/v.log" && pass "$exe: product name \"$name\"" || fail "$exe: no product name $name"
	grep -q "URL description: $url" "$work/v.log" && pass "$exe: URL $url" || fail "$exe: no URL $url"
	# The same file against the system's roots: the throwaway root is in
	# none of them, so verification must fail (it really checks the chain).
	if osslsigncode verify -in "$f" >"$work/v2.log" 2>&1 && grep -q "Signature verification: ok" "$work/v2.log"; then
		fail "$exe: verifies against the system roots with a throwaway certificate"
	else
		pass "$exe: the system's roots do not trust the throwaway certificate"
	fi
	base=${exe%.exe}
	if unzip -p "$signed/$base-windows-amd64.zip" "$exe" | cmp -s - "$f"; then
		pass "$base-windows-amd64.zip holds the signed $exe"
	else
		fail "$base-windows-amd64.zip does not hold the signed $exe"
	fi
	# The console twin lives only in the zip, signed like the app.
	unzip -p "$signed/$base-windows-amd64.zip" "$base-cli.exe" >"$work/twin.exe"
	if osslsigncode verify -CAfile "$work/cert/ca.pem" -in "$work/twin.exe" 2>&1 | grep -q "Signature verification: ok"; then
		pass "$base-windows-amd64.zip: $base-cli.exe is signed and verifies"
	else
		fail "$base-windows-amd64.zip: $base-cli.exe is not signed"
	fi
done
if (cd "$signed" && sha256sum --quiet -c SHA256SUMS) && grep -q " maildoctor.exe$" "$signed/SHA256SUMS" &&
	grep -q " index.html$" "$signed/SHA256SUMS"; then
	pass "SHA256SUMS matches the signed files and the page"
else
	fail "SHA256SUMS does not match the signed files"
fi
if grep -q 'class="warn"' "$signed/index.html" || ! grep -q 'class="warn"' "$dist/index.html"; then
	fail "index.html: the unsigned warning should show for the unsigned build only"
else
	pass "index.html: no SmartScreen warning for the signed build, a warning for the unsigned one"
fi

# --- 2b. the key in a PKCS#11 token --------------------------------------------
hsm=$work/hsm
mkdir -p "$hsm/tokens"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$hsm/tokens" >"$hsm/softhsm2.conf"
export SOFTHSM2_CONF=$hsm/softhsm2.conf
pin=$(od -An -N4 -tu4 /dev/urandom | tr -d ' \n')
softhsm2-util --init-token --free --label mdtest --pin "$pin" --so-pin "$pin" >/dev/null
openssl pkcs12 -in "$work/cert/sign.p12" -passin "pass:$pass_word" -nocerts -nodes 2>/dev/null |
	openssl pkcs8 -topk8 -nocrypt -out "$hsm/key.pem"
openssl pkcs12 -in "$work/cert/sign.p12" -passin "pass:$pass_word" -nokeys -clcerts 2>/dev/null |
	openssl x509 -out "$hsm/chain.pem"
softhsm2-util --import "$hsm/key.pem" --token mdtest --label mdsign --id 01 --pin "$pin" >/dev/null
rm -f "$hsm/key.pem"
module=$(dpkg -L libsofthsm2 softhsm2 2>/dev/null | grep -m1 '/libsofthsm2\.so$')
cp "$dist/maildoctor-legacy.exe" "$hsm/token-signed.exe"
if SIGN_PKCS11_MODULE=$module SIGN_PKCS11_KEY="pkcs11:token=mdtest;object=mdsign;type=private" \
	SIGN_CERTS=$hsm/chain.pem SIGN_PASSWORD=$pin SIGN_CAFILE=$work/cert/ca.pem \
	"$root/scripts/dist-sign.sh" "$name" "$url" "$hsm/token-signed.exe" &&
	osslsigncode verify -CAfile "$work/cert/ca.pem" -in "$hsm/token-signed.exe" 2>&1 | grep -q "Signature verification: ok"; then
	pass "PKCS#11 (SoftHSM token): the legacy .exe signed through SIGN_PKCS11_* verifies"
else
	fail "PKCS#11 (SoftHSM token): signing or verification failed"
fi
unset SOFTHSM2_CONF

# --- 3. PE checks and Wine on the signed files ------------------------------------
if MAILDOCTOR_DIST=$signed "$GO" test -count=1 -run 'TestReleaseExes|TestReleaseZips' ./internal/pecheck/ >"$work/pe.log" 2>&1; then
	pass "signed: PE checks (internal/pecheck)"
else
	cat "$work/pe.log"
	fail "signed: PE checks"
fi
if "$root/scripts/test-dist-wine.sh" "$signed"; then
	pass "signed: the legacy .exe starts under Wine"
else
	fail "signed: Wine"
fi
[ ! -f "$signed/wine-win7.png" ] || cp "$signed/wine-win7.png" "$dist/wine-win7-signed.png"

exit "$failed"
