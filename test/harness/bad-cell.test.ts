// A fixture cell that does not fit its column is the same error, at the same file, line and column, in
// `sentinel-content test` and in `sentinel-content query --data` (one set of cell rules: engine/data/cell-value.ts).
import { copyFileSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { cli, fixtureRepo } from "./cli-support.ts";
import { removedAfterAll } from "../../src/files/test-support.ts";

// the temporary folders this file makes, removed after its tests
const temporaryFolders = removedAfterAll();

afterEach(() => vi.restoreAllMocks());

/** Runs the CLI, keeping what it writes to stderr too. */
async function cliWithErrors(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let err = "";
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((err += String(chunk)), true));
  const { code, out } = await cli(args);
  return { code, out, err };
}

// [fixture of the harness repository, its table, the text replaced on the fixture's second row, by what, the line and column of the cell, the message]
const BAD_CELLS = [
  ["analytics-rules/azure-openai/fixtures/bursts.jsonl", "AzureDiagnostics", '"2026-11-20T08:11:00Z"', '"20/11/2026 08:11"', 2, 2, 'AzureDiagnostics.TimeGenerated is datetime: "20/11/2026 08:11" is not a datetime such as 2026-11-20T12:00:00Z'],
  ["hunting-queries/azure-activity/fixtures/key-operations.csv", "AzureActivity", "2026-11-19T11:00:00Z", "19.11.2026 11:00", 3, 1, 'AzureActivity.TimeGenerated is datetime: "19.11.2026 11:00" is not a datetime such as 2026-11-20T12:00:00Z'],
] as const;

describe.each(BAD_CELLS)("a bad cell in %s", (fixture, table, good, bad, line, col, message) => {
  const root = mkdtempSync(path.join(tmpdir(), "bad-cell-"));
  temporaryFolders.push(root);
  cpSync(fixtureRepo, root, { recursive: true });
  const file = path.join(root, fixture);
  const text = readFileSync(file, "utf8");
  writeFileSync(file, text.replace(good, bad));

  it("fails `test` with the cell's file, line and column", { timeout: 180_000 }, async () => {
    // `--jobs 1`: the cell rules are what is tested; the worker threads (each loading Kusto.Language) have tests of their own
    const { code, out } = await cliWithErrors(["test", "-C", root, path.dirname(path.dirname(fixture)), "--jobs", "1"]);
    expect(code).toBe(1);
    expect(out).toContain(`${fixture}:${line}:${col} error SC5003 ${message}`);
  });

  it("fails `query --data` with the same message at the same place", { timeout: 60_000 }, async () => {
    const data = mkdtempSync(path.join(tmpdir(), "bad-cell-data-"));
    temporaryFolders.push(data);
    const copy = path.join(data, `${table}${path.extname(fixture)}`);
    copyFileSync(file, copy);
    const query = path.join(data, "q.kql");
    writeFileSync(query, `${table} | count`);
    const { code, out, err } = await cliWithErrors(["query", query, "--data", data, "--now", "2026-11-20T12:00:00Z"]);
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err).toContain(`${copy}:${line}:${col}: error SC4009: ${message}`);
  });
});
