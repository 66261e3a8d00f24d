#!/usr/bin/env bash
# The project's test command (`npm test`): runs the vitest suite, then prints one
# plain "N passed, N failed" line read from vitest's JSON report.
set -uo pipefail
cd "$(dirname "$0")/.."
report=".vitest-report.json"
rm -f "$report"
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@"
status=$?
node scripts/test-summary.mjs "$report"
exit $status
