# Shared by journey.sh and idlecpu.sh: the real app under a private Xvfb,
# in a home folder holding a real Thunderbird profile. Sourced, not run.
#
# journey_start DIR LANG   builds the app, lays out DIR/home, starts Xvfb
#                          and the app; sets APP_PID, XVFB_PID, DISPLAY,
#                          PREFS (the profile's prefs.js)
# journey_stop             ends the app and Xvfb (by their ids)
# shot FILE                a screenshot of the screen
# blue_buttons FILE        the primary (blue) buttons in a screenshot, as
#                          WxH+X+Y, top first (button-sized: not a
#                          progress bar's moving block)
# settled FILE             a screenshot taken once two in a row match
# click_box WxH+X+Y        clicks the middle of a box

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
fixture=$root/detect/clients/thunderbird/testdata/linux-real/tmp/tbhome/prof
# Fyne's primary colour on its dark theme, as Xvfb renders it.
primary='srgb(41,111,246)'

journey_build() {
	local out=$1
	(cd "$root" && go build -tags migrated_fynedo -o "$out/maildoctor" .)
}

journey_home() {
	local home=$1/home
	local prof=$home/.thunderbird/abcd1234.default-release
	rm -rf "$home"
	mkdir -p "$prof"
	printf '[Profile0]\nName=default-release\nIsRelative=1\nPath=abcd1234.default-release\nDefault=1\n\n[General]\nStartWithLastProfile=1\nVersion=2\n' \
		>"$home/.thunderbird/profiles.ini"
	# Thunderbird 153's own prefs.js: mario on IMAP 143 and SMTP 587,
	# both STARTTLS.
	cp "$fixture/prefs.js" "$fixture/compatibility.ini" "$prof/"
	PREFS=$prof/prefs.js
}

free_display() {
	local n
	for n in $(seq 71 99); do
		if [ ! -e "/tmp/.X$n-lock" ] && [ ! -e "/tmp/.X11-unix/X$n" ]; then
			echo ":$n"
			return
		fi
	done
	echo "no free X display" >&2
	return 1
}

journey_start() {
	local dir=$1 lang=$2 locale
	case $lang in
	it) locale=it_IT.UTF-8 ;;
	*) locale=en_GB.UTF-8 ;;
	esac
	[ -x "$dir/maildoctor" ] || journey_build "$dir"
	journey_home "$dir"
	DISPLAY=$(free_display)
	export DISPLAY
	Xvfb "$DISPLAY" -screen 0 1024x768x24 -nolisten tcp >/dev/null 2>&1 &
	XVFB_PID=$!
	for _ in $(seq 50); do
		xdotool getdisplaygeometry >/dev/null 2>&1 && break
		sleep 0.1
	done
	# A runtime folder of its own: the app is single-instance per user,
	# and another Mail Doctor open on this machine must not take the link.
	mkdir -p -m 700 "$dir/run"
	HOME=$dir/home XDG_RUNTIME_DIR=$dir/run LANG=$locale LC_ALL=$locale LANGUAGE=$lang "$dir/maildoctor" >"$dir/app-$lang.log" 2>&1 &
	APP_PID=$!
	timeout 30 xdotool search --sync --name 'Mail Doctor' >/dev/null
}

journey_stop() {
	local p
	for p in ${APP_PID:-} ${XVFB_PID:-}; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	APP_PID= XVFB_PID=
}

shot() { import -window root "$1"; }

settled() {
	local prev
	prev=$(mktemp --suffix .png)
	shot "$prev"
	for _ in $(seq 40); do
		sleep 0.5
		shot "$1"
		if cmp -s "$1" "$prev"; then
			rm -f "$prev"
			return 0
		fi
		cp "$1" "$prev"
	done
	rm -f "$prev"
	return 1
}

blue_buttons() {
	convert "$1" -fuzz 6% -fill black +opaque "$primary" -fill white -opaque "$primary" \
		-define connected-components:verbose=true -define connected-components:area-threshold=400 \
		-connected-components 8 null: 2>/dev/null |
		awk 'NR > 1 && $NF == "srgb(255,255,255)" { split($2, g, /[x+]/); if (g[1] >= 80 && g[2] >= 28 && g[2] <= 44) print $2 }' |
		sort -t+ -k3 -n
}

click_box() {
	local w h x y
	IFS='x+' read -r w h x y <<<"$1"
	xdotool mousemove $((x + w / 2)) $((y + h / 2)) click 1
}

# wait_for SECONDS COMMAND...: runs COMMAND every 0.5 s until it succeeds.
wait_for() {
	local n=$(($1 * 2))
	shift
	for _ in $(seq "$n"); do
		"$@" && return 0
		sleep 0.5
	done
	return 1
}
