#!/usr/bin/env bash
# The project's test command (`npm test`): runs the vitest suite, then prints one
# plain "N passed, N failed" line read from vitest's JSON report, plus the run's own
# check that it left the temporary folder clean (test/global-setup.ts), kept in .vitest-checks
# beside the report so CI's closing line counts it too.
set -uo pipefail
cd "$(dirname "$0")/.."
report=".vitest-report.json"
export SENTINEL_CONTENT_TEST_CHECKS="$PWD/.vitest-checks"
rm -f "$report" "$SENTINEL_CONTENT_TEST_CHECKS"
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@"
status=$?
node scripts/test-summary.mjs "$report" --checks "$SENTINEL_CONTENT_TEST_CHECKS"
exit $status
