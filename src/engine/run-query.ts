import { buildGlobals, type FunctionDefinition, type KustoGlobalState } from "../kql/globals.ts";
import { takeKeptAnalysis } from "../kql/kept-analyses.ts";
import { regexProblems } from "../kql/re2.ts";
import { loadBundledFunctions, loadBundledTable } from "../kql/tables.ts";
import { DEFAULT_LIMITS, RunBudget, type EngineLimits, type RunContext, type TablePlan, type WatchlistData } from "./context.ts";
import { typeRows, type RowObjects } from "./data/tables.ts";
import { lineColOf, type EngineDiagnostic } from "./diagnostics.ts";
import { EngineError, type Span } from "./errors.ts";
import { defaultRegistry } from "./functions/registry.ts";
import { operatorTable } from "./operators/index.ts";
import { LruCache } from "./lru-cache.ts";
import { keyedSchemas, type KeyedSchemas } from "./schema-key.ts";
import { bindStatements } from "./planner/functions.ts";
import { carryIngestionTime, setIngestionTime } from "./planner/ingestion.ts";
import { phantomPositions } from "./planner/phantom-columns.ts";
import { createCompiler } from "./planner/planner.ts";
import { type AnalysedQuery, type SyntaxNode, analysedQueryOf, child, childrenOf, columnTypeOf, findNodes, hasOpenSchema, isTabular, isToken, kindOf, listOf, optionalChild, parseAndAnalyze, referencedKind, referencedName, resultTypeOf, simpleNameOf, spanOf, symbolColumns, symbolName, withAnalysisCache } from "./syntax.ts";
import { segmentedTable } from "./segments.ts";
import { parseDatetime, type Column, type InputSegment, type InputTable, type Row, type RowSegment, type Table } from "./values.ts";

export type { RowObjects } from "./data/tables.ts";

/** A watchlist given to a run (columns default to the keys of the first item). */
export interface WatchlistInput {
  alias: string;
  searchKey?: string;
  columns?: string[];
  items: Record<string, unknown>[];
}

/**
 * What a query can read: tables (typed tables, or row objects typed by the bundled schema), saved functions,
 * watchlists. A typed table's `ingestionTimes` gives each row's ingestion_time(); a row object's is its
 * `_TimeReceived`, else its TimeGenerated.
 */
export interface QueryInput {
  tables?: Record<string, InputTable | RowObjects>;
  functions?: FunctionDefinition[];
  watchlists?: WatchlistInput[];
  /**
   * The caller gives the same row objects to many runs and never changes them: the result of each clock-free,
   * row-local prefix of the query (a table through where/extend/project/parse) is kept on the rows and reused.
   */
  reuseRowResults?: boolean;
}

/** Run options: the frozen now() and optional resource caps. */
export interface QueryOptions {
  now: bigint | string | Date;
  limits?: Partial<EngineLimits>;
}

/** The result of runQuery: a table, or diagnostics with offsets into the query text. */
export type QueryOutcome = { ok: true; table: Table } | { ok: false; diagnostics: EngineDiagnostic[] };

function diagnostic(query: string, error: EngineError): EngineDiagnostic {
  const { line, col } = lineColOf(query, error.span.start);
  return { code: error.code, severity: "error", message: error.message, start: error.span.start, length: error.span.length, line, col };
}

function resolveNow(now: QueryOptions["now"]): bigint {
  if (typeof now === "bigint") return now;
  if (now instanceof Date) {
    if (Number.isNaN(now.getTime())) throw new EngineError("SC4011", "now is an invalid Date");
    return BigInt(now.getTime()) * 10_000n;
  }
  const ticks = parseDatetime(now);
  if (ticks === null) throw new EngineError("SC4011", `now ${JSON.stringify(now)} is not an ISO-8601 datetime`);
  return ticks;
}

function isTable(value: InputTable | RowObjects): value is InputTable {
  return !Array.isArray(value) && Array.isArray((value as Table).columns);
}

/** Records the table's ingestion times on its rows, where ingestion_time() reads them; one entry per row or none. */
function recordIngestionTimes<T extends { rows: readonly Row[]; ingestionTimes?: readonly (bigint | null)[] }>(name: string, table: T): T {
  const times = table.ingestionTimes;
  if (times === undefined) return table;
  if (times.length !== table.rows.length) {
    throw new EngineError("SC4009", `table ${name}: ingestionTimes has ${times.length} entries for ${table.rows.length} rows`);
  }
  table.rows.forEach((row, i) => {
    const ticks = times[i];
    if (typeof ticks === "bigint") setIngestionTime(row, ticks);
  });
  return table;
}

/** The table with its null string cells made empty (a Kusto string is never null); the same table when it has none. */
function withEmptyStrings(table: Table): Table {
  const strings = stringPositions(table.columns);
  const rows = rowsWithEmptyStrings(table.rows, strings);
  return rows === table.rows ? table : { columns: table.columns, rows };
}

function stringPositions(columns: readonly Column[]): number[] {
  return columns.flatMap((c, i) => (c.type === "string" ? [i] : []));
}

/** The rows with "" for their null cells at `strings`; the same array when none has one. */
function rowsWithEmptyStrings<R extends readonly Row[]>(rows: R, strings: readonly number[]): R | Row[] {
  if (strings.length === 0 || !rows.some((row) => hasNullAt(row, strings))) return rows;
  return rows.map((row) => fillStrings(row, strings));
}

function hasNullAt(row: Table["rows"][number], positions: readonly number[]): boolean {
  for (const i of positions) if (row[i] === null || row[i] === undefined) return true;
  return false;
}

/** The row with "" for its null cells at `strings`; the same row when it has none. */
function fillStrings(row: Table["rows"][number], strings: readonly number[]): Table["rows"][number] {
  let filled: Table["rows"][number] | undefined;
  for (const i of strings) {
    if (row[i] !== null && row[i] !== undefined) continue;
    filled ??= row.slice();
    filled[i] = "";
  }
  if (filled === undefined) return row;
  carryIngestionTime(row, filled);
  return filled;
}

function resolveTables(tables: QueryInput["tables"], reuse = false): Map<string, Table> {
  const out = new Map<string, Table>();
  for (const [name, value] of Object.entries(tables ?? {})) {
    if (isTable(value)) {
      out.set(name, reuse && value.segments ? resolveSegments(name, value.columns, value.segments) : withEmptyStrings(recordIngestionTimes(name, value)));
      continue;
    }
    // only this table's schema file is read (reading all ≈1,100 bundled schemas costs start-up time)
    const schema = loadBundledTable(name)?.columns;
    out.set(name, recordIngestionTimes(name, typeRows(name, value, schema, (i) => `table ${name} row ${i + 1}`, { openColumns: name === "AzureDiagnostics" })));
  }
  return out;
}

/**
 * Stable segments already prepared (ingestion times recorded, null strings filled): the caller's array → the
 * prepared rows, per layout of string columns. Weak, so a segment the caller drops is forgotten.
 */
const preparedSegments = new WeakMap<readonly Row[], { strings: string; rows: readonly Row[] }>();

/** A segmented table with each segment prepared; a stable segment once, however many runs it is given to. */
function resolveSegments(name: string, columns: Column[], segments: readonly InputSegment[]): Table {
  const strings = stringPositions(columns);
  const layout = strings.join(",");
  return segmentedTable(columns, segments.map((segment) => prepareSegment(name, segment, strings, layout)));
}

function prepareSegment(name: string, segment: InputSegment, strings: readonly number[], layout: string): RowSegment {
  const done = segment.stable ? preparedSegments.get(segment.rows) : undefined;
  if (done?.strings === layout) return { rows: done.rows, stable: true };
  const rows = rowsWithEmptyStrings(recordIngestionTimes(name, segment).rows, strings);
  if (segment.stable) preparedSegments.set(segment.rows, { strings: layout, rows });
  return { rows, stable: segment.stable };
}

function resolveWatchlists(watchlists: QueryInput["watchlists"]): Map<string, WatchlistData> {
  const out = new Map<string, WatchlistData>();
  for (const w of watchlists ?? []) {
    const columns = w.columns ?? Object.keys(w.items[0] ?? {});
    out.set(w.alias, { alias: w.alias, searchKey: w.searchKey ?? columns[0] ?? "", columns, items: w.items });
  }
  return out;
}

/** Prepared queries and Kusto globals kept per process (least recently used evicted). */
const PREPARED_CAPACITY = 200;
const GLOBALS_CAPACITY = 32;

/** A query analysed and compiled for one schema key: its plan (which reads the data from each run), or its diagnostics. */
type Prepared = { ok: true; plan: TablePlan; span: Span; schema: KustoSchema } | { ok: false; diagnostics: EngineDiagnostic[] };

/** A result column as Kusto.Language types it (its type name as Kusto spells it). */
interface KustoColumn {
  name: string;
  type: string;
}

/** Kusto.Language's result schema of a query: its columns, and whether more may appear (e.g. bag_unpack's columns depend on the data). */
export interface KustoSchema {
  columns: KustoColumn[];
  open: boolean;
}

const preparedCache = new LruCache<string, Prepared>(PREPARED_CAPACITY);
const globalsCache = new LruCache<string, KustoGlobalState>(GLOBALS_CAPACITY);

/** How many queries this thread has analysed with Kusto.Language (a prepared query is analysed once per schema key). */
let analyses = 0;

/** How many queries this thread has analysed with Kusto.Language since it started (for tests of the caches). */
export function analysisCount(): number {
  return analyses;
}

/** The globals with Kusto.Language's cache, so the parsers a query calls are bound once for all queries sharing them. */
function globalsWithCache(globals: KustoGlobalState): KustoGlobalState {
  return { ...globals, state: withAnalysisCache(globals.state) };
}

/**
 * Spans where Kusto.Language 12.4.1 reports KS107 but the service accepts the value: the arguments of
 * `count(x)` (it wants a bool; the service counts non-null values) and bag_unpack's
 * `ignoredProperties=dynamic([...])` (it wants a string; the documented argument is a dynamic array).
 */
function countArgumentSpans(root: SyntaxNode): Span[] {
  const spans: Span[] = [];
  const visit = (node: SyntaxNode): void => {
    if (isToken(node)) return;
    if (kindOf(node) === "FunctionCallExpression" && referencedName(node) === "count") {
      for (const arg of listOf(optionalChild(optionalChild(node, "ArgumentList"), "Expressions"))) spans.push(spanOf(arg));
    }
    if (kindOf(node) === "SimpleNamedExpression" && String(simpleNameOf(optionalChild(node, "Name"))) === "ignoredProperties" && kindOf(child(node, "Expression")) === "DynamicExpression") {
      spans.push(spanOf(child(node, "Expression")));
    }
    for (const next of childrenOf(node)) visit(next);
  };
  visit(root);
  return spans;
}

/** Kusto's own errors (syntax, unknown names, type errors) as SC4003 diagnostics. */
function analysisErrors(query: string, code: AnalysedQuery): EngineDiagnostic[] {
  const out: EngineDiagnostic[] = [];
  let countArgs: Span[] | undefined;
  for (const d of code.diagnostics) {
    if (d.severity !== "Error") continue;
    const start = d.start;
    if (d.code === "KS107") {
      countArgs ??= countArgumentSpans(code.root);
      if (countArgs.some((s) => start >= s.start && start < s.start + s.length)) continue;
    }
    const { line, col } = lineColOf(query, start);
    out.push({ code: "SC4003", severity: "error", message: `${d.code}: ${d.message}`, start, length: d.length, line, col });
  }
  return out;
}

/** Functions Kusto knows only by signature (bundled ASIM and Sentinel functions): running them would return nothing, so they are refused. */
function refuseSignatureOnlyFunctions(query: string, root: SyntaxNode, userFunctions: ReadonlySet<string>): EngineDiagnostic[] {
  const bundled = loadBundledFunctions();
  const isSignatureOnly = (name: string): boolean => name !== "_GetWatchlist" && bundled.has(name) && !userFunctions.has(name);
  const calls = findNodes(root, (node) => referencedKind(node) === "FunctionSymbol" && isSignatureOnly(referencedName(node)));
  return calls.map((node) => {
    const message = `the function ${referencedName(node)}() is defined in the workspace, not in this repository; the offline engine cannot run it`;
    return diagnostic(query, new EngineError("SC4002", message, spanOf(node)));
  });
}

function resultStatement(root: SyntaxNode): { lets: SyntaxNode[]; result: SyntaxNode | undefined } {
  const statements = listOf(child(root, "Statements"));
  let last = -1;
  statements.forEach((s, i) => {
    if (kindOf(s) === "ExpressionStatement") last = i;
  });
  return { lets: statements.slice(0, Math.max(last, 0)).filter((s) => kindOf(s) !== "ExpressionStatement"), result: statements[last] };
}

function unexpected(error: unknown, span: Span): EngineError {
  if (error instanceof EngineError) return error;
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return new EngineError("SC4006", "the query recursed too deeply for the offline engine", span);
  }
  if (error instanceof RangeError && /(array length|string length|allocation)/i.test(error.message)) {
    return new EngineError("SC4007", `the query exhausted the engine's memory (${error.message})`, span);
  }
  return new EngineError("SC4004", `internal engine error: ${error instanceof Error ? error.message : String(error)}`, span);
}

/**
 * Runs a KQL query offline: analyzes it with Kusto.Language over the given tables, functions and
 * watchlists, refuses unsupported constructs before running anything, then runs it with one frozen now().
 * Never throws for query or data problems: they come back as diagnostics with offsets into `query`.
 */
export function runQuery(query: string, input: QueryInput, options: QueryOptions): QueryOutcome {
  const whole: Span = { start: 0, length: query.length };
  try {
    const now = resolveNow(options.now);
    const tables = resolveTables(input.tables, input.reuseRowResults === true);
    const watchlists = resolveWatchlists(input.watchlists);
    const prepared = prepareQuery(query, keyedSchemas(tables, watchlists, input.functions));
    if (!prepared.ok) return prepared;
    const limits = { ...DEFAULT_LIMITS, ...options.limits };
    const budget = new RunBudget(limits, prepared.span);
    const run: RunContext = { now, limits, tables, watchlists, cache: new Map(), budget, reuseRowResults: input.reuseRowResults === true };
    try {
      return { ok: true, table: prepared.plan(run) };
    } catch (error) {
      return { ok: false, diagnostics: [diagnostic(query, unexpected(error, prepared.span))] };
    }
  } catch (error) {
    return { ok: false, diagnostics: [diagnostic(query, unexpected(error, whole))] };
  }
}

/**
 * The result columns Kusto.Language gives the query over these inputs (minus the columns the service does not
 * return, see phantom-columns.ts), or the diagnostics that stop it. Shares runQuery's cache of analysed queries.
 */
export function kustoResultSchema(query: string, input: QueryInput): ({ ok: true } & KustoSchema) | { ok: false; diagnostics: EngineDiagnostic[] } {
  const prepared = prepareQuery(query, keyedSchemas(resolveTables(input.tables), resolveWatchlists(input.watchlists), input.functions));
  return prepared.ok ? { ok: true, ...prepared.schema } : prepared;
}

/** The query's prepared form for these schemas, from the cache or analysed and compiled now (refusals are cached too). */
function prepareQuery(query: string, schemas: KeyedSchemas): Prepared {
  return preparedCache.getOrCreate(`${schemas.key}\u0000${query}`, () => {
    try {
      return compileQuery(query, globalsCache.getOrCreate(schemas.key, () => globalsWithCache(buildGlobals(schemas.schemas()))));
    } catch (error) {
      // only the engine's own refusals depend on nothing but the query and schemas; anything else is thrown, so not cached
      if (!(error instanceof EngineError)) throw error;
      return { ok: false, diagnostics: [diagnostic(query, error)] };
    }
  });
}

/** The plan minus the result columns the service does not return (scan's implicit `match_id`; see phantom-columns.ts). */
function withoutPhantomColumns(plan: TablePlan, expr: SyntaxNode): TablePlan {
  const drop = new Set(phantomPositions(expr));
  if (drop.size === 0) return plan;
  return (run) => {
    const table = plan(run);
    const keep = table.columns.map((_c, i) => i).filter((i) => !drop.has(i));
    return { columns: keep.map((i) => table.columns[i]!), rows: table.rows.map((r) => keep.map((i) => r[i] ?? null)) };
  };
}

/** The constant regex arguments RE2 rejects, as SC4008 diagnostics at their literals (found before anything runs). */
function regexErrors(query: string, root: SyntaxNode): EngineDiagnostic[] {
  return regexProblems(root).map((p) => diagnostic(query, new EngineError("SC4008", p.message, { start: p.start, length: p.length })));
}

/** The static result schema of a tabular expression, as Kusto.Language types it, without phantom columns. */
function kustoSchemaOf(expr: SyntaxNode): KustoSchema {
  const drop = new Set(phantomPositions(expr));
  const out: KustoColumn[] = [];
  symbolColumns(resultTypeOf(expr)).forEach((column, i) => {
    const type = columnTypeOf(column);
    if (!drop.has(i)) out.push({ name: symbolName(column), type: type ? symbolName(type) : "unknown" });
  });
  return { columns: out, open: hasOpenSchema(expr) };
}

/** Kusto.Language's analysis of the query: the one this thread kept for it when the query binds alike here, else a new one. */
function analysedQuery(query: string, globals: KustoGlobalState): AnalysedQuery {
  const kept = takeKeptAnalysis(query, globals);
  if (kept !== undefined) return analysedQueryOf(kept);
  analyses++;
  return parseAndAnalyze(query, globals.state);
}

/** Analyses the query with Kusto.Language and compiles it into a plan that reads its tables, watchlists and now() from the run. */
function compileQuery(query: string, globals: KustoGlobalState): Prepared {
  const code = analysedQuery(query, globals);
  const errors = analysisErrors(query, code);
  if (errors.length > 0) return { ok: false, diagnostics: errors };
  const badRegexes = regexErrors(query, code.root);
  if (badRegexes.length > 0) return { ok: false, diagnostics: badRegexes };
  const refused = refuseSignatureOnlyFunctions(query, code.root, new Set(globals.functions.keys()));
  if (refused.length > 0) return { ok: false, diagnostics: refused };
  const { lets, result } = resultStatement(code.root);
  if (!result) throw new EngineError("SC4001", "the query has no result expression", { start: 0, length: query.length });
  const compiler = createCompiler({ registry: defaultRegistry(), operators: operatorTable(), tableNames: new Set(globals.tables.keys()) });
  const env = bindStatements(compiler, lets, new Map(), [], { sharePerRun: true });
  const expr = child(result, "Expression");
  if (!isTabular(expr)) throw new EngineError("SC4001", "a query whose result is a scalar expression (use print)", spanOf(expr));
  return { ok: true, plan: withoutPhantomColumns(compiler.compileTabular(expr, env), expr), span: spanOf(expr), schema: kustoSchemaOf(expr) };
}
