import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { QueryEngine } from "./engine-port.ts";
import { planContentTests } from "./plan.ts";
import { makeResultTable } from "../verdict/result-table.ts";
import type { CaseResult } from "../verdict/verdict.ts";
import { removedAfterAll } from "../../files/test-support.ts";

// the temporary folders this file makes, removed after its tests
const temporaryFolders = removedAfterAll();

/** A fake engine: the query names one table (or `source`) and returns all its given rows; `fail` fails at offset 2. */
const fakeEngine: QueryEngine = (query, data) => {
  const name = query.trim().replace(/\(\)$/, "");
  if (name === "fail") return { ok: false, problems: [{ message: "unsupported", code: "SC4001", offset: 2 }] };
  const table = data.tables.get(name);
  if (!table) return { ok: false, problems: [{ message: `no table ${name}` }] };
  return { ok: true, table: makeResultTable(table.columns, table.rows) };
};

function repo(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), "harness-"));
  temporaryFolders.push(root);
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    writeFileSync(path.join(root, p), text);
  }
  return root;
}

async function run(root: string, updateSnapshots = false): Promise<{ results: CaseResult[]; diagnostics: string[]; written: string[] }> {
  const plan = await planContentTests(root, { engine: fakeEngine, updateSnapshots });
  const results = plan.cases.map((c) => c.run());
  return { results, diagnostics: plan.diagnostics.map((d) => `${d.code} ${d.file}:${d.line}`), written: plan.finish() };
}

const rule = [
  "id: 11111111-1111-1111-1111-111111111111",
  "name: Key listed",
  "description: A key was listed",
  "severity: Medium",
  "queryFrequency: 1h",
  "queryPeriod: 1h",
  "triggerOperator: gt",
  "triggerThreshold: 0",
  "tactics: [CredentialAccess]",
  "relevantTechniques: [T1552]",
  "query: AzureActivity",
  "entityMappings:",
  "  - entityType: Account",
  "    fieldMappings: [{ identifier: FullName, columnName: Caller }]",
  "customDetails: { Operation: OperationNameValue }",
  "alertDetailsOverride: { alertDisplayNameFormat: 'Key listed by {{Caller}}' }",
].join("\n");

const row = (time: string, caller: string) => `        - { TimeGenerated: ${time}, Caller: ${caller}, OperationNameValue: MICROSOFT.COGNITIVESERVICES/ACCOUNTS/LISTKEYS/ACTION }`;

describe("query cases", () => {
  it("passes and fails on alert, rows, minRows and values, with diffs", async () => {
    const root = repo({
      "analytics-rules/a/r.yaml": rule,
      "analytics-rules/a/r.tests.yaml": [
        "cases:",
        "  - name: fires",
        "    now: 2026-11-20T12:00:00Z",
        "    tables:",
        "      AzureActivity:",
        row("2026-11-20T11:30:00Z", "alice@contoso.com"),
        "    expect: { alert: true, rows: 1, values: [{ Caller: alice@contoso.com }] }",
        "  - name: outside the window stays silent",
        "    now: 2026-11-20T12:00:00Z",
        "    tables:",
        "      AzureActivity:",
        row("2026-11-20T10:59:00Z", "alice@contoso.com"),
        "    expect: { alert: false }",
        "  - name: wrong expectations",
        "    now: 2026-11-20T12:00:00Z",
        "    tables:",
        "      AzureActivity:",
        row("2026-11-20T11:30:00Z", "bob@contoso.com"),
        "    expect: { alert: false, rows: 2, minRows: 3, values: [{ Caller: alice@contoso.com }] }",
      ].join("\n"),
    });
    const { results } = await run(root);
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ["fires", "passed"],
      ["outside the window stays silent", "passed"],
      ["wrong expectations", "failed"],
    ]);
    const failures = results[2]?.failures ?? [];
    expect(failures.map((f) => f.diagnostic.message)).toEqual([
      "expected no alert, but the trigger condition (1 row gt 0) is true",
      "expected 2 result rows, got 1",
      "expected at least 3 result rows, got 1",
      expect.stringMatching(/^result rows differ/),
    ]);
    expect(failures[0]?.diff).toMatch(/actual rows:\n\s+.*Caller/);
    expect(failures[3]?.diff).toContain("- alice@contoso.com");
    expect(failures[3]?.diff).toContain("+ ");
    expect(failures.map((f) => f.diagnostic.line)).toEqual([19, 19, 19, 19]);
  });

  it("reports fixture problems as errors at the row, and engine problems in the query", async () => {
    const root = repo({
      "analytics-rules/a/r.yaml": rule,
      "analytics-rules/a/bad.yaml": rule.replace("query: AzureActivity", "query: |\n  fail"),
      "analytics-rules/a/r.tests.yaml": [
        "cases:",
        "  - name: bad column",
        "    now: 2026-11-20T12:00:00Z",
        "    tables:",
        "      AzureActivity:",
        "        - { TimeGenerated: 2026-11-20T11:30:00Z, Callr: x }",
        "      NoSuchTable: []",
        "    expect: { alert: true }",
      ].join("\n"),
      "analytics-rules/a/bad.tests.yaml": "cases:\n  - name: engine fails\n    now: 2026-11-20T12:00:00Z\n    expect: { alert: true }\n",
    });
    const { results } = await run(root);
    const byName = new Map(results.map((r) => [r.name, r]));
    expect(byName.get("bad column")?.status).toBe("error");
    expect(byName.get("bad column")?.failures.map((f) => `${f.diagnostic.code} ${f.diagnostic.line}:${f.diagnostic.col}`)).toEqual(["SC5002 6:50", "SC5004 7:20"]);
    const engine = byName.get("engine fails")?.failures[0]?.diagnostic;
    expect(engine).toMatchObject({ code: "SC5011", file: "analytics-rules/a/bad.yaml", line: 12, col: 5, message: "SC4001: unsupported" });
  });

  it("writes, then checks, alert snapshots; a change shows a diff", async () => {
    const tests = [
      "cases:",
      "  - name: snap",
      "    now: 2026-11-20T12:00:00Z",
      "    tables:",
      "      AzureActivity:",
      row("2026-11-20T11:30:00Z", "alice@contoso.com"),
      "    expect: { alert: true, snapshot: true }",
    ].join("\n");
    const root = repo({ "analytics-rules/a/r.yaml": rule, "analytics-rules/a/r.tests.yaml": tests });
    const first = await run(root);
    expect(first.results[0]?.failures[0]?.diagnostic.code).toBe("SC5008");
    const update = await run(root, true);
    expect(update.results[0]?.status).toBe("passed");
    expect(update.written).toEqual(["analytics-rules/a/r.snap.yaml"]);
    const snap = readFileSync(path.join(root, "analytics-rules/a/r.snap.yaml"), "utf8");
    expect(snap).toContain("displayName: Key listed by alice@contoso.com");
    expect(snap).toContain("FullName: alice@contoso.com");
    expect((await run(root)).results[0]?.status).toBe("passed");
    writeFileSync(path.join(root, "analytics-rules/a/r.yaml"), rule.replace("severity: Medium", "severity: High"));
    const changed = await run(root);
    expect(changed.results[0]?.failures[0]?.diagnostic.code).toBe("SC5009");
    expect(changed.results[0]?.failures[0]?.diff).toMatch(/^- +severity: Medium$/m);
  });

  it("delays ingestion by timeline.ingestionDelay, opening a lookback gap, and snapshots the alerts of a timeline with their run", async () => {
    const timeline = (delay: string, alerts: number) =>
      [
        `  - name: delay ${delay || "none"}`,
        `    timeline: { start: 2026-11-19T04:00:00Z, end: 2026-11-19T07:00:00Z${delay ? `, ingestionDelay: ${delay}` : ""} }`,
        "    tables:",
        "      AzureActivity:",
        row("2026-11-19T04:50:00Z", "alice@contoso.com"),
        `    expect: { alerts: ${alerts}, snapshot: true }`,
      ].join("\n");
    const root = repo({ "analytics-rules/a/r.yaml": rule, "analytics-rules/a/r.tests.yaml": ["cases:", timeline("", 1), timeline("20m", 0), timeline("5m", 1)].join("\n") });
    const update = await run(root, true);
    expect(update.results.map((r) => [r.name, r.status])).toEqual([
      ["delay none", "passed"],
      ["delay 20m", "passed"],
      ["delay 5m", "passed"],
    ]);
    const snap = readFileSync(path.join(root, "analytics-rules/a/r.snap.yaml"), "utf8");
    expect(snap).toMatch(/delay none:\n\s+- run: 2026-11-19T05:00:00Z/);
    expect(snap).toMatch(/delay 20m: \[\]/);
    expect((await run(root)).results.map((r) => r.status)).toEqual(["passed", "passed", "passed"]);
    writeFileSync(path.join(root, "analytics-rules/a/r.tests.yaml"), ["cases:", timeline("", 1), timeline("20m", 1), timeline("5m", 1)].join("\n"));
    const wrong = await run(root);
    expect(wrong.results[1]?.failures.map((f) => f.diagnostic.message)).toEqual(["expected 1 alerts over the timeline, got 0"]);
  });

  it("simulates timelines and checks alerts, incidents and firing runs", async () => {
    const root = repo({
      "analytics-rules/a/r.yaml": `${rule}\nincidentConfiguration:\n  createIncident: true\n  groupingConfiguration: { enabled: true, reopenClosedIncident: false, lookbackDuration: 5h, matchingMethod: AllEntities }`,
      "analytics-rules/a/r.tests.yaml": [
        "cases:",
        "  - name: two runs, one incident",
        "    timeline: { start: 2026-11-19T00:00:00Z, end: 2026-11-19T06:00:00Z }",
        "    tables:",
        "      AzureActivity:",
        row("2026-11-19T04:10:00Z", "alice@contoso.com"),
        row("2026-11-19T05:20:00Z", "alice@contoso.com"),
        "    expect: { alerts: 2, incidents: 1, firingRuns: [2026-11-19T05:00:00Z, 2026-11-19T06:00:00Z] }",
        "  - name: wrong count",
        "    timeline: { start: 2026-11-19T00:00:00Z, end: 2026-11-19T06:00:00Z }",
        "    tables:",
        "      AzureActivity:",
        row("2026-11-19T04:10:00Z", "alice@contoso.com"),
        "    expect: { alerts: 3, firingRuns: [2026-11-19T04:00:00Z] }",
      ].join("\n"),
    });
    const { results } = await run(root);
    expect(results[0]?.status).toBe("passed");
    expect(results[1]?.failures.map((f) => f.diagnostic.message)).toEqual([
      "expected 3 alerts over the timeline, got 1",
      "expected firing runs [2026-11-19T04:00:00Z], got [2026-11-19T05:00:00Z]",
    ]);
    expect(results[1]?.failures[0]?.diff).toContain("2026-11-19T05:00:00Z  fired");
  });

  it("reports a missing target and a malformed case without running", async () => {
    const root = repo({
      "analytics-rules/a/orphan.tests.yaml": "cases:\n  - name: c\n    now: 2026-11-20T12:00:00Z\n    expect: { alert: true }\n",
      "analytics-rules/a/r.yaml": rule,
      "analytics-rules/a/r.tests.yaml": "cases:\n  - name: c\n    expect: { alert: true, steps: {} }\n",
    });
    const { results, diagnostics } = await run(root);
    expect(results).toEqual([]);
    expect(diagnostics).toEqual(["SC5006 analytics-rules/a/orphan.tests.yaml:1", "SC5007 analytics-rules/a/r.tests.yaml:3", "SC5007 analytics-rules/a/r.tests.yaml:2"]);
  });
});

describe("ingestion cases", () => {
  const mapping = [
    "id: 22222222-2222-2222-2222-222222222222",
    "name: m",
    "tables:",
    "  - name: Chat_CL",
    "    columns: [{ name: TimeGenerated, type: datetime }, { name: Msg, type: string }]",
    "streams:",
    "  - name: Custom-Raw",
    "    columns: [{ name: TimeGenerated, type: datetime }, { name: Msg, type: string }]",
    "dataFlows:",
    "  - streams: [Custom-Raw]",
    "    outputStream: Custom-Chat_CL",
    "    transformKql: source",
  ].join("\n");

  it.each([
    ["{ TimeGenerated: 2026-11-20T12:00:00Z, Msg: hi }", "passed"],
    ["{ TimeGenerated: 2026-11-20T12:00:00Z, Msg: bye }", "failed"],
    ["{ Msg: hi }", "failed"],
  ])("output %s → %s", async (expected, status) => {
    const root = repo({
      "ingestion/x/m.yaml": mapping,
      "ingestion/x/m.tests.yaml": `cases:\n  - name: c\n    input:\n      Custom-Raw:\n        - { TimeGenerated: 2026-11-20T12:00:00Z, Msg: hi }\n    expect:\n      output:\n        Chat_CL: [${expected}]\n`,
    });
    const { results } = await run(root);
    expect(results[0]?.status).toBe(status);
  });

  it("reports an unknown stream", async () => {
    const root = repo({ "ingestion/x/m.yaml": mapping, "ingestion/x/m.tests.yaml": "cases:\n  - name: c\n    input: { Custom-Nope: [] }\n    expect: { output: { Chat_CL: [] } }\n" });
    const { results } = await run(root);
    expect(results[0]?.failures[0]?.diagnostic).toMatchObject({ code: "SC5004", line: 3 });
  });
});

describe("snapshot files without snapshot cases", () => {
  it("are deleted on update", async () => {
    const root = repo({
      "analytics-rules/a/r.yaml": rule,
      "analytics-rules/a/r.tests.yaml": "cases:\n  - name: c\n    now: 2026-11-20T12:00:00Z\n    expect: { alert: false }\n",
      "analytics-rules/a/r.snap.yaml": "old: []\n",
    });
    await run(root, true);
    expect(existsSync(path.join(root, "analytics-rules/a/r.snap.yaml"))).toBe(false);
  });
});
