// Prints one plain "N passed, N failed" line from vitest's JSON report (default .vitest-report.json): the line CI reads.
// With --checks <file>, checks outside vitest count too: one "pass <name>" or "fail <name>" line each (CI's steps
// before the tests, the test run's own temporary-folder check after them).
import { existsSync, readFileSync } from "node:fs";

const args = process.argv.slice(2);
const checksAt = args.indexOf("--checks");
const checksFile = checksAt >= 0 ? args.splice(checksAt, 2)[1] : undefined;
const file = args[0] ?? ".vitest-report.json";
const checks = checksFile && existsSync(checksFile) ? readFileSync(checksFile, "utf8").split("\n").filter((line) => line.trim() !== "") : [];
const checksPassed = checks.filter((line) => line.startsWith("pass ")).length;
const checksFailed = checks.length - checksPassed;
if (!existsSync(file)) {
  console.log(`${checksPassed} passed, ${checksFailed + 1} failed`);
} else {
  const report = JSON.parse(readFileSync(file, "utf8"));
  console.log(`${report.numPassedTests + checksPassed} passed, ${report.numFailedTests + checksFailed} failed`);
}
