#!/usr/bin/env bash
# Reproducibility: builds the release twice, once here (dist/) and once
# from a copy of the tree at another path with an empty Go build cache,
# and compares the sha256 of every file. A customer, or a provider, can
# then check that a download is what this source builds.
#   scripts/dist-repro.sh      (the second build is a cold one: ~15 min)
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
# The same files, tracked or new, as the build here sees.
mkdir -p "$work/src/elsewhere"
git ls-files -z --cached --others --exclude-standard | xargs -0 tar -cf - | tar -xf - -C "$work/src/elsewhere"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}

SECONDS=0
scripts/dist.sh dist >"$work/a.log" 2>&1 || { cat "$work/a.log"; exit 1; }
echo "build 1 (here, warm cache): $SECONDS s"
SECONDS=0
(cd "$work/src/elsewhere" && GOCACHE=$work/gocache scripts/dist.sh "$work/dist") >"$work/b.log" 2>&1 || { cat "$work/b.log"; exit 1; }
echo "build 2 (elsewhere, empty build cache): $SECONDS s"
(cd dist && sha256sum -- *.exe *.zip *.tar.xz) >"$work/a.sum"
(cd "$work/dist" && sha256sum -- *.exe *.zip *.tar.xz) >"$work/b.sum"
if diff "$work/a.sum" "$work/b.sum"; then
	echo "reproducible: every file has the same sha256"
	cat "$work/a.sum"
else
	echo "NOT reproducible (left: dist/, right: the second build)"
	exit 1
fi
