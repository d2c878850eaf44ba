#!/usr/bin/env bash
# Measures how fast the release binary starts, as the customer sees it:
#   - the app: from process start to its window mapped, and to the first
#     painted frame (the window's pixels are no longer one flat colour),
#     under a private Xvfb, RUNS times (default 10);
#   - the command line: "help" and a usage error of "check" (plus
#     "compat …" once it exists) with hyperfine.
#   scripts/dist-startup.sh [BINARY] [RUNS]   default: the Linux binary in dist/
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${2:-10}
work=$(mktemp -d)
bin=${1:-}
if [ -z "$bin" ]; then
	[ -f dist/maildoctor-linux-amd64.tar.xz ] || { echo "run make dist first" >&2; exit 1; }
	tar -xJf dist/maildoctor-linux-amd64.tar.xz -C "$work"
	bin=$work/maildoctor-linux-amd64/maildoctor
fi

"$(dirname "$0")/install-deps.sh" build xvfb x11-utils imagemagick hyperfine

xvfb=""
app=""
cleanup() {
	[ -z "$app" ] || kill "$app" 2>/dev/null || true
	[ -z "$xvfb" ] || kill "$xvfb" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
Xvfb -displayfd 5 -screen 0 1280x900x24 -nolisten tcp 5>"$work/display" 2>/dev/null &
xvfb=$!
for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.1; done
export DISPLAY=:$(cat "$work/display")
# The app's preferences go to a throwaway home, not the developer's.
export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config
mkdir -p "$HOME"

ms() { echo $((($(date +%s%N) - $1) / 1000000)); }
echo "app: process start → window mapped → first painted frame ($runs runs)"
: >"$work/map" && : >"$work/paint"
for i in $(seq "$runs"); do
	t0=$(date +%s%N)
	"$bin" >/dev/null 2>&1 &
	app=$!
	id=""
	for _ in $(seq 2000); do
		id=$(xwininfo -name "Mail Doctor" 2>/dev/null | awk '/Window id:/ { id = $4 } /Map State: IsViewable/ { print id }' || true)
		[ -n "$id" ] && break
		sleep 0.005
	done
	[ -n "$id" ] || { echo "run $i: no window within 10 s" >&2; exit 1; }
	mapped=$(ms "$t0")
	painted=""
	for _ in $(seq 400); do
		sd=$(import -silent -window "$id" -format '%[fx:standard_deviation]' info: 2>/dev/null || echo 0)
		if awk -v sd="$sd" 'BEGIN { exit !(sd > 0.01) }'; then
			painted=$(ms "$t0")
			break
		fi
	done
	[ -n "$painted" ] || { echo "run $i: window never painted" >&2; exit 1; }
	[ "$i" = 1 ] && import -silent -window "$id" "$work/first.png" 2>/dev/null && cp "$work/first.png" "${SHOT:-/dev/null}" 2>/dev/null || true
	echo "$mapped" >>"$work/map"
	echo "$painted" >>"$work/paint"
	printf '  run %2d: mapped %4d ms, painted %4d ms\n' "$i" "$mapped" "$painted"
	kill "$app"
	wait "$app" 2>/dev/null || true
	app=""
done
stats() { sort -n "$1" | awk '{ a[NR] = $1 } END { printf "median %d ms, min %d ms, max %d ms", a[int((NR + 1) / 2)], a[1], a[NR] }'; }
echo "app window mapped:   $(stats "$work/map")"
echo "app first frame:     $(stats "$work/paint")"
echo "  (the first-frame time includes up to one screenshot, ~$(
	t0=$(date +%s%N)
	import -silent -window root -format '%w' info: >/dev/null 2>&1
	ms "$t0"
) ms, taken to see it)"

echo "command line:"
cmds=("$bin help" "$bin check")
if "$bin" compat --os "windows 7" --client "outlook 2010" >/dev/null 2>"$work/compat.err" || ! grep -q "not available" "$work/compat.err"; then
	cmds+=("$bin compat --os 'windows 7' --client 'outlook 2010'")
fi
hyperfine -N --warmup 3 --runs 50 -i --style basic "${cmds[@]}" 2>&1 | grep -E 'Benchmark|Time \(mean'
