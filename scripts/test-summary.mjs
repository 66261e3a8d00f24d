// Prints one plain "N passed, N failed" line from vitest's JSON report (default .vitest-report.json): the line CI reads.
import { existsSync, readFileSync } from "node:fs";

const file = process.argv[2] ?? ".vitest-report.json";
if (!existsSync(file)) {
  console.log("0 passed, 1 failed");
} else {
  const report = JSON.parse(readFileSync(file, "utf8"));
  console.log(`${report.numPassedTests} passed, ${report.numFailedTests} failed`);
}
