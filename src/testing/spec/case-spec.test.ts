import { describe, expect, it } from "vitest";
import type { ContentKind } from "../../content/kinds.ts";
import { loadText } from "../../load/index.ts";
import { readTestFile } from "./case-spec.ts";

function read(text: string, kind: ContentKind = "analytic-rule") {
  const file = loadText(text, "analytics-rules/a/r.tests.yaml", "tests").file;
  if (!file) throw new Error("did not load");
  return readTestFile(file, kind);
}

const NOW = "    now: 2026-11-20T12:00:00Z\n";

describe("readTestFile", () => {
  it("reads a full case", () => {
    const spec = read(`target: r.yaml\ncases:\n  - name: c\n${NOW}    tables: { AzureActivity: [], T2: f.jsonl }\n    watchlists: { W: [] }\n    expect: { alert: true, rows: 1, minRows: 1, values: [{ A: 1 }], ordered: true, snapshot: true }\n`);
    expect(spec.diagnostics).toEqual([]);
    expect(spec.target).toBe("r.yaml");
    expect(spec.cases[0]).toMatchObject({
      name: "c",
      now: Date.UTC(2026, 10, 20, 12),
      tables: [{ name: "AzureActivity", rows: [] }, { name: "T2", file: "f.jsonl" }],
      watchlists: [{ name: "W", rows: [] }],
      expect: { alert: true, rows: 1, minRows: 1, values: [{ A: 1 }], ordered: true, snapshot: true },
    });
  });

  it("reads a workbook case: parameters (lists for multi-select, scalars as text) and step expectations", () => {
    const spec = read(`cases:\n  - name: w\n${NOW}    parameters: { TimeRange: 7d, Top: 10, Models: [gpt-4o, o3] }\n    expect: { steps: { a: { minRows: 1 }, b: { rows: 2, values: [{ M: o3 }], ordered: true } } }\n`, "workbook");
    expect(spec.diagnostics).toEqual([]);
    expect([...(spec.cases[0]?.parameters ?? [])]).toEqual([["TimeRange", ["7d"]], ["Top", ["10"]], ["Models", ["gpt-4o", "o3"]]]);
    expect(spec.cases[0]?.expect.steps).toEqual([
      { step: "a", minRows: 1, ordered: false },
      { step: "b", rows: 2, values: [{ M: "o3" }], ordered: true },
    ]);
  });

  it("reads a timeline case", () => {
    const spec = read("cases:\n  - name: t\n    timeline: { start: 2026-11-19T00:00:00Z, end: 2026-11-20T00:00:00Z, ingestionDelay: 10m }\n    expect: { alerts: 2, incidents: 1, firingRuns: [2026-11-19T05:00:00Z] }\n");
    expect(spec.diagnostics).toEqual([]);
    expect(spec.cases[0]).toMatchObject({ timeline: { start: Date.UTC(2026, 10, 19), end: Date.UTC(2026, 10, 20), ingestionDelayMs: 600_000 }, expect: { alerts: 2, incidents: 1, firingRuns: [Date.UTC(2026, 10, 19, 5)] } });
  });

  it.each([
    ["no cases list", "target: x.yaml\n", "analytic-rule", /needs a `cases:` list/],
    ["a case that is not a map", "cases:\n  - just text\n", "analytic-rule", /must be a map/],
    ["a case without a name", `cases:\n  - ${NOW.trim()}\n    expect: { alert: true }\n`, "analytic-rule", /non-empty `name`/],
    ["a duplicate name", `cases:\n  - name: a\n${NOW}    expect: { alert: true }\n  - name: a\n${NOW}    expect: { alert: false }\n`, "analytic-rule", /used twice/],
    ["no clock", "cases:\n  - name: a\n    expect: { alert: true }\n", "analytic-rule", /needs `now`/],
    ["workbook parameters on a rule", `cases:\n  - name: a\n${NOW}    parameters: { TimeRange: 1d }\n    expect: { alert: true }\n`, "analytic-rule", /`parameters:` is for workbook cases/],
    ["workbook steps on a hunting query", `cases:\n  - name: a\n${NOW}    expect: { steps: { s: { rows: 1 } } }\n`, "hunting-query", /`expect.steps` is not allowed for hunting-query tests/],
    ["a bad now", "cases:\n  - name: a\n    now: tomorrow\n    expect: { alert: true }\n", "analytic-rule", /not an ISO 8601 datetime/],
    ["now and timeline", `cases:\n  - name: a\n${NOW}    timeline: { start: 2026-11-19T00:00:00Z, end: 2026-11-20T00:00:00Z }\n    expect: { alerts: 1 }\n`, "analytic-rule", /either `now` or `timeline`/],
    ["a reversed timeline", "cases:\n  - name: a\n    timeline: { start: 2026-11-20T00:00:00Z, end: 2026-11-19T00:00:00Z }\n    expect: { alerts: 1 }\n", "analytic-rule", /before timeline.start/],
    ["a timeline on a hunting query", "cases:\n  - name: a\n    timeline: { start: 2026-11-19T00:00:00Z, end: 2026-11-20T00:00:00Z }\n    expect: { rows: 1 }\n", "hunting-query", /only analytic-rule cases/],
    ["alert on a hunting query", `cases:\n  - name: a\n${NOW}    expect: { alert: true }\n`, "hunting-query", /`expect.alert` is not allowed for hunting-query/],
    ["timeline expectations without a timeline", `cases:\n  - name: a\n${NOW}    expect: { alerts: 1 }\n`, "analytic-rule", /needs a `timeline` case/],
    ["point expectations in a timeline", "cases:\n  - name: a\n    timeline: { start: 2026-11-19T00:00:00Z, end: 2026-11-20T00:00:00Z }\n    expect: { rows: 1 }\n", "analytic-rule", /needs a single `now`/],
    ["a negative count", `cases:\n  - name: a\n${NOW}    expect: { rows: -1 }\n`, "analytic-rule", /whole number/],
    ["a non-boolean alert", `cases:\n  - name: a\n${NOW}    expect: { alert: yes }\n`, "analytic-rule", /true or false/],
    ["values that are not rows", `cases:\n  - name: a\n${NOW}    expect: { values: [1, 2] }\n`, "analytic-rule", /list of rows/],
    ["bad firing runs", "cases:\n  - name: a\n    timeline: { start: 2026-11-19T00:00:00Z, end: 2026-11-20T00:00:00Z }\n    expect: { firingRuns: [soon] }\n", "analytic-rule", /ISO 8601 run times/],
    ["an empty expect", `cases:\n  - name: a\n${NOW}    expect: {}\n`, "analytic-rule", /is empty/],
    ["rows that are neither list nor file", `cases:\n  - name: a\n${NOW}    tables: { T: 5 }\n    expect: { alert: true }\n`, "analytic-rule", /list of rows or a fixture file/],
    ["tables in an ingestion case", "cases:\n  - name: a\n    tables: { T: [] }\n    expect: { output: { T: [] } }\n", "ingestion-mapping", /under `input:`/],
    ["input in a rule case", `cases:\n  - name: a\n${NOW}    input: { S: [] }\n    expect: { alert: true }\n`, "analytic-rule", /`input:` is for ingestion-mapping/],
  ])("reports %s", (_, text, kind, message) => {
    const spec = read(text, kind as ContentKind);
    expect(spec.diagnostics.map((d) => d.message)).toContainEqual(expect.stringMatching(message));
    expect(spec.diagnostics.every((d) => d.code === "SC5007" && d.line >= 1)).toBe(true);
  });

  it("keeps the good cases of a file with a bad one", () => {
    const spec = read(`cases:\n  - name: good\n${NOW}    expect: { alert: true }\n  - name: bad\n    expect: { alert: true }\n`);
    expect(spec.cases.map((c) => c.name)).toEqual(["good"]);
    expect(spec.diagnostics).toHaveLength(1);
    expect(spec.diagnostics[0]?.line).toBe(5);
  });
});
