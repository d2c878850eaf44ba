#!/usr/bin/env bash
# Runs every fuzz test of the project for a while each (default 30s):
# the parsers of outside input (autoconfig, prefs.js, .oeaccount, registry
# values, support links and codes, POP3 replies, …).
set -euo pipefail
cd "$(dirname "$0")/.."
time_each=${1:-30s}
for dir in $(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u); do
	for name in $(grep -h '^func Fuzz' "$dir"/*_test.go | sed 's/func \(Fuzz[A-Za-z0-9_]*\).*/\1/'); do
		echo "== $dir $name"
		go test "$dir" -run '^$' -fuzz "^${name}\$" -fuzztime "$time_each" -fuzzminimizetime 3s
	done
done
