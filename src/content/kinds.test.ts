import { describe, expect, it } from "vitest";
import { isTemplatePath, kindOfPath } from "./kinds.ts";

describe("kindOfPath", () => {
  it.each([
    ["analytics-rules/aoai/key-used.yaml", "analytic-rule"],
    ["analytics-rules/_template.yaml", "analytic-rule"],
    ["analytics-rules/aoai/key-used.tests.yaml", "tests"],
    ["hunting-queries/x/q.yml", "hunting-query"],
    ["hunting-queries/x/q.tests.yaml", "tests"],
    ["parsers/aoai.yaml", "parser"],
    ["workbooks/overview.yaml", "workbook"],
    ["watchlists/egress.yaml", "watchlist"],
    ["ingestion/chatgpt/dcr.yaml", "ingestion-mapping"],
    ["ingestion/chatgpt/dcr.tests.yaml", "tests"],
    ["environments.yaml", "environments"],
    ["./analytics-rules/a.yaml", "analytic-rule"],
    ["analytics-rules/a.snap.yaml", undefined],
    ["analytics-rules/a/fixtures/rows.yaml", undefined],
    ["analytics-rules/a.json", undefined],
    ["docs/environments.yaml", undefined],
    ["other/a.yaml", undefined],
    ["rule.yaml", undefined],
    ["", undefined],
  ])("%s → %s", (path, kind) => {
    expect(kindOfPath(path)).toBe(kind);
  });
});

describe("isTemplatePath", () => {
  it.each([
    ["analytics-rules/_template.yaml", true],
    ["analytics-rules/a/rule.yaml", false],
  ])("%s → %s", (path, expected) => {
    expect(isTemplatePath(path)).toBe(expected);
  });
});
