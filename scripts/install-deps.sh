#!/usr/bin/env bash
# Installs what Mail Doctor needs on Debian/Ubuntu, only what is missing.
#   install-deps.sh build   the toolchain to build and run
#   install-deps.sh test    plus Dovecot (the tests' real mail server) and Go 1.19
#   install-deps.sh testssl Dovecot and testssl.sh, for `make compare-testssl`
#   install-deps.sh MODE PACKAGE...   the mode's packages and these (the
#                           release and measurement scripts name theirs)
set -euo pipefail
mode=${1:-build}
[ $# -eq 0 ] || shift

# Fyne needs cgo, OpenGL and the X11 headers.
want=(gcc pkg-config libgl1-mesa-dev xorg-dev "$@")
if [ "$mode" = wine ]; then
	# Windows code for real: Debian's Wine runs Go 1.19 Windows binaries.
	want+=(wine wine64 golang-1.19-go xvfb imagemagick)
fi
if [ "$mode" = screenshots ]; then
	want+=(xvfb imagemagick)
fi
if [ "$mode" = testssl ]; then
	# The comparison with testssl.sh runs against the test Dovecot.
	want+=(dovecot-imapd dovecot-pop3d dovecot-submissiond openssl testssl.sh)
fi
if [ "$mode" = test ]; then
	# Postfix with Cyrus SASL: the real submission server most providers
	# run (internal/postfixtest starts its own, like Dovecot).
	want+=(dovecot-imapd dovecot-pop3d dovecot-submissiond golang-1.19-go openssl postfix sasl2-bin libsasl2-modules)
	# The journey through the real window (scripts/journey.sh).
	want+=(xvfb xdotool imagemagick)
fi

missing=()
for p in "${want[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
	echo "installing: ${missing[*]}"
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	export DEBIAN_FRONTEND=noninteractive
	# Several scripts may install at once (make -j, a second terminal).
	$sudo apt-get -o DPkg::Lock::Timeout=600 update -qq
	$sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$mode" = test ] || [ "$mode" = testssl ]; then
	# The tests start their own Dovecots on loopback addresses and the
	# standard ports; a system-wide Dovecot listening on every address
	# would take those ports.
	if pgrep -x dovecot >/dev/null 2>&1; then
		echo "stopping the system Dovecot: the tests need ports 993/995/465/143/110/587"
		systemctl stop dovecot 2>/dev/null || service dovecot stop 2>/dev/null || pkill -x dovecot || true
	fi
fi

command -v go >/dev/null || [ -x /usr/local/go/bin/go ] || {
	echo "Go is missing: install Go 1.21 or newer (https://go.dev/dl/) or apt-get install golang" >&2
	exit 1
}
