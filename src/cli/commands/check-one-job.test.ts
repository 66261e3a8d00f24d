import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";

const harnessRepo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../test/harness/repo");

/** Output with the run's durations blanked. */
const steady = (text: string) => text.replace(/\d+(\.\d+)? ?ms\b/g, "N ms").replace(/\d+(\.\d+)? ?s\b/g, "N s");

/** Runs the CLI on fresh modules (so the engine's caches start empty) and counts the engine's own Kusto.Language analyses. */
async function runFresh(...args: string[]): Promise<{ code: number; stdout: string; analyses: number }> {
  vi.resetModules();
  const { analysisCount } = await import("../../engine/index.ts");
  const { runCli } = await import("../test-helpers.ts");
  const run = await runCli(...args);
  return { ...run, analyses: analysisCount() };
}

describe("sentinel-content check --jobs 1", () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  // one thread runs both stages: validation analyses its queries here (no analysis worker) and the cases' engine takes
  // those analyses instead of making its own; the reports are those of validate and test run apart
  it("analyses in this thread and the engine reuses validation's analyses, with the same reports", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "check-one-job-"));
    cpSync(harnessRepo, root, { recursive: true });
    const check = await runFresh("check", "--root", root, "--jobs", "1", "--no-cache");
    const validate = await runFresh("validate", "--root", root, "--no-cache");
    const test = await runFresh("test", "-C", root, "--jobs", "1");
    expect(check.code).toBe(test.code);
    expect(steady(check.stdout)).toBe(steady(validate.stdout + test.stdout));
    expect(test.analyses).toBeGreaterThan(0);
    expect(check.analyses).toBeLessThan(test.analyses);
  }, 300_000);
});
