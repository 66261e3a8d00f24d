import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { runCli } from "../cli/test-helpers.ts";
import { validateContent } from "./validate.ts";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BAD_INPUT = path.join(REPO, "test/fixtures/bad-input");

interface Report {
  files: number;
  summary: { errors: number; warnings: number };
  diagnostics: { code: string; file: string; line: number; col: number; severity: string; message: string }[];
}

/** Runs `sentinel-content validate <args…>` in-process. */
const cli = (...args: string[]) => runCli("validate", ...args);

afterEach(() => vi.restoreAllMocks());

// every folder this file creates, removed at its end
const work = mkdtempSync(path.join(tmpdir(), "validate-command-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("validate on bad input", () => {
  let root: string;
  let report: Report;
  let code: number;

  beforeAll(async () => {
    root = mkdtempSync(path.join(work, "bad-"));
    cpSync(BAD_INPUT, root, { recursive: true });
    writeFileSync(path.join(root, "analytics-rules", "multi-mb.yaml"), `query: |\n${"  T | where x == 1\n".repeat(200_000)}`);
    const run = await cli("--root", root, "--no-kql", "--format", "json");
    code = run.code;
    report = JSON.parse(run.stdout) as Report;
  });

  it("exits 1 and looks at every file", () => {
    expect(code).toBe(1);
    expect(report.files).toBe(8);
  });

  it.each([
    ["malformed.yaml", "SC1001", 2, 7],
    ["alias-bomb.yaml", "SC1007", 2, 8],
    ["duplicate-keys.yaml", "SC1002", 3, 1],
    ["empty.yaml", "SC1006", 1, 1],
    ["binary.yaml", "SC1004", 2, 7],
    ["latin1.yaml", "SC1005", 2, 10],
    ["multi-mb.yaml", "SC1003", 1, 1],
    ["wrong-types.yaml", "SC2003", 2, 7],
    ["wrong-types.yaml", "SC2004", 4, 11],
  ])("%s gives %s at its line and column", (name, findingCode, line, col) => {
    expect(report.diagnostics).toContainEqual(expect.objectContaining({ file: `analytics-rules/${name}`, code: findingCode, line, col }));
  });
});

describe("validate exit codes and options", () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(path.join(work, "ok-"));
    mkdirSync(path.join(root, "hunting-queries"), { recursive: true });
    const query = (id: string, tactic: string) =>
      `id: ${id}\nname: Query ${id.slice(-1)}\ndescription: d\nrequiredDataConnectors: []\ntactics: [${tactic}]\nquery: AzureActivity\n`;
    writeFileSync(path.join(root, "hunting-queries", "clean.yaml"), query("6b1e3f5a-0c3d-4c52-9d5c-2a8f1d7f0001", "Impact"));
    writeFileSync(path.join(root, "hunting-queries", "warn.yaml"), query("6b1e3f5a-0c3d-4c52-9d5c-2a8f1d7f0002", "impact"));
  });

  it.each([
    [["hunting-queries/clean.yaml"], 0],
    [["hunting-queries/warn.yaml"], 0],
    [["hunting-queries/warn.yaml", "--strict"], 1],
    [["--format", "xml"], 2],
    [["--kind", "rule"], 2],
    [["--root", "/nonexistent-root"], 2],
  ])("validate %j exits %i", async (args, expected) => {
    const resolved = args.map((a) => (a.startsWith("hunting-queries/") ? path.join(root, a) : a));
    expect((await cli("--root", root, "--no-kql", ...resolved)).code).toBe(expected);
  });

  it("prints a human report with a code frame and the summary", async () => {
    const { stdout } = await cli("--root", root, "--no-kql", path.join(root, "hunting-queries", "warn.yaml"));
    expect(stdout).toContain("hunting-queries/warn.yaml:5:11 warning SC2121 tactic 'impact' is spelled 'Impact' in Sentinel\n  4 | requiredDataConnectors: []\n> 5 | tactics: [impact]\n    |           ^");
    expect(stdout.trimEnd().split("\n").at(-1)).toBe("0 errors, 1 warning in 1 of 1 file");
  });

  it("writes SARIF to --output", async () => {
    const out = path.join(root, "report.sarif");
    const { stdout } = await cli("--root", root, "--no-kql", "--format", "sarif", "--output", out, path.join(root, "hunting-queries"));
    expect(stdout).toBe("");
    const sarif = JSON.parse(readFileSync(out, "utf8")) as { runs: { results: { ruleId: string }[] }[] };
    expect(sarif.runs[0]?.results.map((r) => r.ruleId)).toEqual(["SC2121"]);
  });

  it("forces a kind for files outside the content folders", async () => {
    const outside = path.join(root, "elsewhere.yaml");
    writeFileSync(outside, readFileSync(path.join(root, "hunting-queries", "clean.yaml")));
    expect((await cli("--root", root, "--no-kql", outside)).code).toBe(1);
    expect((await cli("--root", root, "--no-kql", "--kind", "hunting-query", outside)).code).toBe(0);
  });
});

// validateContent as `validate --no-cache <rule>` calls it, but analysing in this thread (workers: 1): the command
// would start an analysis worker thread, which loads Kusto.Language again; the pool has tests of its own
describe("validate on part of the repository", () => {
  it("knows the repo's parsers, watchlists and custom tables when validating one rule", async () => {
    const root = mkdtempSync(path.join(work, "partial-"));
    for (const folder of ["parsers", "watchlists", "ingestion"]) cpSync(path.join(REPO, folder), path.join(root, folder), { recursive: true });
    const rule = "analytics-rules/chatgpt-enterprise/chatgpt-bulk-paste-above-user-baseline.yaml";
    mkdirSync(path.dirname(path.join(root, rule)), { recursive: true });
    cpSync(path.join(REPO, rule), path.join(root, rule));
    const result = await validateContent({ root, paths: [path.join(root, rule)], cache: false, workers: 1 });
    expect(result.kqlRan).toBe(true);
    expect(result.checkedFiles).toBe(1);
    expect(result.diagnostics).toEqual([]);
  });
});

describe("the sentinel-content binary", () => {
  it("exits 1 on findings and documents its options, as a real process", () => {
    const run = (...args: string[]) => spawnSync(process.execPath, [path.join(REPO, "bin/sentinel-content.js"), "validate", "--no-kql", ...args], { encoding: "utf8" });
    const bad = run("--root", BAD_INPUT, "--format", "json");
    expect(bad.status).toBe(1);
    expect((JSON.parse(bad.stdout) as Report).summary.errors).toBeGreaterThanOrEqual(7);
    expect(run("--help").stdout).toContain("--no-kql");
  });
});

describe("root and path resolution", () => {
  const base = mkdtempSync(path.join(work, "root-"));
  mkdirSync(path.join(base, "analytics-rules", "aoai"), { recursive: true });

  it.each([
    [base, base],
    [path.join(base, "analytics-rules", "aoai"), base],
    [tmpdir(), tmpdir()],
  ])("findContentRoot(%s) is %s", async (start, expected) => {
    const { findContentRoot } = await import("./validate-command.ts");
    expect(findContentRoot(start)).toBe(expected);
  });

  it("resolves a relative path from the working directory when it exists there, else under the root", async () => {
    const { resolvePath } = await import("./validate-command.ts");
    expect(resolvePath("src", "/elsewhere")).toBe(path.resolve("src"));
    expect(resolvePath("rules", "/corpus")).toBe("/corpus/rules");
    expect(resolvePath("/abs/x.yaml", "/corpus")).toBe("/abs/x.yaml");
  });
});
