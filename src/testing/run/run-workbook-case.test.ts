import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadText } from "../../load/index.ts";
import { createOfflineEngine } from "./offline-engine.ts";
import { planContentTests } from "./plan.ts";
import type { CaseResult } from "../verdict/verdict.ts";
import { workbookSteps } from "./workbook-steps.ts";
import { removedAfterAll } from "../../files/test-support.ts";

// the temporary folders this file makes, removed after its tests
const temporaryFolders = removedAfterAll();

const WORKBOOK = `id: 0b7d3f1a-4c62-4e85-9a0b-6f2e8d4c1a57
displayName: Test workbook
category: sentinel
version: '1.0.0'
content:
  version: Notebook/1.0
  items:
    - type: 9
      name: parameters
      content:
        parameters:
          - { name: TimeRange, type: 4, value: { durationMs: 86400000 } }
          - { name: Callers, type: 2, multiSelect: true, quote: "'", delimiter: "," }
    - type: 3
      name: listings
      content:
        query: |
          AzureActivity
          | where TimeGenerated {TimeRange}
          | summarize Calls = count() by Caller
        queryType: 0
    - type: 12
      name: group
      content:
        items:
          - type: 3
            name: by-caller
            content:
              query: |
                AzureActivity
                | where TimeGenerated {TimeRange} and Caller in ({Callers})
                | project Caller, OperationNameValue
          - type: 3
            content:
              query: |
                AzureActivity | where TimeGenerated between (datetime({TimeRange:start}) .. datetime({TimeRange:end})) | count
    - type: 3
      name: subscriptions
      content:
        query: resourcecontainers | where type == 'microsoft.resources/subscriptions'
        queryType: 1
`;

const ROWS = `    tables:
      AzureActivity:
        - { TimeGenerated: 2026-11-20T10:00:00Z, Caller: alice@contoso.com, OperationNameValue: MICROSOFT.COGNITIVESERVICES/ACCOUNTS/LISTKEYS/ACTION }
        - { TimeGenerated: 2026-11-20T11:00:00Z, Caller: alice@contoso.com, OperationNameValue: MICROSOFT.COGNITIVESERVICES/ACCOUNTS/WRITE }
        - { TimeGenerated: 2026-11-20T12:00:00Z, Caller: bob@contoso.com, OperationNameValue: MICROSOFT.COGNITIVESERVICES/ACCOUNTS/LISTKEYS/ACTION }
        - { TimeGenerated: 2026-11-10T12:00:00Z, Caller: old@contoso.com, OperationNameValue: MICROSOFT.COGNITIVESERVICES/ACCOUNTS/WRITE }
`;

function repo(tests: string, workbook = WORKBOOK): string {
  const root = mkdtempSync(path.join(tmpdir(), "workbook-tests-"));
  temporaryFolders.push(root);
  mkdirSync(path.join(root, "workbooks"));
  writeFileSync(path.join(root, "workbooks/w.yaml"), workbook);
  writeFileSync(path.join(root, "workbooks/w.tests.yaml"), tests);
  return root;
}

async function run(tests: string, workbook?: string): Promise<{ results: CaseResult[]; diagnostics: string[] }> {
  const plan = await planContentTests(repo(tests, workbook), { engine: createOfflineEngine() });
  return { results: plan.cases.map((c) => c.run()), diagnostics: plan.diagnostics.map((d) => `${d.code} ${d.file}:${d.line} ${d.message}`) };
}

const failuresOf = (result: CaseResult | undefined) => result?.failures.map((f) => `${f.diagnostic.code} ${f.diagnostic.file}:${f.diagnostic.line} ${f.diagnostic.message}`);

describe("workbookSteps", () => {
  it("finds query items at the top level and inside groups, named or not, and tells Logs queries from others", () => {
    const file = loadText(WORKBOOK, "workbooks/w.yaml", "workbook").file;
    expect(workbookSteps(file?.data).map((s) => [s.name, s.named, s.logs, s.path.join(".")])).toEqual([
      ["listings", true, true, "content.items.1"],
      ["by-caller", true, true, "content.items.2.content.items.0"],
      ["content.items.2.content.items.1", false, true, "content.items.2.content.items.1"],
      ["subscriptions", true, false, "content.items.3"],
    ]);
  });
});

describe("workbook cases", () => {
  it("runs every Logs step with the parameters expanded and checks the named ones", async () => {
    const tests = `cases:
  - name: last day
    now: 2026-11-21T00:00:00Z
    parameters: { TimeRange: 1d, Callers: [alice@contoso.com] }
${ROWS}    expect:
      steps:
        listings: { rows: 2, values: [{ Caller: alice@contoso.com, Calls: 2 }, { Caller: bob@contoso.com, Calls: 1 }] }
        by-caller: { minRows: 2, values: [{ OperationNameValue: MICROSOFT.COGNITIVESERVICES/ACCOUNTS/WRITE }, { OperationNameValue: MICROSOFT.COGNITIVESERVICES/ACCOUNTS/LISTKEYS/ACTION }] }
  - name: the workbook's default range (1d) and a longer one
    now: 2026-11-21T00:00:00Z
    parameters: { TimeRange: 14d, Callers: [nobody@contoso.com] }
${ROWS}    expect:
      steps:
        listings: { rows: 3 }
        by-caller: { rows: 0 }
`;
    const { results, diagnostics } = await run(tests);
    expect(diagnostics).toEqual([]);
    expect(results.map((r) => [r.kind, r.status, failuresOf(r)])).toEqual([
      ["workbook", "passed", []],
      ["workbook", "passed", []],
    ]);
  });

  it("fails a step whose rows differ, with the rows as a table", async () => {
    const tests = `cases:
  - name: wrong
    now: 2026-11-21T00:00:00Z
    parameters: { TimeRange: 1d, Callers: [x] }
${ROWS}    expect:
      steps:
        listings: { rows: 5, minRows: 4, values: [{ Caller: carol@contoso.com }] }
`;
    const { results } = await run(tests);
    expect(results[0]?.status).toBe("failed");
    expect(failuresOf(results[0])).toEqual([
      "SC5001 workbooks/w.tests.yaml:13 step listings: expected 5 result rows, got 2",
      "SC5001 workbooks/w.tests.yaml:13 step listings: expected at least 4 result rows, got 2",
      expect.stringMatching(/^SC5001 workbooks\/w.tests.yaml:13 step listings: result rows differ from the expected values/),
    ]);
    expect(results[0]?.failures[0]?.diff).toContain("alice@contoso.com");
  });

  it.each([
    ["a step the workbook does not have", "steps: { nope: { minRows: 1 } }", "", "SC5007 workbooks/w.tests.yaml:12 workbooks/w.yaml has no query step named nope (its steps: listings, by-caller, subscriptions)"],
    ["a Resource Graph step", "steps: { subscriptions: { minRows: 1 } }", "", "SC5007 workbooks/w.tests.yaml:12 step subscriptions is not a Log Analytics query (queryType 0) and cannot run offline"],
    ["a parameter the workbook does not define", "steps: { listings: { minRows: 1 } }", ", Region: eastus", "SC5007 workbooks/w.tests.yaml:4 parameter Region is not a parameter of workbooks/w.yaml"],
    ["a multi-select value for a single-select parameter", "steps: { listings: { minRows: 1 } }", ", TimeRange: [1d, 2d]", "SC5007 workbooks/w.tests.yaml:4 parameter TimeRange is not multi-select: give one value, not 2"],
  ])("reports %s", async (_name, expectation, extra, message) => {
    const tests = `cases:\n  - name: c\n    now: 2026-11-21T00:00:00Z\n    parameters: { Callers: [x]${extra} }\n${ROWS}    expect:\n      ${expectation}\n`;
    const { results } = await run(tests);
    expect(results[0]?.status).toBe("error");
    expect(failuresOf(results[0])).toEqual([message]);
  });

  it("runs steps the case does not name and reports their engine errors at the query in the workbook", async () => {
    const broken = WORKBOOK.replace("| count", "| where NoSuchColumn == 1");
    const tests = `cases:\n  - name: c\n    now: 2026-11-21T00:00:00Z\n    parameters: { TimeRange: 1d, Callers: [x] }\n${ROWS}    expect:\n      steps: { listings: { rows: 2 } }\n`;
    const { results } = await run(tests, broken);
    expect(results[0]?.status).toBe("error");
    expect(failuresOf(results[0])).toEqual([expect.stringMatching(/^SC5011 workbooks\/w.yaml:36 step content.items.2.content.items.1: .*NoSuchColumn/)]);
  });

  it.each([
    ["no clock", "cases:\n  - name: c\n    expect: { steps: { listings: { rows: 1 } } }\n", /needs `now`/],
    ["a step expectation with an unknown key", "cases:\n  - name: c\n    now: 2026-11-21T00:00:00Z\n    expect: { steps: { listings: { row: 1 } } }\n", /^SC2001 workbooks\/w\.tests\.yaml:4 unexpected key 'row'/],
    ["a step expectation with only ordered", "cases:\n  - name: c\n    now: 2026-11-21T00:00:00Z\n    expect: { steps: { listings: { ordered: true } } }\n", /needs rows, minRows or values/],
    ["an empty steps map", "cases:\n  - name: c\n    now: 2026-11-21T00:00:00Z\n    expect: { steps: {} }\n", /must map each query step name/],
    ["a bad parameter value", "cases:\n  - name: c\n    now: 2026-11-21T00:00:00Z\n    parameters: { TimeRange: { a: 1 } }\n    expect: { steps: { listings: { rows: 1 } } }\n", /^SC2003 workbooks\/w\.tests\.yaml:4 'cases\.0\.parameters\.TimeRange' has none of the allowed forms/],
    ["rule expectations", "cases:\n  - name: c\n    now: 2026-11-21T00:00:00Z\n    expect: { alert: true }\n", /`expect.alert` is not allowed for workbook tests \(allowed: steps\)/],
  ])("rejects a case with %s", async (_name, tests, message) => {
    const { results, diagnostics } = await run(tests);
    expect(results).toEqual([]);
    expect(diagnostics).toEqual([expect.stringMatching(message)]);
  });
});
