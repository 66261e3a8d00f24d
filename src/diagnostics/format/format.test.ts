import { describe, expect, it } from "vitest";
import { makeDiagnostic } from "../diagnostic.ts";
import { formatDiagnostics, formatHuman, formatJson, formatSarif, formatSummaryLine } from "./index.ts";

const SOURCE = "id: 6b1e3f5a\nname: Example\nseverity: Extreme\nquery: |\n  T\n  | where x\n";
const readSource = (file: string) => (file === "analytics-rules/a.yaml" ? SOURCE : undefined);

const DIAGNOSTICS = [
  makeDiagnostic("SC2101", { file: "analytics-rules/a.yaml", start: { line: 1, col: 5 }, end: { line: 1, col: 13 } }, 'id "6b1e3f5a" is not a GUID'),
  makeDiagnostic("SC2004", { file: "analytics-rules/a.yaml", start: { line: 3, col: 11 } }, '"Extreme" is not allowed for \'severity\''),
  makeDiagnostic("SC2121", { file: "hunting-queries/h.yaml", start: { line: 7, col: 3 } }, "tactic 'impact' is spelled 'Impact' in Sentinel"),
];

describe("formatters (golden output)", () => {
  it("human: location line, code frame with caret, hint, summary", async () => {
    await expect(formatHuman(DIAGNOSTICS, 4, { readSource })).toMatchFileSnapshot("./__golden__/human.txt");
  });

  it("json", async () => {
    await expect(formatJson(DIAGNOSTICS, 4)).toMatchFileSnapshot("./__golden__/report.json");
  });

  it("sarif", async () => {
    await expect(formatSarif(DIAGNOSTICS, { toolVersion: "0.1.0" })).toMatchFileSnapshot("./__golden__/report.sarif");
  });
});

describe("human formatter", () => {
  it.each([
    ["a file name", { file: "analytics-rules/x\n::error file=a::injected.yaml", message: "m" }],
    ["a message", { file: "analytics-rules/a.yaml", message: "key \"a\r\n::error::injected\u2028\u0085\" \u001b[31mred\u001b[0m \u0007" }],
  ])("escapes control characters in %s: no injected line, no terminal escape", (_name, { file, message }) => {
    const out = formatHuman([makeDiagnostic("SC2001", { file, start: { line: 1, col: 1 } }, message)], 1, { readSource: () => "a: 1\n" });
    expect(out.split("\n").filter((line) => line.startsWith("::"))).toEqual([]);
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/);
    expect(out).toMatch(/\\n::error|\\r\\n::error/);
  });

  it("underlines the whole range on one line", () => {
    expect(formatHuman(DIAGNOSTICS.slice(0, 1), 1, { readSource })).toContain("> 1 | id: 6b1e3f5a\n    |     ^^^^^^^^\n");
  });

  it("shows control characters of binary files as a replacement mark", () => {
    const nul = makeDiagnostic("SC1004", { file: "b.yaml", start: { line: 1, col: 4 } }, "binary");
    expect(formatHuman([nul], 1, { readSource: () => "a: \u0000\u0001x" })).toContain("> 1 | a: \ufffd\ufffdx\n    |    ^");
  });

  it("prints no frame when the source is unavailable or the line is out of range", () => {
    const far = makeDiagnostic("SC2101", { file: "analytics-rules/a.yaml", start: { line: 99, col: 1 } }, "m");
    expect(formatHuman([DIAGNOSTICS[2]!, far], 2, { readSource })).not.toContain(" | ");
  });

  it.each([
    [[], 3, "no problems in 3 files"],
    [DIAGNOSTICS, 1, "2 errors, 1 warning in 2 of 1 file"],
    [DIAGNOSTICS.slice(0, 1), 5, "1 error, 0 warnings in 1 of 5 files"],
  ] as const)("summary line %#", (diagnostics, files, expected) => {
    expect(formatSummaryLine(diagnostics, files)).toBe(expected);
  });
});

describe("sarif formatter", () => {
  const sarif = JSON.parse(formatSarif(DIAGNOSTICS, { toolVersion: "1.2.3" }));
  const run = sarif.runs[0];

  it("declares SARIF 2.1.0 and the tool", () => {
    expect(sarif.version).toBe("2.1.0");
    expect(run.tool.driver).toMatchObject({ name: "sentinel-content", version: "1.2.3" });
  });

  it("points each result at its catalog rule and region", () => {
    const result = run.results[0];
    expect(run.tool.driver.rules[result.ruleIndex].id).toBe("SC2101");
    expect(result.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: "analytics-rules/a.yaml", uriBaseId: "%SRCROOT%" },
      region: { startLine: 1, startColumn: 5, endLine: 1, endColumn: 13 },
    });
    expect(run.results.map((r: { level: string }) => r.level)).toEqual(["error", "error", "warning"]);
  });
});

describe("formatDiagnostics", () => {
  it.each(["human", "json", "sarif"] as const)("renders %s", (format) => {
    expect(formatDiagnostics(format, DIAGNOSTICS, { checkedFiles: 2, toolVersion: "0.1.0", readSource }).length).toBeGreaterThan(100);
  });
});
