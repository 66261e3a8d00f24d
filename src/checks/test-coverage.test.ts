import { describe, expect, it } from "vitest";
import type { ContentKind } from "../content/kinds.ts";
import { loadText, type LoadedFile } from "../load/index.ts";
import { buildRepository } from "../repository/index.ts";
import { checkTestCoverage as checkRepository } from "./test-coverage.ts";

/** The gate over a repository of exactly these files. */
const checkTestCoverage = (files: LoadedFile[]) => checkRepository(buildRepository("/repo", { files, diagnostics: [], checked: files.length }, { whole: true }));

function file(path: string, kind: ContentKind, text: string): LoadedFile {
  const loaded = loadText(text, path, kind).file;
  if (!loaded) throw new Error(`cannot load ${path}`);
  return loaded;
}

const rule = file("analytics-rules/a/r.yaml", "analytic-rule", "name: r\nquery: T\n");
const hunt = file("hunting-queries/a/h.yaml", "hunting-query", "name: h\nquery: T\n");
const parser = file("parsers/p.yaml", "parser", "ParserName: P\nParserQuery: T\n");
const workbook = file("workbooks/w.yaml", "workbook", "displayName: w\ncontent: { items: [] }\n");
const template = file("analytics-rules/_template.yaml", "analytic-rule", "name: t\n");
const tests = (path: string, expects: string[], target?: string) =>
  file(path, "tests", `${target ? `target: ${target}\n` : ""}cases:\n${expects.map((e, i) => `  - name: c${i}\n    expect: ${e}\n`).join("")}`);

const codes = (files: LoadedFile[]) => checkTestCoverage(files).map((d) => `${d.code} ${d.file}`);

describe("checkTestCoverage", () => {
  it("reports content without tests, but not templates", () => {
    expect(codes([rule, hunt, parser, workbook, template])).toEqual([
      "SC5020 analytics-rules/a/r.yaml",
      "SC5021 analytics-rules/a/r.yaml",
      "SC5022 hunting-queries/a/h.yaml",
      "SC5023 parsers/p.yaml",
      "SC5023 workbooks/w.yaml",
    ]);
    expect(codes([workbook, tests("workbooks/w.tests.yaml", ["{ steps: { s: { minRows: 1 } } }"])])).toEqual([]);
    expect(checkTestCoverage([rule])[0]?.message).toMatch(/no analytics-rules\/a\/r\.tests\.yaml/);
    expect(checkTestCoverage([parser])[0]?.severity).toBe("warning");
  });

  it.each([
    [["{ alert: true }", "{ alert: false }"], []],
    [["{ alert: true }"], ["SC5021"]],
    [["{ alert: false }", "{ rows: 0 }"], ["SC5020"]],
    [["{ alerts: 2 }", "{ alerts: 0 }"], []],
    [["{ firingRuns: [2026-11-19T05:00:00Z] }", "{ alert: false }"], []],
  ])("rule cases %j → %j", (expects, expected) => {
    expect(codes([rule, tests("analytics-rules/a/r.tests.yaml", expects)]).map((c) => c.split(" ")[0])).toEqual(expected);
  });

  it.each([
    [["{ rows: 2 }"], []],
    [["{ minRows: 1 }"], []],
    [["{ values: [{ A: 1 }] }"], []],
    [["{ rows: 0 }"], ["SC5022"]],
  ])("hunting cases %j → %j", (expects, expected) => {
    expect(codes([hunt, tests("hunting-queries/a/h.tests.yaml", expects)]).map((c) => c.split(" ")[0])).toEqual(expected);
  });

  it("follows `target:`", () => {
    expect(codes([rule, tests("analytics-rules/a/other.tests.yaml", ["{ alert: true }", "{ alert: false }"], "r.yaml")])).toEqual([]);
  });
});
