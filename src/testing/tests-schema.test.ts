// schemas/tests.schema.json and the harness's reader (case-spec.ts) must agree: a case the schema accepts is one
// the harness runs, and a case it refuses is one the harness leaves out, reporting the schema's finding once.
import { describe, expect, it } from "vitest";
import type { ContentKind } from "../content/kinds.ts";
import { loadText, type LoadedFile } from "../load/index.ts";
import { checkedEntry } from "../repository/index.ts";
import { SchemaRegistry } from "../schema/schema-registry.ts";
import { validateSchema } from "../schema/validate-schema.ts";
import { readTestFile } from "./spec/case-spec.ts";

const registry = new SchemaRegistry();

function verdicts(text: string, kind: ContentKind): { schema: string[]; harness: string[]; cases: number } {
  const file = loadText(text, "x.tests.yaml", "tests").file;
  if (!file) throw new Error("did not load");
  const read = readTestFile(checkedEntry(file as LoadedFile & { kind: "tests" }), kind);
  const shown = (d: { code: string; line: number; col: number; message: string }) => `${d.code} ${d.line}:${d.col} ${d.message}`;
  return { schema: validateSchema(file, registry).map(shown), harness: read.diagnostics.map(shown), cases: read.cases.length };
}

const TIMELINE = "cases:\n  - name: t\n    timeline: { start: 2026-11-19T00:00:00Z, end: 2026-11-20T00:00:00Z";
const WORKBOOK = "cases:\n  - name: w\n    now: 2026-11-21T00:00:00Z\n";

describe("the tests schema and the harness agree", () => {
  it.each([
    ["ingestionDelay as a KQL timespan", `${TIMELINE}, ingestionDelay: 10m }\n    expect: { alerts: 1 }\n`, "analytic-rule"],
    ["ingestionDelay in milliseconds", `${TIMELINE}, ingestionDelay: 1500ms }\n    expect: { alerts: 1 }\n`, "analytic-rule"],
    ["ingestionDelay as an ISO 8601 duration", `${TIMELINE}, ingestionDelay: PT1H30M }\n    expect: { alerts: 1 }\n`, "analytic-rule"],
    ["a snapshot of a timeline", `${TIMELINE} }\n    expect: { alerts: 2, snapshot: true }\n`, "analytic-rule"],
    ["workbook parameters, a multi-select list and step values", `${WORKBOOK}    parameters: { TimeRange: 7d, Top: 10, Models: [gpt-4o, o3] }\n    expect:\n      steps:\n        usage: { minRows: 1 }\n        top: { rows: 2, values: [{ Model: o3 }], ordered: true }\n`, "workbook"],
  ])("both accept %s", (_name, text, kind) => {
    expect(verdicts(text, kind as ContentKind)).toEqual({ schema: [], harness: [], cases: 1 });
  });

  it.each([
    ["an ingestionDelay that is not a duration", `${TIMELINE}, ingestionDelay: ten minutes }\n    expect: { alerts: 1 }\n`, "analytic-rule", /ingestionDelay/],
    ["an ingestionDelay with a bad unit", `${TIMELINE}, ingestionDelay: 10w }\n    expect: { alerts: 1 }\n`, "analytic-rule", /ingestionDelay/],
    ["a row count on a timeline", `${TIMELINE} }\n    expect: { rows: 1 }\n`, "analytic-rule", /unexpected key 'rows'/],
    ["an unknown step expectation", `${WORKBOOK}    expect: { steps: { usage: { row: 1 } } }\n`, "workbook", /unexpected key 'row'/],
    ["a negative step count", `${WORKBOOK}    expect: { steps: { usage: { minRows: -1 } } }\n`, "workbook", /minRows/],
    ["a parameter value that is a map", `${WORKBOOK}    parameters: { TimeRange: { durationMs: 1 } }\n    expect: { steps: { usage: { rows: 1 } } }\n`, "workbook", /parameters.TimeRange/],
    ["a run time that is not a datetime", `${TIMELINE} }\n    expect: { firingRuns: [soon] }\n`, "analytic-rule", /firingRuns.0/],
    ["a now that is not a datetime", "cases:\n  - name: a\n    now: tomorrow\n    expect: { alert: true }\n", "analytic-rule", /'cases.0.now' "tomorrow" is not a valid date-time/],
    ["an expectation the kind does not allow, unknown to the schema too", "cases:\n  - name: a\n    now: 2026-11-21T00:00:00Z\n    expect: { alerts: 1 }\n", "hunting-query", /unexpected key 'alerts'/],
  ])("both reject %s: the harness reports the schema's finding once and leaves the case out", (_name, text, kind, schemaMessage) => {
    const { schema, harness, cases } = verdicts(text, kind as ContentKind);
    expect(schema).toEqual([expect.stringMatching(schemaMessage)]);
    expect(harness).toEqual(schema);
    expect(cases).toBe(0);
  });
});
