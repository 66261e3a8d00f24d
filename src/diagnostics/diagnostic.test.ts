import { describe, expect, it } from "vitest";
import { hasFailures, makeDiagnostic, sortDiagnostics } from "./diagnostic.ts";
import { formatAzureDevops } from "./format/azure-devops.ts";
import { formatGithub } from "./format/github.ts";
import { formatHuman } from "./format/human.ts";
import { formatJson } from "./format/json.ts";
import { formatSarif } from "./format/sarif.ts";

describe("makeDiagnostic", () => {
  it("takes severity and hint from the code catalog", () => {
    const d = makeDiagnostic("SC9001", { file: "a.yaml", start: { line: 3, col: 5 } }, "boom");
    expect(d).toMatchObject({ code: "SC9001", severity: "error", file: "a.yaml", line: 3, col: 5, message: "boom" });
    expect(d.hint).toMatch(/bug/);
  });

  it("defaults to line 1, column 1 when no position is known", () => {
    expect(makeDiagnostic("SC9001", { file: "x" }, "m")).toMatchObject({ line: 1, col: 1 });
  });
});

describe("hasFailures", () => {
  const warning = makeDiagnostic("SC9001", { file: "a" }, "w", { severity: "warning" });
  it.each([
    [[], false, false],
    [[warning], false, false],
    [[warning], true, true],
    [[makeDiagnostic("SC9001", { file: "a" }, "e")], false, true],
  ])("case %#", (diagnostics, strict, expected) => {
    expect(hasFailures(diagnostics, strict)).toBe(expected);
  });
});

describe("sortDiagnostics", () => {
  it("orders by file, then line, then column", () => {
    const at = (file: string, line: number, col: number) => makeDiagnostic("SC9001", { file, start: { line, col } }, "m");
    const sorted = sortDiagnostics([at("b", 1, 1), at("a", 2, 1), at("a", 1, 9), at("a", 1, 2)]);
    expect(sorted.map((d) => `${d.file}:${d.line}:${d.col}`)).toEqual(["a:1:2", "a:1:9", "a:2:1", "b:1:1"]);
  });
});

describe("an inner cause", () => {
  const d = makeDiagnostic("SC1008", { file: "a.yaml" }, "cannot read the file", { cause: new Error("EACCES: permission denied") });

  it("is a field of its own, not part of the message", () => {
    expect(d).toMatchObject({ message: "cannot read the file", cause: "EACCES: permission denied" });
    expect(makeDiagnostic("SC1008", { file: "a" }, "m", { cause: 42 }).cause).toBe("42");
    expect(makeDiagnostic("SC1008", { file: "a" }, "m")).not.toHaveProperty("cause");
  });

  it.each([
    ["text", () => formatHuman([d], 1)],
    ["github", () => formatGithub([d], 1)],
    ["azure-devops", () => formatAzureDevops([d], 1)],
    ["sarif", () => formatSarif([d], { toolVersion: "0" })],
  ])("%s output shows it after the message", (_, render) => {
    expect(render()).toContain("cannot read the file: EACCES: permission denied");
  });

  it("json output keeps it apart", () => {
    const [json] = (JSON.parse(formatJson([d], 1)) as { diagnostics: { message: string; cause: string }[] }).diagnostics;
    expect(json).toMatchObject({ message: "cannot read the file", cause: "EACCES: permission denied" });
  });
});
