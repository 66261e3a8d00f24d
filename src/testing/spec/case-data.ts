import { makeDiagnostic, type Diagnostic } from "../../diagnostics/index.ts";
import { locate, type LoadedFile } from "../../load/index.ts";
import type { CaseSpec, RowSource } from "./case-spec.ts";
import { scanQueryNames } from "../selection/dependencies.ts";
import type { EngineData, WatchlistRows } from "../run/engine-port.ts";
import { readRowSource } from "./fixture-rows.ts";
import type { RowTiming } from "../simulation/scheduler.ts";
import { typeRows, type SchemaColumn, type TypedTable } from "./typed-rows.ts";
import { queryOf, type Workspace } from "./workspace.ts";

/** A case's input, ready for the engine, plus each table row's timing for the scheduler. */
export interface CaseData {
  data: EngineData;
  timings: Map<string, RowTiming[]>;
  diagnostics: Diagnostic[];
}

const TICKS_PER_MS = 10_000n;

/**
 * Reads and types every table and watchlist of a case against the workspace's schemas; `ingested` holds rows
 * the case's raw events produced through the ingestion mappings, added to the tables' own rows.
 */
export function prepareCaseData(spec: CaseSpec, testsFile: LoadedFile, workspace: Workspace, ingestionDelayMs = 0, ingested: ReadonlyMap<string, TypedTable> = new Map()): CaseData {
  const diagnostics: Diagnostic[] = [];
  const tables = new Map<string, TypedTable>(ingested);
  const timings = new Map<string, RowTiming[]>();
  for (const source of spec.tables) {
    const schema = workspace.tables.get(source.name);
    if (!schema) {
      diagnostics.push(unknownTable(source, testsFile, workspace));
      continue;
    }
    const typed = readTyped(source, schema.columns, testsFile, diagnostics);
    const previous = tables.get(source.name);
    tables.set(source.name, previous ? { ...typed, rows: [...previous.rows, ...typed.rows] } : typed);
  }
  for (const [name, table] of tables) timings.set(name, rowTimings(table, ingestionDelayMs));
  const watchlists = new Map<string, WatchlistRows>();
  for (const source of spec.watchlists) {
    const rows = readWatchlist(source, testsFile, workspace, diagnostics);
    if (rows) watchlists.set(rows.alias.toLowerCase(), rows);
  }
  // watchlists a case does not give keep the repo's default items
  for (const declared of workspace.watchlists.values()) {
    if (watchlists.has(declared.alias.toLowerCase())) continue;
    const rows = declared.items.map((item) => declared.columns.map((c) => cellText(item[c])));
    watchlists.set(declared.alias.toLowerCase(), { alias: declared.alias, columns: declared.columns, rows, ...(declared.searchKey ? { searchKey: declared.searchKey } : {}) });
  }
  return { data: { tables, functions: [...workspace.functions.values()], watchlists }, timings, diagnostics };
}

/**
 * Adds an empty table for every workspace table the query, any parser or any other query of the workspace names but
 * the case gives no rows for, so a case only lists the tables it fills. Every query of a workspace is so handed the
 * same tables (unless a case fills one no query names), and the engine analyses each query once, against one schema,
 * reusing Kusto.Language's work on the parsers across queries. A query only sees the tables it names; the others
 * are there, empty.
 */
export function withReferencedTables(data: EngineData, query: string, workspace: Workspace): EngineData {
  // the case's functions are the workspace's parsers, whose names contentTableNames already holds
  const names = new Set(scanQueryNames(query).names);
  for (const name of contentTableNames(workspace)) names.add(name);
  const tables = new Map(data.tables);
  for (const name of names) {
    if (tables.has(name)) continue;
    const empty = emptyTableOf(workspace, name);
    if (empty) tables.set(name, empty);
  }
  return { ...data, tables };
}

const namedByContent = new WeakMap<Workspace, ReadonlySet<string>>();

/** The workspace tables the workspace's rules, hunting queries and parsers name (computed once per workspace). */
function contentTableNames(workspace: Workspace): ReadonlySet<string> {
  let names = namedByContent.get(workspace);
  if (names === undefined) {
    const queries = [...[...workspace.files.values()].map(queryOf), ...[...workspace.functions.values()].map((f) => f.body)];
    names = new Set(queries.flatMap((q) => (q === undefined ? [] : [...scanQueryNames(q).names])).filter((name) => workspace.tables.has(name)));
    namedByContent.set(workspace, names);
  }
  return names;
}

const emptyTables = new WeakMap<Workspace, Map<string, TypedTable>>();

/** The empty table of a workspace table, one object per table (the engine keys what it derives from a table's columns on their identity). */
function emptyTableOf(workspace: Workspace, name: string): TypedTable | undefined {
  const schema = workspace.tables.get(name);
  if (!schema) return undefined;
  let tables = emptyTables.get(workspace);
  if (!tables) emptyTables.set(workspace, (tables = new Map()));
  let table = tables.get(name);
  if (!table) tables.set(name, (table = { name, columns: schema.columns.map((c) => ({ name: c.name, type: c.type })), rows: [] }));
  return table;
}

function cellText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** Reads a row source and types it by the given columns, adding findings to `diagnostics`. */
export function readTyped(source: RowSource, columns: readonly SchemaColumn[], testsFile: LoadedFile, diagnostics: Diagnostic[], options: { ignoreUnknown?: boolean } = {}): TypedTable {
  const read = readRowSource(source, testsFile);
  const typed = typeRows(source.name, columns, read.rows, options);
  diagnostics.push(...read.diagnostics, ...typed.diagnostics);
  return typed.table;
}

function unknownTable(source: RowSource, testsFile: LoadedFile, workspace: Workspace): Diagnostic {
  const at = locate(testsFile, source.path);
  if (workspace.functions.has(source.name)) {
    return makeDiagnostic("SC5004", at, `${source.name} is a parser (a function), not a table: give rows of the tables it reads`);
  }
  const near = [...workspace.tables.keys()].find((t) => t.toLowerCase() === source.name.toLowerCase());
  const hint = near ? ` (did you mean ${near}? table names are case-sensitive)` : "";
  return makeDiagnostic("SC5004", at, `unknown table ${source.name}: not a bundled table nor a custom table of ingestion/${hint}`);
}

/**
 * TimeGenerated and ingestion time (`_TimeReceived`, else TimeGenerated + delay) of each row, in epoch ms. With
 * a delay, a row without `_TimeReceived` gets its ingestion time there too, so ingestion_time() agrees.
 */
function rowTimings(table: TypedTable, ingestionDelayMs: number): RowTiming[] {
  const generated = table.columns.findIndex((c) => c.name === "TimeGenerated");
  const received = table.columns.findIndex((c) => c.name === "_TimeReceived");
  const ms = (value: unknown) => (typeof value === "bigint" ? Number(value / TICKS_PER_MS) : undefined);
  return table.rows.map((row) => {
    const timeGenerated = generated < 0 ? undefined : ms(row[generated]);
    const given = received < 0 ? undefined : ms(row[received]);
    const ingested = given ?? (timeGenerated === undefined ? Number.NEGATIVE_INFINITY : timeGenerated + ingestionDelayMs);
    if (given === undefined && received >= 0 && ingestionDelayMs > 0 && Number.isFinite(ingested)) row[received] = BigInt(ingested) * TICKS_PER_MS;
    return timeGenerated === undefined ? { ingested } : { timeGenerated, ingested };
  });
}

/**
 * A case's watchlist rows, values as strings: the repo watchlist's columns first, then any further column the
 * rows carry (Sentinel keeps every column of an uploaded CSV, so an export with extra columns is accepted).
 */
function readWatchlist(source: RowSource, testsFile: LoadedFile, workspace: Workspace, diagnostics: Diagnostic[]): WatchlistRows | undefined {
  const declared = workspace.watchlists.get(source.name) ?? [...workspace.watchlists.values()].find((w) => w.alias.toLowerCase() === source.name.toLowerCase());
  const read = readRowSource(source, testsFile);
  diagnostics.push(...read.diagnostics);
  return watchlistRows(declared?.alias ?? source.name, declared?.columns ?? [], read.rows.map((r) => r.values), declared?.searchKey);
}

/** Watchlist rows from row objects: the declared columns, then the other keys in first-seen order; values as strings. */
export function watchlistRows(alias: string, declaredColumns: readonly string[], rows: readonly Record<string, unknown>[], searchKey?: string): WatchlistRows {
  const columns = [...declaredColumns];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  const result: WatchlistRows = { alias, columns, rows: rows.map((row) => columns.map((c) => cellText(row[c]))) };
  if (searchKey) result.searchKey = searchKey;
  return result;
}

/** The same data with each table cut down to the given row indexes (tables not listed keep all rows). */
export function restrictRows(data: EngineData, visible: ReadonlyMap<string, readonly number[]>): EngineData {
  const tables = new Map<string, TypedTable>();
  for (const [name, table] of data.tables) {
    const keep = visible.get(name);
    tables.set(name, keep ? { ...table, rows: keep.map((i) => table.rows[i] as unknown[]) } : table);
  }
  return { ...data, tables };
}
