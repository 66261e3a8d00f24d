// Exactness of replay's incremental evaluation: every scheduled run of every rule of the repository, over four hours
// of generated raw logs (after a day of history) ingested with a random delay (so the newest spool hour is seen in
// part), gives the same result table with the engine's reused row-local results and per-segment outputs
// (QueryInput.reuseRowResults, the spool hours as segments) as with a full evaluation of the same rows.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { keptStageCounts, partialCounts, segmentOutputCounts } from "../src/engine/index.ts";
import { runReplay } from "../src/replay/index.ts";
import type { QueryEngine } from "../src/testing/run/engine-port.ts";
import { createOfflineEngine } from "../src/testing/run/offline-engine.ts";
import { generateRawLogs } from "./generate-raw-logs.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const work = mkdtempSync(path.join(tmpdir(), "replay-incremental-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("replay's incremental evaluation", () => {
  it("gives every run of every rule the result of a full evaluation of the same rows", async () => {
    await generateRawLogs({ out: work, seed: 3, scale: 0.001, days: 2, start: "2026-11-19T00:00:00Z" });
    const offline = createOfflineEngine();
    const compared = { reused: 0, rows: 0 };
    const mismatches: string[] = [];
    const bothWays: QueryEngine = (query, data, now) => {
      const incremental = offline(query, data, now);
      const full = offline(query, { ...data, reuseRowResults: false }, now);
      if (data.reuseRowResults) compared.reused++;
      if (incremental.ok) compared.rows += incremental.table.rows.length;
      if (JSON.stringify(incremental, bigints) !== JSON.stringify(full, bigints)) mismatches.push(`${new Date(now).toISOString()}: ${query.slice(0, 80)}`);
      return incremental;
    };
    const before = keptStageCounts();
    const partialsBefore = { ...partialCounts };
    const outputsBefore = { ...segmentOutputCounts };
    const inputs = ["azure-activity", "azure-diagnostics", "chatgpt-compliance", "openai-audit-logs"].map((f) => path.join(work, f));
    const { result, diagnostics } = await runReplay({ root, inputs, from: new Date("2026-11-20T00:00:00Z"), to: new Date("2026-11-20T04:00:00Z"), ingestionDelay: "lognormal:median=2m,p99=10m", engine: bothWays });
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(mismatches).toEqual([]);
    // the ingestion transforms run through the engine too, without reuse
    expect(compared.reused).toBeGreaterThan(200);
    expect(compared.rows).toBeGreaterThan(0);
    expect(result.stats.runs).toBeGreaterThanOrEqual(compared.reused);
    // whole spool hours reuse their kept outputs, and rows are looked up one by one only in hours seen in part
    const after = keptStageCounts();
    expect(after.segmentsReused - before.segmentsReused).toBeGreaterThan(1_000);
    expect(after.rowsComputed - before.rowsComputed).toBeGreaterThan(0);
    // summarize and distinct keep partials per whole hour and merge them per run
    expect(partialCounts.reused - partialsBefore.reused).toBeGreaterThan(1_000);
    expect(partialCounts.computed - partialsBefore.computed).toBeGreaterThan(0);
    // the ChatGPT parsers' union (of a chain and a de-duplication) gives its whole hours again, so the parser's project and the rules' stages after it keep theirs
    // (once per run and let: a let read twice is computed once)
    expect(segmentOutputCounts.reused - outputsBefore.reused).toBeGreaterThan(5_000);
  }, 600_000);
});

function bigints(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? `${value}n` : value;
}
