import { runQuery, type Column, type EngineLimits, type InputTable, type QueryInput, type QueryOutcome, type Row } from "../../engine/index.ts";
import type { EngineData, EngineOutcome, QueryEngine, WatchlistRows } from "./engine-port.ts";
import { makeResultTable } from "../verdict/result-table.ts";

/** The harness's engine: the project's offline KQL engine (src/engine) with a frozen now() in epoch ms, and each query's time and memory budget. */
export function createOfflineEngine(limits: Partial<EngineLimits> = {}): QueryEngine {
  return (query, data, now) => toEngineOutcome(runQuery(query, toQueryInput(data), { now: BigInt(now) * 10_000n, limits }));
}

/** The harness's form of an engine outcome: a result table, or the problems with their codes and offsets. */
export function toEngineOutcome(outcome: QueryOutcome): EngineOutcome {
  if (outcome.ok) return { ok: true, table: makeResultTable(outcome.table.columns, outcome.table.rows) };
  return { ok: false, problems: outcome.diagnostics.map((d) => ({ message: d.message, code: d.code, offset: d.start })) };
}

/** A case's data as the engine's input: typed tables (with each row's ingestion time), the parsers, the watchlists. */
export function toQueryInput(data: EngineData): QueryInput {
  const tables: Record<string, InputTable> = {};
  for (const [name, table] of data.tables) {
    const timesOf = ingestionTimesOf(table.columns);
    const segments = data.reuseRowResults ? data.segments?.get(name) : undefined;
    if (segments) {
      // a segment's times are read only when the engine prepares it: once for a stable segment, however many runs see it
      const input = segments.map((s) => ({ rows: s.rows as Row[], stable: s.stable, get ingestionTimes() { return timesOf(s.rows); } }));
      tables[name] = { columns: table.columns as Column[], get rows() { return table.rows as Row[]; }, segments: input };
      continue;
    }
    tables[name] = { columns: table.columns as Column[], rows: table.rows as Row[], ingestionTimes: timesOf(table.rows) };
  }
  const watchlists = [...data.watchlists.values()].map(watchlistInput);
  return { tables, functions: data.functions, watchlists, ...(data.reuseRowResults ? { reuseRowResults: true } : {}) };
}

/** A table's reader of ingestion times: ingestion_time() of a fixture row is its _TimeReceived, else its TimeGenerated (as the scheduler assumes). */
function ingestionTimesOf(columns: readonly { name: string }[]): (rows: readonly unknown[][]) => (bigint | null)[] {
  const received = columns.findIndex((c) => c.name === "_TimeReceived");
  const generated = columns.findIndex((c) => c.name === "TimeGenerated");
  return (rows) =>
    rows.map((row) => {
      const ticks = (received >= 0 ? row[received] : undefined) ?? (generated >= 0 ? row[generated] : undefined);
      return typeof ticks === "bigint" ? ticks : null;
    });
}

type WatchlistInput = NonNullable<QueryInput["watchlists"]>[number];
/** Watchlists as the engine takes them, made once per watchlist (a replay hands the same ones to every run). */
const watchlistInputs = new WeakMap<WatchlistRows, WatchlistInput>();

function watchlistInput(w: WatchlistRows): WatchlistInput {
  let input = watchlistInputs.get(w);
  if (!input) {
    input = {
      alias: w.alias,
      columns: w.columns,
      items: w.rows.map((row) => Object.fromEntries(w.columns.map((c, i) => [c, row[i] ?? null]))),
      ...(w.searchKey ? { searchKey: w.searchKey } : {}),
    };
    watchlistInputs.set(w, input);
  }
  return input;
}
