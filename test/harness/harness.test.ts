// End-to-end proof of the harness on its own fixture content (test/harness/repo): one rule per data source
// (AzureActivity, AzureDiagnostics, OpenAIAuditLogs_CL) with firing, silent, snapshot and timeline cases, a
// parser and a hunting query; then the CLI on a broken copy, for exit codes, diffs and JUnit.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOfflineEngine } from "../../src/testing/run/offline-engine.ts";
import type { TestReport } from "../../src/testing/reporters/report.ts";
import { runContentTests } from "../../src/testing/run/run-tests.ts";
import { cli, fixtureRepo } from "./cli-support.ts";

describe("the harness fixture repository", () => {
  let report: TestReport;
  beforeAll(async () => {
    report = await runContentTests({ root: fixtureRepo, engine: createOfflineEngine() });
  });

  it("passes every case, with no findings and the coverage gate met", () => {
    const bad = report.results.filter((r) => r.status !== "passed").map((r) => `${r.name}: ${r.failures.map((f) => f.diagnostic.message).join("; ")}`);
    expect(bad).toEqual([]);
    expect(report.diagnostics).toEqual([]);
    expect(report.summary).toMatchObject({ passed: 14, failed: 0, errors: 0 });
  });

  it.each([
    ["analytics-rules/azure-activity/key-listed-by-new-caller.tests.yaml", 4],
    ["analytics-rules/azure-openai/content-filter-burst.tests.yaml", 3],
    ["analytics-rules/openai-platform/api-key-created-from-new-ip.tests.yaml", 3],
    ["hunting-queries/azure-activity/key-operations-by-caller.tests.yaml", 1],
    ["parsers/harness-key-operations.tests.yaml", 1],
    ["workbooks/key-activity.tests.yaml", 2],
  ])("runs %s (%d cases)", (file, count) => {
    expect(report.results.filter((r) => r.testsFile === file)).toHaveLength(count);
  });
});

describe("sentinel-content test on a broken copy", () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), "harness-e2e-"));
    cpSync(fixtureRepo, root, { recursive: true });
    const rule = path.join(root, "analytics-rules/azure-openai/content-filter-burst.yaml");
    // a detection change: the threshold moves from 3 to 6 blocked requests
    writeFileSync(rule, readFileSync(rule, "utf8").replace("| where Blocked >= 3", "| where Blocked >= 6"));
    const fixture = path.join(root, "analytics-rules/openai-platform/fixtures/key-created.json");
    writeFileSync(fixture, readFileSync(fixture, "utf8").replace('"ActorType"', '"ActorKind"'));
    // a workbook change: the busiest callers are no longer listed first
    const workbook = path.join(root, "workbooks/key-activity.yaml");
    writeFileSync(workbook, readFileSync(workbook, "utf8").replace("order by Operations desc", "order by Operations asc"));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  // two worker threads loading Kusto.Language on CPUs crowded by other work can take minutes, and a run that timed out
  // would go on printing into a later test's output: hence the long timeout
  it("exits 1 and shows the failing expectations with table diffs and the bad fixture column", async () => {
    const { code, out } = await cli(["test", "-C", root]);
    expect(code).toBe(1);
    expect(out).toContain("FAIL analytics-rules/azure-openai/content-filter-burst.tests.yaml › five blocked requests raise a high-severity alert");
    expect(out).toMatch(/- 81\.2\.69\.\*\*\* +5 +High +│/);
    expect(out).toContain("analytics-rules/openai-platform/fixtures/key-created.json:6:5 error SC5002 OpenAIAuditLogs_CL has no column ActorKind");
    expect(out).toContain("FAIL workbooks/key-activity.tests.yaml › a week of key operations, both kinds selected");
    expect(out).toContain("error SC5001 step operations-by-caller: result rows differ from the expected values");
    expect(out).toMatch(/\d+ passed, 3 failed, 1 errors/);
  }, 300_000);

  // The run above takes the default --jobs (worker threads, each loading Kusto.Language); the runs below are about
  // the report and options alone, so they run their cases on this thread.
  it("writes JUnit for CI", async () => {
    const output = path.join(root, "junit.xml");
    const { code } = await cli(["test", "-C", root, "--jobs", "1", "--format", "junit", "--output", output]);
    expect(code).toBe(1);
    const xml = readFileSync(output, "utf8");
    expect(xml).toMatch(/^<\?xml/);
    expect(xml).toMatch(/<testsuites name="sentinel-content test" tests="14" failures="3" errors="1"/);
    expect(xml).toContain('<failure message="SC5001 expected an alert, but the trigger condition (0 rows gt 0) is false"');
  });

  it("selects by path and reports JSON", async () => {
    const { code, out } = await cli(["test", "-C", root, "hunting-queries", "--format", "json"]);
    expect(code).toBe(0);
    const json = JSON.parse(out) as { summary: { passed: number }; cases: { name: string }[] };
    expect(json.summary.passed).toBe(1);
    expect(json.cases.map((c) => c.name)).toEqual(["counts per caller, busiest first"]);
  });

  it("rejects a bad --format as a usage error", async () => {
    expect((await cli(["test", "-C", root, "--format", "xml"])).code).toBe(2);
  });
});
