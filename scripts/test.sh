#!/usr/bin/env bash
# npm test: the static checks (scripts/check.mjs: the TypeScript type-check of the project, then ESLint
# reusing that program for its typed rules) side by side with the test suites: the unit suite (mocha,
# transpile-only, against Pulumi mocks), then the end-to-end suite (`npm run plan` as a process, and
# through its entry function).
# The checks' output follows the suites'. Exits non-zero when anything fails, and says what.
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT

node scripts/check.mjs >"$log" 2>&1 & check_pid=$!
# The checks are the longest path: the suites yield the CPU to them (nice) and fill the gaps.
nice -n 10 node_modules/.bin/mocha; unit_status=$?
nice -n 10 node_modules/.bin/mocha --config .mocharc.e2e.json; e2e_status=$?
status=0
wait "$check_pid" || status=1
cat "$log"
[ "$status" -eq 0 ] || echo "npm test: type-check or lint failed (see above)" >&2
[ "$unit_status" -eq 0 ] || { echo "npm test: unit tests failed" >&2; status=1; }
[ "$e2e_status" -eq 0 ] || { echo "npm test: end-to-end tests failed" >&2; status=1; }
exit "$status"
