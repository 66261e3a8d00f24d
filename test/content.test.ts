// Discovers every test case of the repository's content and registers one vitest test per case, so `npm test`
// counts content cases in its "N passed, N failed" line. Passes with no content at all. Then the engine self-check
// of the same runs: every result the engine returned for a case checked against Kusto.Language's result schema.
import { describe, expect, it } from "vitest";
import { checkTestCoverage } from "../src/checks/test-coverage.ts";
import { formatDiagnostic, indentBlock } from "../src/testing/reporters/format-diagnostic.ts";
import { repositoryContentPlan, runCheckedCase } from "../src/testing/test-support.ts";
import type { CaseResult } from "../src/testing/verdict/verdict.ts";

// planned once, each case run once for its verdict and the self-check below (src/testing/test-support.ts)
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

/**
 * Queries of the repository's content (rules, hunting queries, parsers, workbook steps) whose result on their
 * test fixtures disagrees with Kusto.Language's result schema, by "tests file > case", each with the reason.
 * Delete an entry when its case passes.
 */
const KNOWN_CONTENT_MISMATCHES: Record<string, string> = {};

/** The schema and cell problems of every case's results (runs shared with the tests above), by case, and how many results were checked. */
function contentProblems(): { problems: Record<string, string[]>; checked: number } {
  const problems: Record<string, string[]> = {};
  let checked = 0;
  for (const planned of plan.cases) {
    const run = runCheckedCase(planned);
    checked += run.checked;
    if (run.problems.length > 0) problems[`${planned.testsFile} > ${planned.name}`] = run.problems;
  }
  return { problems, checked };
}

describe("self-check of the repository's content on its fixtures (no oracle: Kusto.Language's schema and value validity)", () => {
  it("every result matches its schema, apart from the known mismatches", () => {
    const { problems, checked } = contentProblems();
    expect(checked).toBeGreaterThan(50);
    const unexpected = Object.fromEntries(Object.entries(problems).filter(([key]) => !(key in KNOWN_CONTENT_MISMATCHES)));
    const fixed = Object.keys(KNOWN_CONTENT_MISMATCHES).filter((key) => !(key in problems));
    expect({ unexpected, fixed }).toEqual({ unexpected: {}, fixed: [] });
  }, 600_000);
});
