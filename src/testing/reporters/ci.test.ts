import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeDiagnostic } from "../../diagnostics/index.ts";
import type { CaseResult } from "../verdict/verdict.ts";
import { formatCi, testSummaryMarkdown } from "./ci.ts";
import { formatCiWithSummary } from "./ci-output.ts";
import type { TestReport } from "./report.ts";

const failed: CaseResult = {
  testsFile: "analytics-rules/a/r.tests.yaml",
  target: "analytics-rules/a/r.yaml",
  kind: "analytic-rule",
  name: "must alert | on 50% \u0007",
  line: 4,
  status: "failed",
  failures: [{ diagnostic: makeDiagnostic("SC5001", { file: "analytics-rules/a/r.tests.yaml", start: { line: 9, col: 7 } }, "expected 1 result rows, got 0") }],
  durationMs: 12,
};
const report: TestReport = {
  results: [{ ...failed, name: "ok", status: "passed", failures: [] }, failed],
  diagnostics: [makeDiagnostic("SC5020", { file: "analytics-rules/a/other.yaml" }, "no test case shows this rule firing")],
  summary: { passed: 1, failed: 1, errors: 0, durationMs: 1500 },
  snapshotsWritten: [],
};

describe("test --format github|azure-devops (golden output)", () => {
  it("github", async () => {
    await expect(formatCi("github", report)).toMatchFileSnapshot("./__golden__/test-github.txt");
  });
  it("azure-devops", async () => {
    await expect(formatCi("azure-devops", report)).toMatchFileSnapshot("./__golden__/test-azure-devops.txt");
  });
  it("job summary", async () => {
    await expect(testSummaryMarkdown(report)).toMatchFileSnapshot("./__golden__/test-summary.md");
  });
});

describe("CI test output", () => {
  it("annotates each failure at its own line, naming the case, and nothing for passing cases", () => {
    const lines = formatCi("github", report).split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^::error file=analytics-rules\/a\/r\.tests\.yaml,line=9,col=7,title=SC5001::must alert \| on 50%25 \ufffd: expected 1 result rows, got 0/);
    expect(lines[2]).toBe("1 passed, 1 failed, 0 errors");
  });
  it("a clean run has a green summary without a failure table", () => {
    const clean = { ...report, results: report.results.slice(0, 1), diagnostics: [], summary: { ...report.summary, failed: 0 } };
    expect(testSummaryMarkdown(clean)).toMatch(/^### ✅/);
    expect(testSummaryMarkdown(clean)).not.toContain("| status |");
  });
  it("publishes the summary to $GITHUB_STEP_SUMMARY alongside the annotations", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "test-summary-"));
    try {
      const file = path.join(dir, "s.md");
      formatCiWithSummary("github", report, { GITHUB_STEP_SUMMARY: file });
      expect(readFileSync(file, "utf8")).toContain("| failed | must alert \\| on 50% \ufffd |");
      expect(formatCiWithSummary("azure-devops", report, { TF_BUILD: "True", AGENT_TEMPDIRECTORY: dir }).split("\n").at(-1)).toBe(`##vso[task.uploadsummary]${path.join(dir, "sentinel-content-test-summary.md")}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
