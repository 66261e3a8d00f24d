import type { TokenCredential } from "@azure/core-auth";
import { LogsQueryClient, type LogsQueryClientOptions, type LogsQueryOptions, type QueryTimeInterval } from "@azure/monitor-query-logs";
import { makeDiagnostic } from "../../diagnostics/index.ts";
import { compareRows } from "../verdict/compare.ts";
import { inlineQuery } from "../spec/datatable.ts";
import type { EngineData, QueryEngine } from "./engine-port.ts";
import type { ResultTable } from "../verdict/result-table.ts";
import { toCell, type Cell } from "../spec/values.ts";
import type { CaseResult } from "../verdict/verdict.ts";

/** What a service answered: the primary result table, or why there is none. */
export type LiveOutcome = { ok: true; table: ResultTable } | { ok: false; message: string };

/** Runs one query on a workspace: the only thing the live comparison needs from Log Analytics. */
export type LiveQuery = (query: string) => Promise<LiveOutcome>;

/** The failed outcome of a call that threw: an aborted call timed out, any other error says what went wrong. */
export function failedOutcome(error: unknown): LiveOutcome {
  if (error instanceof Error && error.name === "AbortError") return { ok: false, message: "the query timed out" };
  return { ok: false, message: error instanceof Error ? error.message : String(error) };
}

/** One Logs query API call: the range it looks at, the SDK's call options, and how a cell is read by its column type. */
export interface WorkspaceCall {
  timespan: QueryTimeInterval;
  options?: LogsQueryOptions;
  cell: (value: unknown, type: string) => Cell;
}

/** Runs a query through `LogsQueryClient.queryWorkspace` into a result table (for the live comparison and live replay); never throws. */
export async function queryWorkspaceTable(client: LogsQueryClient, workspaceId: string, query: string, call: WorkspaceCall): Promise<LiveOutcome> {
  try {
    const result = await client.queryWorkspace(workspaceId, query, call.timespan, call.options);
    if (result.status !== "Success") return { ok: false, message: `the query partly failed: ${result.partialError.message}` };
    const table = result.tables[0];
    if (!table) return { ok: false, message: "the service returned no table" };
    const columns = table.columnDescriptors.map((c) => ({ name: c.name ?? "", type: c.type ?? "string" }));
    return { ok: true, table: cellTable(columns, table.rows, call.cell) };
  } catch (error) {
    return failedOutcome(error);
  }
}

/** A service's result rows as a ResultTable, each cell read by `cell` with its column's type. */
export function cellTable(columns: readonly { name: string; type: string }[], rows: readonly (readonly unknown[])[], cell: (value: unknown, type: string) => Cell): ResultTable {
  return { columns: [...columns], rows: rows.map((row) => columns.map((c, i) => cell(row[i], c.type))) };
}

/** A LiveQuery over the last day, its cells as the SDK gives them (Date and parsed values) made plain. */
export function logsQueryRunner(client: LogsQueryClient, workspaceId: string): LiveQuery {
  return (query) => queryWorkspaceTable(client, workspaceId, query, { timespan: { duration: "P1D" }, cell: toCell });
}

/** Options of `createLiveComparer`. */
export interface LiveOptions {
  workspaceId: string;
  credential: TokenCredential;
  engine: QueryEngine;
  clientOptions?: LogsQueryClientOptions;
  /** A ready client (e.g. with test pipeline policies); default: a new LogsQueryClient. */
  client?: LogsQueryClient;
}

interface Recorded {
  query: string;
  data: EngineData;
  now: number;
  table?: ResultTable;
}

/**
 * Wraps the offline engine to record each case's query runs; after each case, runs the same query with the
 * fixture rows inlined on the workspace and attaches agreement (row multisets equal on every column) to the
 * result. Timeline cases (many runs) and cases the offline engine could not run are not compared.
 */
export function createLiveComparer(options: LiveOptions): { engine: QueryEngine; afterCase: (result: CaseResult) => Promise<void> } {
  const live = logsQueryRunner(options.client ?? new LogsQueryClient(options.credential, options.clientOptions), options.workspaceId);
  let recorded: Recorded[] = [];
  const engine: QueryEngine = (query, data, now) => {
    const outcome = options.engine(query, data, now);
    recorded.push(outcome.ok ? { query, data, now, table: outcome.table } : { query, data, now });
    return outcome;
  };
  const afterCase = async (result: CaseResult) => {
    const runs = recorded;
    recorded = [];
    const run = runs[0];
    if (runs.length !== 1 || !run?.table) return;
    const datetimes = run.table.columns.filter((c) => c.type === "datetime").map((c) => c.name);
    const outcome = await live(inlineQuery(run.query, run.data, run.now, datetimes));
    if (!outcome.ok) {
      result.live = { agreed: false, message: `live query failed: ${outcome.message}` };
      result.failures.push({ diagnostic: makeDiagnostic("SC5013", { file: result.testsFile, start: { line: result.line, col: 1 } }, `live query failed: ${outcome.message}`) });
      return;
    }
    const disagreement = compareLive(run.table, outcome.table);
    result.live = disagreement ? { agreed: false, message: disagreement.message } : { agreed: true };
    if (disagreement) {
      const diagnostic = makeDiagnostic("SC5012", { file: result.testsFile, start: { line: result.line, col: 1 } }, `the live workspace disagrees with the offline engine: ${disagreement.message}`);
      result.failures.push(disagreement.diff ? { diagnostic, diff: disagreement.diff } : { diagnostic });
    }
  };
  return { engine, afterCase };
}

/** Compares offline and live results: same columns and the same multiset of rows (live datetimes are whole seconds apart at most from clock skew: compared to the second). */
export function compareLive(offline: ResultTable, live: ResultTable): { message: string; diff?: string } | undefined {
  const missing = offline.columns.filter((c) => !live.columns.some((l) => l.name === c.name)).map((c) => c.name);
  if (missing.length > 0) return { message: `live result lacks columns ${missing.join(", ")}` };
  const names = offline.columns.map((c) => c.name);
  // each live column is normalised by the offline column of the same name's type
  const types = live.columns.map((l) => offline.columns.find((c) => c.name === l.name)?.type);
  const normalized: ResultTable = { columns: live.columns, rows: live.rows.map((row) => row.map((cell, i) => normalizeLive(cell, types[i]))) };
  const expected = offline.rows.map((row) => Object.fromEntries(names.map((n, i) => [n, roundDatetime(row[i] ?? null, offline.columns[i]?.type)])));
  const comparison = compareRows(expected, normalized, false);
  if (comparison.ok) return undefined;
  return comparison.diff ? { message: `offline rows (expected side) differ from live rows`, diff: comparison.diff } : { message: comparison.message };
}

function normalizeLive(cell: Cell, type: string | undefined): Cell {
  if (type === "dynamic" && typeof cell === "string") {
    try {
      return toCell(JSON.parse(cell));
    } catch {
      return cell;
    }
  }
  return roundDatetime(cell, type);
}

/** Datetimes to whole seconds: the live clock shift is only exact to the second. */
function roundDatetime(cell: Cell, type: string | undefined): Cell {
  if (type !== "datetime" || typeof cell !== "string") return cell;
  const ms = Date.parse(cell);
  return Number.isNaN(ms) ? cell : new Date(Math.round(ms / 1000) * 1000).toISOString();
}
