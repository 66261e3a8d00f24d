import { describe, expect, it } from "vitest";
import type { ContentKind } from "../../content/kinds.ts";
import { loadText, type LoadedFile } from "../../load/index.ts";
import { checkedEntry } from "../../repository/index.ts";
import { readTestFile } from "./case-spec.ts";

function read(text: string, kind: ContentKind = "analytic-rule") {
  const file = loadText(text, "analytics-rules/a/r.tests.yaml", "tests").file;
  if (!file) throw new Error("did not load");
  return readTestFile(checkedEntry(file as LoadedFile & { kind: "tests" }), kind);
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

  // what the tests schema cannot know: the target's kind, names used twice, the clock, values that do not parse
  it.each([
    ["a duplicate name", `cases:\n  - name: a\n${NOW}    expect: { alert: true }\n  - name: a\n${NOW}    expect: { alert: false }\n`, "analytic-rule", /used twice/],
    ["a blank name", `cases:\n  - name: " "\n${NOW}    expect: { alert: true }\n`, "analytic-rule", /non-empty `name`/],
    ["no clock", "cases:\n  - name: a\n    expect: { alert: true }\n", "analytic-rule", /needs `now`/],
    ["workbook parameters on a rule", `cases:\n  - name: a\n${NOW}    parameters: { TimeRange: 1d }\n    expect: { alert: true }\n`, "analytic-rule", /`parameters:` is for workbook cases/],
    ["workbook steps on a hunting query", `cases:\n  - name: a\n${NOW}    expect: { steps: { s: { rows: 1 } } }\n`, "hunting-query", /`expect.steps` is not allowed for hunting-query tests/],
    ["now and timeline", `cases:\n  - name: a\n${NOW}    timeline: { start: 2026-11-19T00:00:00Z, end: 2026-11-20T00:00:00Z }\n    expect: { alerts: 1 }\n`, "analytic-rule", /either `now` or `timeline`/],
    ["a reversed timeline", "cases:\n  - name: a\n    timeline: { start: 2026-11-20T00:00:00Z, end: 2026-11-19T00:00:00Z }\n    expect: { alerts: 1 }\n", "analytic-rule", /before timeline.start/],
    ["a timeline on a hunting query", "cases:\n  - name: a\n    timeline: { start: 2026-11-19T00:00:00Z, end: 2026-11-20T00:00:00Z }\n    expect: { alerts: 1 }\n", "hunting-query", /only analytic-rule cases/],
    ["alert on a hunting query", `cases:\n  - name: a\n${NOW}    expect: { alert: true }\n`, "hunting-query", /`expect.alert` is not allowed for hunting-query/],
    ["tables in an ingestion case", "cases:\n  - name: a\n    tables: { T: [] }\n    expect: { output: { T: [] } }\n", "ingestion-mapping", /under `input:`/],
    ["input in a rule case", `cases:\n  - name: a\n${NOW}    input: { S: [] }\n    expect: { alert: true }\n`, "analytic-rule", /`input:` is for ingestion-mapping/],
    ["empty workbook steps", `cases:\n  - name: a\n${NOW}    expect: { steps: {} }\n`, "workbook", /expect.steps must map each query step name/],
    ["a step expecting only an order", `cases:\n  - name: a\n${NOW}    expect: { steps: { s: { ordered: true } } }\n`, "workbook", /step s needs rows, minRows or values/],
  ])("reports %s (SC5007)", (_, text, kind, message) => {
    const spec = read(text, kind as ContentKind);
    expect(spec.diagnostics.map((d) => `${d.code} ${d.message}`)).toContainEqual(expect.stringMatching(new RegExp(`^SC5007 .*${message.source}`)));
    expect(spec.diagnostics.every((d) => d.line >= 1)).toBe(true);
  });

  // what the tests schema checks is its finding alone, at the node it points at, and the case is left out
  it.each([
    ["no cases list", "target: x.yaml\n", "SC2002 1:1 missing required key 'cases' in the file"],
    ["a case that is not a map", "cases:\n  - just text\n", "SC2003 2:5 'cases.0' must be a mapping, not the text \"just text\""],
    ["a case without a name", `cases:\n  - ${NOW.trim()}\n    expect: { alert: true }\n`, "SC2002 2:5 missing required key 'name' in 'cases.0'"],
    ["a bad now", "cases:\n  - name: a\n    now: tomorrow\n    expect: { alert: true }\n", "SC2005 3:10 'cases.0.now' \"tomorrow\" is not a valid date-time (e.g. 2026-11-20T12:00:00Z)"],
    ["timeline expectations without a timeline", `cases:\n  - name: a\n${NOW}    expect: { alerts: 1 }\n`, "SC2001 4:15 unexpected key 'alerts' in 'cases.0.expect' (did you mean 'alert'?)"],
    ["point expectations in a timeline", "cases:\n  - name: a\n    timeline: { start: 2026-11-19T00:00:00Z, end: 2026-11-20T00:00:00Z }\n    expect: { rows: 1 }\n", "SC2001 4:15 unexpected key 'rows' in 'cases.0.expect' (allowed: alerts, incidents, firingRuns, snapshot)"],
    ["a negative count", `cases:\n  - name: a\n${NOW}    expect: { rows: -1 }\n`, "SC2005 4:21 'cases.0.expect.rows' is -1; it must be >= 0"],
    ["a non-boolean alert", `cases:\n  - name: a\n${NOW}    expect: { alert: yes }\n`, "SC2003 4:22 'cases.0.expect.alert' must be true or false, not the text \"yes\""],
    ["bad firing runs", "cases:\n  - name: a\n    timeline: { start: 2026-11-19T00:00:00Z, end: 2026-11-20T00:00:00Z }\n    expect: { firingRuns: [soon] }\n", "SC2005 4:28 'cases.0.expect.firingRuns.0' \"soon\" is not a valid date-time (e.g. 2026-11-20T12:00:00Z)"],
    ["an empty expect", `cases:\n  - name: a\n${NOW}    expect: {}\n`, "SC2005 4:13 'cases.0.expect' must have at least 1 key (alert, rows, minRows, values, ordered, snapshot, output, steps)"],
    ["rows that are neither list nor file", `cases:\n  - name: a\n${NOW}    tables: { T: 5 }\n    expect: { alert: true }\n`, "SC2003 4:18 'cases.0.tables.T' has none of the allowed forms (5)"],
  ])("reports %s through the schema, once", (_, text, finding) => {
    const spec = read(text);
    expect(spec.diagnostics.map((d) => `${d.code} ${d.line}:${d.col} ${d.message}`)).toEqual([finding]);
    expect(spec.cases).toEqual([]);
  });

  it("reports a value the schema refuses and a problem it cannot see, each once", () => {
    const spec = read("cases:\n  - name: a\n    expect: { alert: maybe }\n");
    expect(spec.diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`)).toEqual(["SC2003 3:22", "SC5007 2:5"]);
    expect(spec.cases).toEqual([]);
  });

  it("keeps the good cases of a file whose schema fails in another case", () => {
    const spec = read(`cases:\n  - name: good\n${NOW}    expect: { alert: true }\n  - name: bad\n${NOW}    expect: { rows: -1 }\n`);
    expect(spec.cases.map((c) => c.name)).toEqual(["good"]);
    expect(spec.diagnostics.map((d) => `${d.code} ${d.line}`)).toEqual(["SC2005 7"]);
  });

  it("keeps the good cases of a file with a bad one", () => {
    const spec = read(`cases:\n  - name: good\n${NOW}    expect: { alert: true }\n  - name: bad\n    expect: { alert: true }\n`);
    expect(spec.cases.map((c) => c.name)).toEqual(["good"]);
    expect(spec.diagnostics).toHaveLength(1);
    expect(spec.diagnostics[0]?.line).toBe(5);
  });
});
