#!/usr/bin/env bash
# npm test: type-check and lint in parallel (each is mostly one core reading @pulumi/aws's types), then
# the mocha suite, transpile-only. Fails if any of the three fails, and says which.
set -uo pipefail
cd "$(dirname "$0")/.."
bin=node_modules/.bin

"$bin/tsc" --noEmit -p . & tsc_pid=$!
"$bin/eslint" --max-warnings 0 . & lint_pid=$!
status=0
wait "$tsc_pid" || { echo "npm test: tsc --noEmit failed" >&2; status=1; }
wait "$lint_pid" || { echo "npm test: eslint failed" >&2; status=1; }
[ "$status" -eq 0 ] || exit "$status"
"$bin/mocha"
