import { EngineError, type Span } from "./errors.ts";
import type { Row, Table, Value } from "./values.ts";

/** Resource caps of one query run. */
export interface EngineLimits {
  /** Most rows any one operator may produce (default 1,000,000). */
  maxRows: number;
  /** Most cells (rows × columns) any one operator may produce (default 20,000,000). */
  maxCells: number;
  /** Deepest nesting of function calls and sub-queries (default 64). */
  maxDepth: number;
  /** Time budget of one run in milliseconds (default 30,000). */
  maxMilliseconds: number;
  /** Memory budget of one run: growth of the JavaScript heap in MiB (default 1,024). */
  maxMemoryMb: number;
}

/** The default resource caps. */
export const DEFAULT_LIMITS: EngineLimits = { maxRows: 1_000_000, maxCells: 20_000_000, maxDepth: 64, maxMilliseconds: 30_000, maxMemoryMb: 1_024 };

/** Work steps between two looks at the clock and the heap (each look costs about a microsecond). */
const STEPS_PER_CHECK = 2_048;
const MIB = 1024 * 1024;

/** Bytes of the V8 heap in use. */
function heapUsed(): number {
  return process.memoryUsage().heapUsed;
}

/**
 * Least time between two reads of the heap. `process.memoryUsage()` also reads the process's RSS and costs tens of
 * microseconds (more on a loaded machine), enough to show in profiles when read at every check or at the start of
 * every run of a small query (a read every 5 ms was about 1% of a replay's CPU); the heap cannot grow by a budget's
 * worth (1 GiB by default) between two reads. A run shorter than this never reads it. (`node:v8`'s cheaper heap
 * statistics are not used: loading that module aborts a process started from a warm-start snapshot on Node 24.)
 */
export const HEAP_READ_INTERVAL_MS = 20;

/**
 * The time and memory a run may still use: the operators and functions count steps, and every few thousand steps
 * the budget is checked. The heap's growth is measured from its first read, one interval into the run.
 */
export class RunBudget {
  private steps = 0;
  private readonly deadline: number;
  private nextHeapRead: number;
  private heapCeiling: number | undefined;

  constructor(
    private readonly limits: Pick<EngineLimits, "maxMilliseconds" | "maxMemoryMb">,
    private readonly span: Span,
  ) {
    const started = performance.now();
    this.deadline = started + limits.maxMilliseconds;
    this.nextHeapRead = started + HEAP_READ_INTERVAL_MS;
  }

  /** Counts `n` steps of work; throws SC4013 past the time budget, SC4007 past the memory budget. */
  spend(n = 1): void {
    this.steps += n;
    if (this.steps < STEPS_PER_CHECK) return;
    this.steps = 0;
    this.check();
  }

  /** Throws SC4013 past the time budget, SC4007 past the memory budget. */
  check(): void {
    const now = performance.now();
    if (now > this.deadline) {
      throw new EngineError("SC4013", `the query ran longer than its time budget of ${this.limits.maxMilliseconds} ms (limits.maxMilliseconds)`, this.span);
    }
    if (now < this.nextHeapRead) return;
    this.nextHeapRead = now + HEAP_READ_INTERVAL_MS;
    const heap = heapUsed();
    this.heapCeiling ??= heap + this.limits.maxMemoryMb * MIB;
    if (heap > this.heapCeiling) {
      throw new EngineError("SC4007", `the query used more than its memory budget of ${this.limits.maxMemoryMb} MiB (limits.maxMemoryMb)`, this.span);
    }
  }
}

/** A watchlist given to a run: its alias, search-key column, column names and rows. */
export interface WatchlistData {
  alias: string;
  searchKey: string;
  columns: string[];
  items: Record<string, unknown>[];
}

/** State shared by a whole query run: the frozen clock, the caps, the data read, materialized results. */
export interface RunContext {
  /** now() for the whole query, in ticks since the Unix epoch. */
  readonly now: bigint;
  readonly limits: EngineLimits;
  /** The run's tables by name (a compiled plan reads them here, so it can run again on new rows). */
  readonly tables: ReadonlyMap<string, Table>;
  /** The run's watchlists by alias. */
  readonly watchlists: ReadonlyMap<string, WatchlistData>;
  /** Results computed once per run (materialize(), in-list tables, toscalar()), kept by oncePerRun. */
  readonly cache: Map<number, Table>;
  /** The run's time and memory budget (absent: unbounded, e.g. when folding constants while planning). */
  readonly budget?: RunBudget;
  /** The caller never changes a row it gave: results of row-local prefixes may be kept on the rows (planner/incremental.ts). */
  readonly reuseRowResults?: boolean;
}

/** Counts `n` steps of work against the run's budget (see RunBudget). */
export function spend(run: RunContext, n = 1): void {
  run.budget?.spend(n);
}

/** What a compiled scalar expression sees besides its row: the run, and the rows around it (window functions). */
export interface EvalContext {
  readonly run: RunContext;
  /** The rows of the operator's input, in order (for prev/next/row_number). */
  rows: readonly Row[];
  /** Index of the current row in `rows`. */
  index: number;
  /** Per-expression state of window functions (row_cumsum, row_number restarts), keyed by node offset. */
  readonly state: Map<number, unknown>;
}

/** A compiled scalar expression. */
export type RowFn = (row: Row, ctx: EvalContext) => Value;

/** A compiled tabular expression. */
export type TablePlan = (run: RunContext) => Table;

/** A compiled tabular operator: input table → output table. */
export type TableStep = (input: Table, run: RunContext) => Table;

/** Makes a fresh evaluation context over `rows`. */
export function makeEvalContext(run: RunContext, rows: readonly Row[]): EvalContext {
  return { run, rows, index: 0, state: new Map() };
}

/** Throws the row-limit or cell-limit error when a table of `rowCount` × `columnCount` exceeds the caps. */
export function checkTableSize(run: RunContext, rowCount: number, columnCount: number, span: Span): void {
  run.budget?.check();
  if (rowCount > run.limits.maxRows) {
    throw new EngineError("SC4005", `the query would produce more than ${run.limits.maxRows} rows (limits.maxRows)`, span);
  }
  if (rowCount * Math.max(columnCount, 1) > run.limits.maxCells) {
    throw new EngineError("SC4007", `the query would hold more than ${run.limits.maxCells} cells (limits.maxCells)`, span);
  }
}

let runCacheKeys = 0;

/** `plan` computed at most once per run: its table is kept in the run's cache (RunContext.cache) under a key of this site's own (a materialize(), an in list's table, a toscalar()). */
export function oncePerRun(plan: TablePlan): TablePlan {
  const key = runCacheKeys++;
  return (run) => {
    let table = run.cache.get(key);
    if (!table) {
      table = plan(run);
      run.cache.set(key, table);
    }
    return table;
  };
}
