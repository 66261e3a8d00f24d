import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const harnessRepo = path.resolve(src, "../test/harness/repo");

/** Output with the run's durations blanked. */
const steady = (text: string) => text.replace(/\d+(\.\d+)? ?ms\b/g, "N ms").replace(/\d+(\.\d+)? ?s\b/g, "N s");

/** Runs the CLI in a process of its own (so the engine's caches start empty); counts the engine's own Kusto.Language analyses and the analyses still kept after it. */
function runFresh(...args: string[]): { code: number; stdout: string; analyses: number; kept: number } {
  const module = (file: string) => JSON.stringify(pathToFileURL(path.join(src, file)).href);
  const script = [
    `const { main } = await import(${module("cli/main.ts")});`,
    `const { analysisCount } = await import(${module("engine/run-query.ts")});`,
    `const { keptAnalysisCount } = await import(${module("kql/kept-analyses.ts")});`,
    `const code = await main(["node", "sentinel-content", ...${JSON.stringify(args)}]);`,
    `process.stderr.write(JSON.stringify({ code, analyses: analysisCount(), kept: keptAnalysisCount() }) + "\\n");`,
    `process.exitCode = 0;`,
  ].join("\n");
  const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 240_000 });
  const counts = JSON.parse(run.stderr.trim().split("\n").at(-1) ?? "{}") as { code: number; analyses: number; kept: number };
  return { stdout: run.stdout, ...counts };
}

describe("sentinel-content check --jobs 1", () => {
  const root = mkdtempSync(path.join(tmpdir(), "check-one-job-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  // one thread runs both stages: validation analyses its queries here (no analysis worker) and the cases' engine takes
  // those analyses instead of making its own; the reports are those of validate and test run apart
  it("analyses in this thread and the engine reuses validation's analyses, with the same reports", () => {
    cpSync(harnessRepo, root, { recursive: true });
    const check = runFresh("check", "--root", root, "--jobs", "1", "--no-cache");
    const validate = runFresh("validate", "--root", root, "--no-cache");
    const test = runFresh("test", "-C", root, "--jobs", "1");
    expect(check.code).toBe(test.code);
    expect(steady(check.stdout)).toBe(steady(validate.stdout + test.stdout));
    expect(test.analyses).toBeGreaterThan(0);
    expect(check.analyses).toBeLessThan(test.analyses);
    // the analyses no case took are not kept after the command
    expect(check.kept).toBe(0);
  }, 300_000);
});
