#!/usr/bin/env bash
# npm test: the type-check of the whole project (TypeScript 7, tsconfig.check.json) side by side with the
# unit suite (mocha, transpile-only through sucrase, against Pulumi mocks). The type-check's output follows
# the suite's. Exits non-zero when either fails, and says which.
# The slower gates run on their own, and CI (.ci/run, the workflows) runs each of them after this:
# `npm run lint` (ESLint with typed rules), `npm run test:e2e` (plans through the policy pack over gRPC,
# the commands as processes), `npm run test:package` (the component packed and consumed).
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT

started=$(date +%s%N)
node node_modules/typescript-native/bin/tsc -p tsconfig.check.json >"$log" 2>&1 & check_pid=$!
# A larger young generation (V8's --max-semi-space-size, in MiB), as npm run plan has: the suite registers
# thousands of resources under the mocks, and with the default size a quarter of its time was the garbage
# collector promoting short-lived Outputs (npm run bench's "suites" figure measures it).
node --max-semi-space-size=64 node_modules/.bin/mocha; unit_status=$?
wait "$check_pid"; check_status=$?
cat "$log"
ms=$(( ($(date +%s%N) - started) / 1000000 ))
status=0
if [ "$check_status" -eq 0 ]; then
    echo "type-check: no errors"
else
    echo "npm test: the type-check failed (see above)" >&2; status=1
fi
[ "$unit_status" -eq 0 ] || { echo "npm test: unit tests failed" >&2; status=1; }
echo "npm test: $(( ms / 1000 )).$(( ms % 1000 / 100 )) s"
exit "$status"
