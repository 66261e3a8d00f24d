import { describe, expect, it } from "vitest";
import { makeDiagnostic } from "../../diagnostics/index.ts";
import type { CaseResult } from "../verdict/verdict.ts";
import { formatJson } from "./json.ts";
import { formatJunit } from "./junit.ts";
import { formatPretty } from "./pretty.ts";
import type { TestReport } from "./report.ts";

const failed: CaseResult = {
  testsFile: "analytics-rules/a/r.tests.yaml",
  target: "analytics-rules/a/r.yaml",
  kind: "analytic-rule",
  name: 'quotes " & <tags> \u0007 bell',
  line: 4,
  status: "failed",
  failures: [{ diagnostic: makeDiagnostic("SC5001", { file: "analytics-rules/a/r.tests.yaml", start: { line: 9, col: 7 } }, "expected 1 result rows, got 0"), diff: "  expected │ actual\n- x        │" }],
  durationMs: 12.345,
};
const passed: CaseResult = { ...failed, name: "ok", status: "passed", failures: [] };
const report: TestReport = {
  results: [passed, failed],
  diagnostics: [makeDiagnostic("SC5020", { file: "analytics-rules/a/other.yaml" }, "no test case shows this rule firing")],
  summary: { passed: 1, failed: 1, errors: 0, durationMs: 1500 },
  snapshotsWritten: [],
};

describe("reporters", () => {
  it("pretty: failing cases with positions, diffs and totals; passing ones only when verbose", () => {
    const text = formatPretty(report);
    expect(text).toContain(`FAIL analytics-rules/a/r.tests.yaml › ${failed.name} (12 ms)`);
    expect(text).toContain("  analytics-rules/a/r.tests.yaml:9:7 error SC5001 expected 1 result rows, got 0");
    expect(text).toContain("    - x        │");
    expect(text).toContain("analytics-rules/a/other.yaml:1:1 error SC5020 no test case shows this rule firing");
    expect(text.split("\n").at(-1)).toBe("1 passed, 1 failed, 0 errors (2 cases, 1 other error, 1500 ms)");
    expect(text).not.toContain("PASS");
    expect(formatPretty(report, { verbose: true })).toContain("PASS analytics-rules/a/r.tests.yaml › ok");
  });

  it("junit: escaped, one suite per tests file, findings in their own suite", () => {
    const xml = formatJunit(report);
    expect(xml).toContain('<testsuites name="sentinel-content test" tests="3" failures="1" errors="1" time="1.500">');
    expect(xml).toContain('<testsuite name="analytics-rules/a/r.tests.yaml" tests="2" failures="1" errors="0"');
    expect(xml).toContain('name="quotes &quot; &amp; &lt;tags&gt; \ufffd bell"');
    expect(xml).toContain('<failure message="SC5001 expected 1 result rows, got 0" type="SC5001">');
    expect(xml).toContain('<testsuite name="content findings" tests="1" failures="0" errors="1">');
    expect(xml).not.toMatch(/[\u0000-\u0008]/);
  });

  it("json: every case with its failures and diffs", () => {
    const json = JSON.parse(formatJson(report)) as { summary: unknown; cases: { status: string; failures: { code: string; diff?: string }[] }[]; diagnostics: unknown[] };
    expect(json.summary).toEqual(report.summary);
    expect(json.cases.map((c) => c.status)).toEqual(["passed", "failed"]);
    expect(json.cases[1]?.failures[0]).toMatchObject({ code: "SC5001", line: 9, col: 7, diff: expect.stringContaining("expected") });
    expect(json.diagnostics).toHaveLength(1);
  });
});
