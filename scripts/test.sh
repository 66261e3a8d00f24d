#!/usr/bin/env bash
# The project's test command (`npm test`): runs the vitest suite, then prints one
# plain "N passed, N failed" line read from vitest's JSON report, for CI.
set -uo pipefail
cd "$(dirname "$0")/.."
report=".vitest-report.json"
rm -f "$report"
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@"
status=$?
node -e '
const fs = require("node:fs");
const file = process.argv[1];
if (!fs.existsSync(file)) { console.log("0 passed, 1 failed"); process.exit(0); }
const r = JSON.parse(fs.readFileSync(file, "utf8"));
console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed`);
' "$report"
exit $status
