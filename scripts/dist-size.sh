#!/usr/bin/env bash
# Fails when a release file outgrows its budget. A customer downloads it on
# whatever line they have, often while their mail is already broken.
#   .exe                    under 25 MB
#   anything compressed     under 12 MB (tar.xz, zip)
# MB here is 1,000,000 bytes, the stricter reading.
set -euo pipefail
dir=${1:-dist}
exe_budget=$((25 * 1000 * 1000))
packed_budget=$((12 * 1000 * 1000))
fail=0
checked=0

mb() { awk -v b="$1" 'BEGIN { printf "%.2f", b / 1000000 }'; }

check() { # file, budget
	local f=$1 budget=$2 size
	size=$(stat -c %s "$f")
	checked=$((checked + 1))
	if [ "$size" -ge "$budget" ]; then
		printf 'OVER   %-40s %6s MB  (budget %d MB)\n' "${f##*/}" "$(mb "$size")" $((budget / 1000000))
		fail=1
	else
		printf 'ok     %-40s %6s MB  (budget %d MB)\n' "${f##*/}" "$(mb "$size")" $((budget / 1000000))
	fi
}

shopt -s nullglob
for f in "$dir"/*.exe; do check "$f" "$exe_budget"; done
for f in "$dir"/*.tar.xz "$dir"/*.zip; do check "$f" "$packed_budget"; done
# The Linux binary is not sent bare, but it should not grow unnoticed.
tarball=$(echo "$dir"/maildoctor-linux-amd64.tar.xz)
if [ -f "$tarball" ]; then
	size=$(xz -dc "$tarball" | tar -xOf - maildoctor-linux-amd64/maildoctor | wc -c)
	printf 'info   %-40s %6s MB  (inside the tar.xz)\n' "linux maildoctor" "$(mb "$size")"
fi
for want in maildoctor.exe maildoctor-legacy.exe maildoctor-linux-amd64.tar.xz; do
	[ -f "$dir/$want" ] || { echo "missing: $dir/$want (run make dist)"; fail=1; }
done
[ "$fail" -eq 0 ] && echo "sizes: $checked files within budget"
exit "$fail"
