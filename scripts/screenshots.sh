#!/usr/bin/env bash
# Runs the app under a private Xvfb display and writes a PNG of every screen.
set -euo pipefail
out=${1:-docs/screenshots}
display=:97
Xvfb "$display" -screen 0 1280x900x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
sleep 1
DISPLAY=$display go run -tags migrated_fynedo ./internal/screenshots "$out"
