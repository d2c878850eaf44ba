#!/usr/bin/env bash
# Makes a throwaway code-signing certificate for make test-dist: a test root
# CA and a leaf with the codeSigning extended key usage, like a real
# provider's certificate, but trusted by nobody.
#   scripts/make-test-signcert.sh DIR PASSWORD
# writes DIR/ca.pem (to verify against: SIGN_CAFILE) and DIR/sign.p12
# (SIGN_PKCS12, protected by PASSWORD). Never use it for a release.
set -euo pipefail
dir=$1
pass=$2
"$(dirname "$0")/install-deps.sh" build openssl >/dev/null
mkdir -p "$dir"
cd "$dir"
openssl req -x509 -newkey rsa:3072 -nodes -keyout ca.key -out ca.pem -days 2 -sha256 \
	-subj "/CN=Mail Doctor test root (throwaway)" \
	-addext "basicConstraints=critical,CA:TRUE" \
	-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey rsa:3072 -nodes -keyout sign.key -out sign.csr -sha256 \
	-subj "/C=IT/O=Mail Doctor Example Hosting (TEST)/CN=Mail Doctor Example Hosting (TEST)" 2>/dev/null
cat >ext.cnf <<'EOF'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=codeSigning
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
EOF
openssl x509 -req -in sign.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -sha256 \
	-extfile ext.cnf -out sign.pem 2>/dev/null
openssl pkcs12 -export -inkey sign.key -in sign.pem -certfile ca.pem \
	-name "Mail Doctor test signing" -passout "pass:$pass" -out sign.p12
rm -f sign.key ca.key sign.csr ext.cnf ca.srl
