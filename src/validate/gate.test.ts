import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runCli } from "../cli/test-helpers.ts";
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.ts";
import { loadText } from "../load/index.ts";
import { applyBaseline, baselineOf } from "./baseline.ts";
import { applySuppressions } from "./suppressions.ts";
import { removedAfterAll } from "../files/test-support.ts";

// the temporary folders this file makes, removed after its tests
const temporaryFolders = removedAfterAll();

const FILE = "hunting-queries/h.yaml";
const finding = (code: "SC2121" | "SC2103" | "SC2001", line: number, message = "m"): Diagnostic => makeDiagnostic(code, { file: FILE, start: { line, col: 1 } }, message);

function suppress(text: string, diagnostics: Diagnostic[]): string[] {
  const { file } = loadText(text, FILE, "hunting-query");
  if (!file) throw new Error("did not load");
  return applySuppressions(diagnostics, [file]).diagnostics.map((d) => `${d.code} ${d.line}`);
}

describe("inline suppressions", () => {
  it.each([
    ["on the line before", "a: 1\n# sentinel-content-disable SC2121: legacy spelling kept\ntactics: [impact]\n", [finding("SC2121", 3)], []],
    ["skipping blank and comment lines", "# sentinel-content-disable SC2121: why\n\n# other\ntactics: [impact]\n", [finding("SC2121", 4)], []],
    ["as a trailing comment", "tactics: [impact] # sentinel-content-disable SC2121: why\n", [finding("SC2121", 1)], []],
    ["several codes", "# sentinel-content-disable SC2121, SC2103: why\nname: x\n", [finding("SC2121", 2), finding("SC2103", 2)], []],
    ["for the whole file", "# sentinel-content-disable-file SC2121: why\na: 1\nb: 2\n", [finding("SC2121", 3)], []],
    ["only its code", "# sentinel-content-disable SC2103: why\ntactics: [impact]\n", [finding("SC2121", 2)], ["SC2121 2", "SC9004 1"]],
    ["only its line", "# sentinel-content-disable SC2121: why\na: 1\ntactics: [impact]\n", [finding("SC2121", 3)], ["SC2121 3", "SC9004 1"]],
    ["not without a reason (SC9002)", "# sentinel-content-disable SC2121\ntactics: [impact]\n", [finding("SC2121", 2)], ["SC2121 2", "SC9002 1"]],
    ["not with an empty reason (SC9002)", "# sentinel-content-disable SC2121:   \ntactics: [impact]\n", [finding("SC2121", 2)], ["SC2121 2", "SC9002 1"]],
    ["not an unknown code (SC9003)", "# sentinel-content-disable SC0000: why\ntactics: [impact]\n", [finding("SC2121", 2)], ["SC2121 2", "SC9003 1"]],
    ["not from inside a block scalar (a query's text)", "query: |\n  # sentinel-content-disable SC2121: why\n  T\ntactics: [impact]\n", [finding("SC2121", 4)], ["SC2121 4"]],
  ])("%s", (_name, text, diagnostics, expected) => {
    expect(suppress(text, diagnostics)).toEqual(expected);
  });
});

describe("baselines", () => {
  it("accept each recorded finding as often as it was recorded, whatever its line", () => {
    const baseline = baselineOf([finding("SC2121", 3, "a"), finding("SC2121", 9, "a"), finding("SC2103", 2, "b")]);
    expect(baseline.findings).toEqual([
      { file: FILE, code: "SC2103", message: "b", count: 1 },
      { file: FILE, code: "SC2121", message: "a", count: 2 },
    ]);
    const now = [finding("SC2121", 30, "a"), finding("SC2121", 31, "a"), finding("SC2121", 32, "a"), finding("SC2103", 2, "c")];
    expect(applyBaseline(now, baseline).diagnostics.map((d) => `${d.code} ${d.line} ${d.message}`)).toEqual(["SC2121 32 a", "SC2103 2 c"]);
  });
});

/** Runs `sentinel-content validate <args…>` in-process. */
const cli = (...args: string[]) => runCli("validate", ...args);

afterEach(() => vi.restoreAllMocks());

describe("validate --write-baseline and --baseline", () => {
  const query = (n: number, tactic: string) => `id: 6b1e3f5a-0c3d-4c52-9d5c-2a8f1d7f000${n}\nname: Query ${n}\ndescription: d\nrequiredDataConnectors: []\ntactics: [${tactic}]\nquery: AzureActivity\n`;

  it("adopts a repository with findings, then fails only on new ones", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "gate-"));
    temporaryFolders.push(root);
    mkdirSync(path.join(root, "hunting-queries"));
    writeFileSync(path.join(root, "hunting-queries", "old.yaml"), query(1, "impact"));
    const args = ["--root", root, "--no-kql", "--strict", path.join(root, "hunting-queries")];
    expect((await cli(...args)).code).toBe(1);
    expect((await cli(...args, "--write-baseline")).code).toBe(0);
    const baseline = JSON.parse(readFileSync(path.join(root, ".sentinel-content-baseline.json"), "utf8")) as { findings: { code: string }[] };
    expect(baseline.findings.map((f) => f.code)).toEqual(["SC2121"]);
    expect((await cli(...args, "--baseline", ".sentinel-content-baseline.json")).code).toBe(0);
    writeFileSync(path.join(root, "hunting-queries", "new.yaml"), query(2, "collection"));
    const run = await cli(...args, "--baseline", ".sentinel-content-baseline.json", "--format", "json");
    expect(run.code).toBe(1);
    expect((JSON.parse(run.stdout) as { diagnostics: { file: string; code: string }[] }).diagnostics.map((d) => `${d.code} ${d.file}`)).toEqual(["SC2121 hunting-queries/new.yaml"]);
  });

  it.each([
    ["a missing baseline", undefined],
    ["a baseline that is not JSON", "{not json"],
    ["a baseline of another shape", '{"version": 2, "findings": []}'],
  ])("exits 2 on %s", async (_name, text) => {
    const root = mkdtempSync(path.join(tmpdir(), "gate-bad-"));
    temporaryFolders.push(root);
    mkdirSync(path.join(root, "hunting-queries"));
    writeFileSync(path.join(root, "hunting-queries", "q.yaml"), query(1, "Impact"));
    if (text !== undefined) writeFileSync(path.join(root, "b.json"), text);
    const run = await cli("--root", root, "--no-kql", "--baseline", path.join(root, "b.json"));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("b.json");
  });
});
