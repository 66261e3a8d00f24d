import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { cacheDir } from "../../kql/analysis-cache.ts";
import { runCli } from "../test-helpers.ts";

const harnessRepo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../test/harness/repo");
const HUNTING = "hunting-queries/azure-activity/key-operations-by-caller";

/**
 * A copy of the harness repository with one validation warning (an unused suppression) and one failing test case, and
 * an empty KQL analysis cache: validation then analyses its few queries in this thread, as it does for a repository
 * with a cache, instead of starting an analysis worker for them (tested in validate's and the analysis pool's tests).
 */
function repoWithFindings(): string {
  const root = mkdtempSync(path.join(tmpdir(), "check-command-"));
  cpSync(harnessRepo, root, { recursive: true });
  mkdirSync(cacheDir(root), { recursive: true });
  const query = path.join(root, `${HUNTING}.yaml`);
  writeFileSync(query, `# sentinel-content-disable SC3001: kept to test the unused-suppression warning\n${readFileSync(query, "utf8")}`);
  const tests = path.join(root, `${HUNTING}.tests.yaml`);
  writeFileSync(tests, readFileSync(tests, "utf8").replace("Caller: bob@contoso.com, Operations: 1", "Caller: bob@contoso.com, Operations: 5"));
  return root;
}

/** Output with the run's durations (the only part that differs from run to run) blanked. */
const steady = (text: string) => text.replace(/\d+(\.\d+)? ?ms\b/g, "N ms").replace(/\d+(\.\d+)? ?s\b/g, "N s");

describe("sentinel-content check", () => {
  let root: string;
  beforeAll(() => {
    root = repoWithFindings();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  // `test` and `check` leave their exit code in process.exitCode, which main() would return for the next command
  // (test files share one process: a code left by another file is cleared too)
  const clearExitCode = () => {
    process.exitCode = undefined;
  };
  beforeEach(clearExitCode);
  afterEach(clearExitCode);

  // One check per job count: all on this thread (--jobs 1, validation answered from the cache the validate run wrote),
  // and on worker threads (--jobs 2) that also analyse validation's queries (--no-cache: every query is analysed, none
  // read from that cache). validate's and test's reports do not depend on --jobs (test's verdicts on workers:
  // test-pool.test.ts, harness.test.ts), so they run once for both, on this thread. Two worker threads loading
  // Kusto.Language on CPUs crowded by other work can take minutes, and a check that timed out would go on printing
  // into the next test's output: hence the long timeout.
  let validated: ReturnType<typeof runCli> | undefined;
  let tested: ReturnType<typeof runCli> | undefined;
  it.each([
    ["1", []],
    ["2", ["--no-cache"]],
  ])("prints what validate then test print, with test's exit code, when validation passes (--jobs %s %j)", async (jobs, cache) => {
    const validate = await (validated ??= runCli("validate", "--root", root));
    const test = await (tested ??= runCli("test", "-C", root, "--jobs", "1"));
    const check = await runCli("check", "--root", root, "--jobs", jobs, ...cache);
    expect(validate.code).toBe(0);
    expect(validate.stdout).toContain("SC9004");
    expect(test.code).toBe(1);
    expect(test.stdout).toContain("counts per caller, busiest first");
    expect(check.code).toBe(1);
    expect(steady(check.stdout)).toBe(steady(validate.stdout + test.stdout));
  }, 300_000);

  it("validates and tests a path relative to the working directory, as validate resolves it", async () => {
    const cwd = process.cwd();
    // "azure-activity" exists under the working directory only, not under the root
    process.chdir(path.join(root, "hunting-queries"));
    try {
      const check = await runCli("check", "--root", root, "--jobs", "1", "azure-activity");
      expect(check.stdout).toContain("1 failed");
      expect(check.code).toBe(1);
    } finally {
      process.chdir(cwd);
    }
  }, 120_000);

  it("refuses a --root that is not a folder before any test worker starts", async () => {
    const check = await runCli("check", "--root", path.join(root, "no-such-folder"));
    expect(check.code).toBe(2);
    expect(check.stderr).toContain("is not a directory");
  });

  it("validates and tests only the given paths, as validate and test do with them", async () => {
    const folder = path.join(root, "hunting-queries");
    const validate = await runCli("validate", "--root", root, folder);
    const test = await runCli("test", "-C", root, folder);
    const check = await runCli("check", "--root", root, folder);
    expect(test.stdout).toContain("1 failed");
    expect(check.code).toBe(1);
    expect(steady(check.stdout)).toBe(steady(validate.stdout + test.stdout));
  }, 120_000);

  it("stops after validate with its exit code when validation fails (--strict turns the warning into a failure)", async () => {
    const validate = await runCli("validate", "--root", root, "--strict");
    const check = await runCli("check", "--root", root, "--strict", "--jobs", "2");
    expect(validate.code).toBe(1);
    expect(check.code).toBe(1);
    expect(check.stdout).toBe(validate.stdout);
  }, 120_000);

  it("writes GitHub annotations of both stages", async () => {
    const check = await runCli("check", "--root", root, "--format", "github", "--jobs", "1");
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/::warning file=hunting-queries\/azure-activity\/key-operations-by-caller\.yaml.*SC9004/);
    expect(check.stdout).toMatch(/::error file=hunting-queries\/azure-activity\/key-operations-by-caller\.tests\.yaml/);
  }, 120_000);

  it.each([
    [["--jobs", "0"], "--jobs must be a whole number"],
    [["--format", "junit"], "--format must be one of text, github, azure-devops"],
  ])("is a usage error (exit 2) with %j", async (args, message) => {
    const check = await runCli("check", "--root", root, ...(args as string[]));
    expect(check.code).toBe(2);
    expect(check.stderr).toContain(message);
  });
});
