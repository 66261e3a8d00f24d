// Exactness of replay's column pruning: every rule of the repository, over two hours of generated raw logs (after
// a day of history, the planted listing of keys among them) with an ingestion delay, raises the same alerts (rows, entities, details, incidents) when the
// spool keeps only the columns the rules can read or show (src/replay/columns.ts) as when it keeps every column.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runReplay, type ReplayResult } from "../src/replay/index.ts";
import type { QueryEngine } from "../src/testing/run/engine-port.ts";
import { createOfflineEngine } from "../src/testing/run/offline-engine.ts";
import { generateRawLogs } from "./generate-raw-logs.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const work = mkdtempSync(path.join(tmpdir(), "replay-pruning-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The result without its timings. */
function verdicts(result: ReplayResult): unknown {
  return { inputs: result.inputs, rules: result.rules, alerts: result.alerts, incidents: result.incidents, rows: result.stats.rows, runs: result.stats.runs };
}

describe("replay's column pruning", () => {
  it("raises exactly the alerts of a replay keeping every column", async () => {
    await generateRawLogs({ out: work, seed: 5, scale: 0.001, days: 2, start: "2026-11-19T00:00:00Z" });
    const offline = createOfflineEngine();
    const widest = new Map<string, number>();
    const recording: QueryEngine = (query, data, now) => {
      for (const [name, table] of data.tables) widest.set(name, Math.max(widest.get(name) ?? 0, table.columns.length));
      return offline(query, data, now);
    };
    const inputs = ["azure-activity", "azure-diagnostics", "chatgpt-compliance", "openai-audit-logs"].map((f) => path.join(work, f));
    const options = { root, inputs, from: new Date("2026-11-20T13:00:00Z"), to: new Date("2026-11-20T15:00:00Z"), ingestionDelay: "lognormal:median=2m,p99=10m" };
    const pruned = await runReplay({ ...options, engine: recording });
    const prunedWidth = widest.get("AzureDiagnostics") ?? 0;
    widest.clear();
    const full = await runReplay({ ...options, engine: recording, pruneColumns: false });
    expect(pruned.diagnostics).toEqual(full.diagnostics);
    expect(full.result.alerts.length).toBeGreaterThan(0);
    expect(verdicts(pruned.result)).toEqual(verdicts(full.result));
    // the pruned replay did prune: the rules saw a small part of AzureDiagnostics' columns
    expect(prunedWidth).toBeGreaterThan(0);
    expect(prunedWidth).toBeLessThan((widest.get("AzureDiagnostics") ?? 0) / 4);
  }, 600_000);
});
