import type { EngineLimits } from "../engine/context.ts";
import { runQuery, type Column, type Row, type Table } from "../engine/index.ts";
import { setIngestionTime } from "../engine/planner/ingestion.ts";
import type { EngineData, QueryEngine } from "./engine-port.ts";
import { makeResultTable } from "./result-table.ts";

/** The harness's engine: the project's offline KQL engine (src/engine) with a frozen now() in epoch ms, and each query's time and memory budget. */
export function createOfflineEngine(limits: Partial<EngineLimits> = {}): QueryEngine {
  return (query, data, now) => {
    const outcome = runQuery(query, toQueryInput(data), { now: BigInt(now) * 10_000n, limits });
    if (outcome.ok) return { ok: true, table: makeResultTable(outcome.table.columns, outcome.table.rows) };
    return { ok: false, problems: outcome.diagnostics.map((d) => ({ message: d.message, code: d.code, offset: d.start })) };
  };
}

function toQueryInput(data: EngineData) {
  const tables: Record<string, Table> = {};
  for (const [name, table] of data.tables) {
    // ingestion_time() of a fixture row: its _TimeReceived, else its TimeGenerated (as the scheduler assumes)
    const received = table.columns.findIndex((c) => c.name === "_TimeReceived");
    const generated = table.columns.findIndex((c) => c.name === "TimeGenerated");
    for (const row of table.rows) {
      const ticks = (received >= 0 ? row[received] : undefined) ?? (generated >= 0 ? row[generated] : undefined);
      if (typeof ticks === "bigint") setIngestionTime(row as Row, ticks);
    }
    tables[name] = { columns: table.columns as Column[], rows: table.rows as Row[] };
  }
  const watchlists = [...data.watchlists.values()].map((w) => ({
    alias: w.alias,
    columns: w.columns,
    items: w.rows.map((row) => Object.fromEntries(w.columns.map((c, i) => [c, row[i] ?? null]))),
    ...(w.searchKey ? { searchKey: w.searchKey } : {}),
  }));
  return { tables, functions: data.functions, watchlists };
}
