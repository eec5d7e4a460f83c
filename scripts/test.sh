#!/usr/bin/env bash
# npm test: the static checks (scripts/check.mjs: the TypeScript type-check of the project, then ESLint
# reusing that program for its typed rules) and the mocha suite (transpile-only) side by side on the two
# cores; the checks' output follows mocha's. Exits non-zero when either fails, and says which.
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT

node scripts/check.mjs >"$log" 2>&1 & check_pid=$!
node_modules/.bin/mocha; mocha_status=$?

status=0
wait "$check_pid" || status=1
cat "$log"
[ "$status" -eq 0 ] || echo "npm test: type-check or lint failed (see above)" >&2
[ "$mocha_status" -eq 0 ] || { echo "npm test: mocha failed" >&2; status=1; }
exit "$status"
