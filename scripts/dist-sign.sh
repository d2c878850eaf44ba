#!/usr/bin/env bash
# Authenticode-signs Windows .exe files in place with Debian's osslsigncode,
# then verifies each signature. Called by scripts/dist.sh for the release
# files; make test-dist runs it with a throwaway certificate.
#   scripts/dist-sign.sh PRODUCT_NAME PROVIDER_URL FILE.exe...
# The provider's code-signing certificate comes from the environment:
#   SIGN_PKCS12         the certificate and its key, a .p12/.pfx file
#   SIGN_PASSWORD       its password (read from the environment only, handed
#                       to osslsigncode on stdin: never on a command line)
#   SIGN_TIMESTAMP_URL  optional RFC 3161 time-stamping server, e.g.
#                       http://timestamp.digicert.com (a time-stamped
#                       signature stays valid after the certificate expires)
#   SIGN_CAFILE         optional: the roots to verify against (default: the
#                       system's /etc/ssl/certs/ca-certificates.crt)
#   SIGN_TSA_CAFILE     optional: the roots for the time-stamp (default: SIGN_CAFILE)
# Or, for a key that lives in a USB token or an HSM (every code-signing
# certificate issued since June 2023), through PKCS#11 instead of SIGN_PKCS12:
#   SIGN_PKCS11_MODULE  the token's PKCS#11 library (.so), from its vendor
#   SIGN_PKCS11_KEY     the key's PKCS#11 URI, e.g. pkcs11:token=NAME;object=LABEL;type=private
#   SIGN_CERTS          the certificate and its intermediate CAs, PEM
#   SIGN_PASSWORD       the token's PIN
# Without either the files are left as they are and one line says so.
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 PRODUCT_NAME PROVIDER_URL FILE.exe..." >&2; exit 2; }
name=$1
url=$2
shift 2

if [ -n "${SIGN_PKCS11_MODULE:-}" ]; then
	[ -r "$SIGN_PKCS11_MODULE" ] || { echo "SIGN_PKCS11_MODULE=$SIGN_PKCS11_MODULE: not a readable file" >&2; exit 1; }
	[ -n "${SIGN_PKCS11_KEY:-}" ] || { echo "SIGN_PKCS11_MODULE needs SIGN_PKCS11_KEY, the key's pkcs11: URI" >&2; exit 1; }
	[ -r "${SIGN_CERTS:-}" ] || { echo "SIGN_PKCS11_MODULE needs SIGN_CERTS, the certificate chain (PEM)" >&2; exit 1; }
	"$(dirname "$0")/install-deps.sh" build osslsigncode libengine-pkcs11-openssl >/dev/null
	key=(-pkcs11module "$SIGN_PKCS11_MODULE" -certs "$SIGN_CERTS" -key "$SIGN_PKCS11_KEY")
elif [ -n "${SIGN_PKCS12:-}" ]; then
	[ -r "$SIGN_PKCS12" ] || { echo "SIGN_PKCS12=$SIGN_PKCS12: not a readable file" >&2; exit 1; }
	"$(dirname "$0")/install-deps.sh" build osslsigncode >/dev/null
	key=(-pkcs12 "$SIGN_PKCS12")
else
	echo "   unsigned: SIGN_PKCS12 is not set, so Windows SmartScreen will warn on first start (docs/release.md)"
	exit 0
fi

cafile=${SIGN_CAFILE:-/etc/ssl/certs/ca-certificates.crt}
tsacafile=${SIGN_TSA_CAFILE:-$cafile}
ts=()
[ -z "${SIGN_TIMESTAMP_URL:-}" ] || ts=(-ts "$SIGN_TIMESTAMP_URL")
desc=(-n "$name")
[ -z "$url" ] || desc+=(-i "$url")

for f in "$@"; do
	tmp=$f.signing
	rm -f "$tmp"
	# -h sha256: SHA-1 Authenticode signatures are no longer trusted by
	# Windows. -n and -i: the name and URL the UAC/SmartScreen dialogs and
	# the file's Digital Signatures tab show. -comm: a company's
	# certificate (commercial purpose), not an individual's.
	if ! printf '%s' "${SIGN_PASSWORD:-}" | osslsigncode sign "${key[@]}" -readpass - \
		-h sha256 -comm "${desc[@]}" "${ts[@]}" -in "$f" -out "$tmp" >"$tmp.log" 2>&1; then
		echo "signing $(basename "$f") failed:" >&2
		cat "$tmp.log" >&2
		rm -f "$tmp" "$tmp.log"
		exit 1
	fi
	vflags=(-CAfile "$cafile")
	[ ${#ts[@]} -eq 0 ] || vflags+=(-TSA-CAfile "$tsacafile")
	if ! osslsigncode verify "${vflags[@]}" -in "$tmp" >"$tmp.log" 2>&1 ||
		! grep -q "Signature verification: ok" "$tmp.log"; then
		echo "the signature of $(basename "$f") does not verify:" >&2
		cat "$tmp.log" >&2
		rm -f "$tmp" "$tmp.log"
		exit 1
	fi
	signer=$(sed -n 's/^[[:space:]]*Subject: //p' "$tmp.log" | head -n1)
	mv "$tmp" "$f"
	rm -f "$tmp.log"
	echo "   signed and verified: $(basename "$f") (SHA-256${ts:+, time-stamped}; $signer)"
done
