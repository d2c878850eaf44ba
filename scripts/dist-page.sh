#!/usr/bin/env bash
# Writes the download page DIST/index.html again, and SHA256SUMS after it:
# run it after adding files built elsewhere (the macOS zips from
# scripts/dist-macos.sh) so the page offers them. scripts/dist.sh does the
# same at the end of every build.
#   scripts/dist-page.sh [DIST]     default dist/
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(cd "${1:-dist}" && pwd)
GO=${GO:-go}
version=$(sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml)
"$GO" run ./packaging/downloadpage -version "$version" "$out"
(cd "$out" && sha256sum -- * | grep -v ' SHA256SUMS$' >SHA256SUMS)
echo "wrote $out/index.html and $out/SHA256SUMS"
