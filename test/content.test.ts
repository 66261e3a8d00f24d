// Discovers every test case of the repository's content and registers one vitest test per case, so `npm test`
// counts content cases in its "N passed, N failed" line. Passes with no content at all.
import { describe, expect, it } from "vitest";
import { checkTestCoverage } from "../src/checks/test-coverage.ts";
import { formatDiagnostic, indentBlock } from "../src/testing/reporters/format-diagnostic.ts";
import { repositoryContentPlan, runCheckedCase } from "../src/testing/test-support.ts";
import type { CaseResult } from "../src/testing/verdict/verdict.ts";

// planned and run once per worker process with the engine self-check (src/testing/engine-self-check.test.ts)
const plan = await repositoryContentPlan();

/** A failed case as the CLI prints it: positioned messages with table or snapshot diffs. */
function explain(result: CaseResult): string {
  return result.failures.map((f) => [formatDiagnostic(f.diagnostic), f.diff ? indentBlock(f.diff, "  ") : ""].join("\n")).join("\n");
}

describe("content test files", () => {
  it("plan without findings (targets exist, cases are well-formed, snapshots readable)", () => {
    const errors = plan.diagnostics.filter((d) => d.severity === "error" && d.code.startsWith("SC5"));
    expect(errors.map((d) => formatDiagnostic(d))).toEqual([]);
  });

  it("meet the coverage gate (a firing and a silent case per rule, a case with rows per hunting query)", () => {
    const errors = checkTestCoverage(plan.repository).filter((d) => d.severity === "error");
    expect(errors.map((d) => formatDiagnostic(d))).toEqual([]);
  });
});

describe.each([...new Set(plan.cases.map((c) => c.testsFile))])("%s", (testsFile) => {
  it.each(plan.cases.filter((c) => c.testsFile === testsFile).map((c) => [c.name, c] as const))("%s", (_, planned) => {
    const { result } = runCheckedCase(planned);
    if (result.status !== "passed") expect.fail(`${result.status}:\n${explain(result)}`);
  });
});
