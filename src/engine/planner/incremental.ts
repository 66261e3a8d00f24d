// Incremental evaluation: the result of a query's clock-free, row-local prefix (a stored table followed by where,
// extend, project, parse… whose expressions read only the row) is a function of each source row alone, so a caller
// that runs many queries over the same row objects (replay: every scheduled run over a sliding window) may keep
// it on the rows and compute it once per row instead of once per run; a `where` reading the clock between such
// stages runs at every run. Opt-in per run (QueryInput.reuseRowResults); without it the prefix runs as written. Any
// surprise at run time falls back to the plain evaluation.
import { checkTableSize, makeEvalContext, type RowFn, type RunContext, type TablePlan, type TableStep } from "../context.ts";
import { calledFunctionBody, child, columnsOf, everyNode, isTabular, kindOf, listOf, optionalChild, parametersOf, referencedKind, referencedName, spanOf, type SyntaxNode, textOf } from "../syntax.ts";
import { isSegmented, segmentedTable, segmentRowCount, type SegmentedTable } from "../segments.ts";
import { StringPool } from "../string-pool.ts";
import type { Column, Row, RowSegment, Table, Value } from "../values.ts";
import { CLOCK_FUNCTIONS } from "../../kql/clock-calls.ts";
import { boundValues, segmentVerdict, type ClockBound } from "./clock-bounds.ts";
import type { Binding } from "./scope.ts";

/** Operators whose output row depends on one input row only, and which give at most one row per input row. */
const ROW_LOCAL_OPERATORS: ReadonlySet<string> = new Set([
  "FilterOperator",
  "ExtendOperator",
  "ProjectOperator",
  "ProjectAwayOperator",
  "ProjectKeepOperator",
  "ProjectReorderOperator",
  "ProjectRenameOperator",
  "ParseOperator",
]);

/** Built-in functions whose value depends on more than the row: the clock, chance, neighbouring rows, other data or the session. */
const NOT_ROW_LOCAL_FUNCTIONS: ReadonlySet<string> = new Set([
  "now",
  "ago",
  "rand",
  "bin_auto",
  "new_guid",
  "toscalar",
  "row_number",
  "row_cumsum",
  "row_rank_dense",
  "row_rank_min",
  "row_window_session",
  "prev",
  "next",
  "_GetWatchlist",
  "cursor_current",
  "cursor_after",
  "cursor_before_or_at",
  "current_principal",
  "current_principal_details",
  "current_principal_is_member_of",
  "current_cluster_endpoint",
  "current_database",
]);

/** Symbol classes a row-local expression may reference besides built-in functions and constant lets: columns, operators, type names. */
const NEUTRAL_SYMBOLS: ReadonlySet<string> = new Set(["", "ColumnSymbol", "OperatorSymbol", "PrimitiveSymbol"]);

/**
 * A run of pipes over the rows before it: row-local operators whose results are kept per row (`kept`), or one
 * `where` that reads the clock, re-run at every run. `key` names what a kept stage computes from the source.
 */
export interface ChainStage {
  pipes: SyntaxNode[];
  kept: boolean;
  key: string;
  /** The run-time values the stage's results also depend on (lets fixed for the whole run, see ChainContext.fixedValueOf); part of its key at each run. */
  lets: RowFn[];
  /**
   * What the chain's mapping operators compute from the source, up to this stage: the source's key and the kept
   * non-`where` operators with the constants they read, the `where`s left out (they keep rows, by identity). Stages
   * with the same map key give a row they keep the same result row, so they share one. Undefined when the stage maps
   * nothing or a mapping operator reads a let fixed for the run.
   */
  mapKey?: string | undefined;
}

/** A pipeline split into its source (a stored table, a tabular let or a call of a parameterless function whose body is such a chain) and its stages. */
export interface RowLocalChain {
  source: SyntaxNode;
  stages: ChainStage[];
  /** Every let fixed for the run that the chain (and a let it starts at) reads, by name. */
  lets: Map<string, RowFn>;
  /**
   * True when the source is an operator's output rather than stored rows: a `union`, or a parameterless function
   * whose body has statements. Its rows are kept per segment only when it gives segments (operators/union.ts,
   * summarize.ts); otherwise the chain runs as written.
   */
  derived: boolean;
}

/** The constant value of a scalar binding, when it has one (a `let` bound to a literal). */
export type ConstantOf = (binding: Binding | undefined) => { value: Value; type: string } | undefined;

/** How the planner sees the names a chain's source may be. */
export interface ChainContext {
  env: ReadonlyMap<string, Binding>;
  /** True when a name reference reads a table given to the run. */
  isStoredTable: (source: SyntaxNode) => boolean;
  constantOf: ConstantOf;
  /**
   * A scalar let whose value is the same at every run given the same watchlists (`toscalar(_GetWatchlist(…) | …)`):
   * its evaluator. The value enters a kept stage's key at each run, so results are reused while it stays the same.
   */
  fixedValueOf: (binding: Binding | undefined) => { fn: RowFn; type: string } | undefined;
}

/** What a pipe's expressions read besides the row: constant lets (with their type and value), and lets fixed for a run. */
interface Reads {
  constants: [string, string, unknown][];
  lets: Map<string, RowFn>;
}

/**
 * The chain `node` is when its source is a stored table (or a parameterless function or tabular let whose body is
 * such a chain) piped through row-local operators only: clock-free ones, kept, and `where`s that read the clock, run
 * at every run per segment (a chain of those alone keeps a table's segments for the operator after it). Undefined
 * otherwise.
 */
export function rowLocalChain(node: SyntaxNode, context: ChainContext): RowLocalChain | undefined {
  const pipes: SyntaxNode[] = [];
  let current = node;
  while (kindOf(current) === "PipeExpression") {
    if (!ROW_LOCAL_OPERATORS.has(kindOf(child(current, "Operator")))) {
      // a piped union's output may start a chain (keyOfSource)
      if (pipes.length > 0 && isUnion(current)) break;
      return undefined;
    }
    pipes.unshift(current);
    current = child(current, "Expression");
  }
  const source = pipes.length > 0 ? keyOfSource(current, context) : undefined;
  if (source === undefined) return undefined;
  const sourceKey = source.key;
  const stages: ChainStage[] = [];
  const constants: [string, string, unknown][] = [];
  // a let the chain starts at may read lets fixed for the run: their values are part of every kept stage's token
  const lets = new Map<string, RowFn>(source.lets);
  // the mapping operators so far and the constants they read; undefined once one reads a let fixed for the run
  let maps: unknown[] | undefined = source.lets.size === 0 ? [] : undefined;
  // how many of them come before the current stage: the stage's input rows are their results
  let mapsBefore = 0;
  for (const pipe of pipes) {
    const operator = child(pipe, "Operator");
    // the constants a pipe reads count once, from the walk that accepted it
    let read: Reads = { constants: [], lets: new Map() };
    const kept = readsOnlyTheRow(operator, operator, context, read, false);
    if (!kept) read = { constants: [], lets: new Map() };
    if (!kept && (kindOf(operator) !== "FilterOperator" || !readsOnlyTheRow(operator, operator, context, read, true))) return undefined;
    constants.push(...read.constants);
    for (const [name, fn] of read.lets) lets.set(name, fn);
    const last = stages.at(-1);
    if (kept && last?.kept) last.pipes.push(pipe);
    else {
      stages.push({ pipes: [pipe], kept, key: "", lets: [] });
      mapsBefore = maps?.length ?? 0;
    }
    const mapping = kindOf(operator) !== "FilterOperator";
    if (mapping && maps) maps = read.lets.size === 0 ? [...maps, [textOf(operator), read.constants]] : undefined;
    const stage = stages.at(-1) as ChainStage;
    // constants carry their type (4 and 4.0, 1d and a datetime are equal values) and bigints are tagged apart from text
    if (kept) {
      stage.key = keyText([sourceKey, textOf(pipe), constants]);
      stage.lets = [...lets.values()];
      if (mapping) stage.mapKey = maps ? keyText(["maps", sourceKey, maps, mapsBefore]) : undefined;
    }
  }
  return { source: current, stages, lets, derived: source.derived === true };
}

/** What a chain's source means (its table and columns, or the function body or let it expands to) and the fixed lets that reads, or undefined when it cannot start a chain. */
function keyOfSource(source: SyntaxNode, context: ChainContext): { key: string; lets: ReadonlyMap<string, RowFn>; derived?: boolean } | undefined {
  const columns = JSON.stringify(columnsOf(source));
  if (kindOf(source) === "NameReference" && context.isStoredTable(source)) return { key: `${textOf(source)}\u0000${columns}`, lets: new Map() };
  // a kept stage's result is a function of the row, its columns and the stage's text and constants: any source may
  // start a chain; an operator's output is worth keeping only when it gives the same row arrays again (segments)
  if (isUnion(source)) return { key: `derived\u0000${textOf(source)}\u0000${columns}`, lets: new Map(), derived: true };
  const binding = kindOf(source) === "NameReference" ? context.env.get(referencedName(source)) : undefined;
  if (binding?.kind === "table") return keyOfLet(binding, columns, context);
  const body = calledFunctionBody(source);
  if (!body || referencedKind(source) !== "FunctionSymbol" || parametersOf(source).length > 0) return undefined;
  const statements = optionalChild(body, "Statements");
  const expression = optionalChild(body, "Expression");
  if (statements && listOf(statements).length > 0 && expression) return { key: `derived\u0000${textOf(body)}\u0000${columns}`, lets: new Map(), derived: true };
  const inner = expression ? rowLocalChain(expression, { ...context, env: new Map() }) : undefined;
  if (!inner) return undefined;
  return { key: `${textOf(body)}\u0000${columns}`, lets: new Map(), derived: inner.derived };
}

/** True for a `union`, leading (`union A, B`) or piped (`A | union B`). */
function isUnion(node: SyntaxNode): boolean {
  return kindOf(node) === "UnionOperator" || (kindOf(node) === "PipeExpression" && kindOf(child(node, "Operator")) === "UnionOperator");
}

/**
 * What a tabular let means when its expression is a chain, read with the names it saw where it was bound: its text
 * and its stages' keys (which hold the constants it reads), plus the lets fixed for the run it reads. Else undefined.
 */
function keyOfLet(binding: Binding & { kind: "table" }, columns: string, context: ChainContext): { key: string; lets: ReadonlyMap<string, RowFn>; derived: boolean } | undefined {
  const { expression, expressionEnv } = binding;
  const chain = expression && expressionEnv ? rowLocalChain(expression, { ...context, env: expressionEnv }) : undefined;
  if (!expression || !chain) return undefined;
  return { key: keyText(["let", textOf(expression), chain.stages.map((s) => s.key), [...chain.lets.keys()], columns]), lets: chain.lets, derived: chain.derived };
}

/** A key's text: JSON with bigints tagged apart from numbers and text. */
export function keyText(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? { bigint: v.toString() } : v));
}

/**
 * True when every expression under `node` reads only the row's columns, built-in row functions, constant lets and
 * lets fixed for the run (and, with `clock`, now() and ago()); the lets read are added to `read` (a fixed let also
 * among the constants, by name, so the stage's key says it reads one).
 */
function readsOnlyTheRow(node: SyntaxNode, operator: SyntaxNode, context: ChainContext, read: Reads, clock: boolean): boolean {
  return everyNode(node, (next) => readsOnlyTheRowHere(next, operator, context, read, clock));
}

/** readsOnlyTheRow's question of one node (its children are asked apart). */
function readsOnlyTheRowHere(node: SyntaxNode, operator: SyntaxNode, context: ChainContext, read: Reads, clock: boolean): boolean {
  // `*` (arg_max(x, *), where * has …) stands for the row's own columns
  if (kindOf(node) === "StarExpression") return true;
  if (node !== operator && isTabular(node)) return false;
  const symbol = referencedKind(node);
  if (symbol === "FunctionSymbol") {
    const name = referencedName(node);
    return !(NOT_ROW_LOCAL_FUNCTIONS.has(name) && !(clock && CLOCK_FUNCTIONS.has(name))) && calledFunctionBody(node) === undefined;
  }
  if (symbol === "VariableSymbol" || symbol === "ParameterSymbol") {
    const name = referencedName(node);
    const binding = context.env.get(name);
    const constant = context.constantOf(binding);
    const fixed = constant ? undefined : context.fixedValueOf(binding);
    if (constant) read.constants.push([name, constant.type, constant.value]);
    else if (fixed) {
      // the let's type is part of the key: values carry none (an int 2 and a real 2 are one JS number)
      read.constants.push([name, `let ${fixed.type}`, null]);
      read.lets.set(name, fixed.fn);
    } else return false;
    return true;
  }
  return NEUTRAL_SYMBOLS.has(symbol);
}

/** Names nothing: a context in which a variable is never constant or fixed, so an expression reading one is not row-local. */
const NO_NAMES: ChainContext = { env: new Map(), isStoredTable: () => false, constantOf: () => undefined, fixedValueOf: () => undefined };

/** True when every expression under an operator reads only the row's columns and built-in row functions: no clock, let, table or neighbouring row. */
export function readsOnlyRowValues(operator: SyntaxNode): boolean {
  return readsOnlyTheRow(operator, operator, NO_NAMES, { constants: [], lets: new Map() }, false);
}

/** True when every expression under an operator reads only the row's columns, built-in row functions and constant lets (a literal bound by `let`, fixed for a compiled query). */
export function readsOnlyRowAndConstants(operator: SyntaxNode, env: ReadonlyMap<string, Binding>, constantOf: ConstantOf): boolean {
  return constantsReadByRow(operator, env, constantOf) !== undefined;
}

/** The constant lets (name, type, value) a node reads when it reads only the row, built-in row functions and constant lets; undefined when it reads anything else. */
export function constantsReadByRow(node: SyntaxNode, env: ReadonlyMap<string, Binding>, constantOf: ConstantOf): [string, string, unknown][] | undefined {
  const read: Reads = { constants: [], lets: new Map() };
  return readsOnlyTheRow(node, node, { ...NO_NAMES, env, constantOf }, read, false) ? read.constants : undefined;
}

/**
 * The token of what an operator keeps per segment (`purpose`: its partial, its output…) when its expressions read only
 * the row, built-in row functions and constant lets: its text, its input columns and the constants' values name it,
 * so the plans of different queries (rules reading one parser) with the same operator over the same segments share
 * its kept results. Undefined when it reads anything else.
 */
export function operatorToken(operator: SyntaxNode, env: ReadonlyMap<string, Binding>, constantOf: ConstantOf, inputColumns: readonly Column[], purpose: string): object | undefined {
  const constants = constantsReadByRow(operator, env, constantOf);
  return constants && tokenOf(keyText(["operator", purpose, textOf(operator), inputColumns.map((c) => [c.name, c.type]), constants]));
}

/** Built-in functions and syntax that read stored data by name or pattern, so a let using them is not fixed for the run. */
const DATA_FUNCTIONS: ReadonlySet<string> = new Set(["table", "database", "cluster", "external_table", "materialized_view", "stored_query_result"]);
const DATA_SYNTAX: ReadonlySet<string> = new Set(["FindOperator", "SearchOperator", "UnionOperator", "ExternalDataExpression", "EvaluateOperator"]);

/**
 * True when a let's expression reads nothing that changes between runs but watchlists: no stored table, clock,
 * chance or user function; only watchlists, literals, built-in functions and lets that are themselves fixed. A
 * heuristic for ChainContext.fixedValueOf (the value itself is part of a kept stage's key, so reuse stays exact).
 */
export function readsOnlyWatchlists(node: SyntaxNode, env: ReadonlyMap<string, Binding>): boolean {
  return everyNode(node, (next) => readsOnlyWatchlistsHere(next, env));
}

/** readsOnlyWatchlists' question of one node. */
function readsOnlyWatchlistsHere(node: SyntaxNode, env: ReadonlyMap<string, Binding>): boolean {
  if (DATA_SYNTAX.has(kindOf(node))) return false;
  const symbol = referencedKind(node);
  if (symbol === "FunctionSymbol") {
    const name = referencedName(node);
    if (name !== "_GetWatchlist" && name !== "toscalar" && (NOT_ROW_LOCAL_FUNCTIONS.has(name) || DATA_FUNCTIONS.has(name))) return false;
    return calledFunctionBody(node) === undefined;
  }
  if (symbol === "VariableSymbol" || symbol === "ParameterSymbol") {
    const binding = env.get(referencedName(node));
    return !!binding && !!(binding.fixed || (binding.kind === "scalar" && binding.constant));
  }
  return NEUTRAL_SYMBOLS.has(symbol) && !(symbol === "" && kindOf(node) === "NameReference");
}

/** The results of row-local chains kept on each source row: [chain token, result row or null, …]. */
const RESULTS = Symbol("row-local results");
type CachingRow = Row & { [RESULTS]?: unknown[] };
/** A row's entry when the chain drops the row. */
const DROPPED = null;

/** One token per chain meaning, so rows compare tokens by identity; bounded (past it, tokens are renewed and old entries miss). */
const tokens = new Map<string, object>();
const MAX_TOKENS = 4_096;

/** The token of a meaning (a key text): the same object for every plan computing the same thing, so their kept results are shared. */
export function tokenOf(key: string): object {
  let token = tokens.get(key);
  if (!token) {
    if (tokens.size >= MAX_TOKENS) tokens.clear();
    token = {};
    tokens.set(key, token);
  }
  return token;
}

function cachedResult(row: Row, token: object): Row | null | undefined {
  const entries = (row as CachingRow)[RESULTS];
  if (!entries) return undefined;
  for (let i = 0; i < entries.length; i += 2) if (entries[i] === token) return entries[i + 1] as Row | null;
  return undefined;
}

/** Most results kept on one row: past it the oldest goes (a let whose value changes between runs renews a stage's token). */
const MAX_RESULTS_PER_ROW = 32;

function storeResult(row: Row, token: object, result: Row | null): void {
  const entries = (row as CachingRow)[RESULTS] ?? [];
  const from = entries.length >= 2 * MAX_RESULTS_PER_ROW ? 2 : 0;
  // a new array of the exact length: an array grown by push reserves 16 slots or more, most never used, on every row
  const next = new Array<unknown>(entries.length - from + 2);
  for (let i = from; i < entries.length; i++) next[i - from] = entries[i];
  next[entries.length - from] = token;
  next[entries.length - from + 1] = result;
  (row as CachingRow)[RESULTS] = next;
}

/**
 * The row's result under a map token (ChainStage.mapKey): the one another stage kept, equal to `computed` (the same
 * operators over the same row), or `computed`, kept for the next stage. One result row per row and map key.
 */
function sharedResult(row: Row, mapToken: object, computed: Row): Row {
  const known = cachedResult(row, mapToken);
  if (known) return known;
  storeResult(row, mapToken, computed);
  return computed;
}

/** One copy of each short string the kept stages compute, shared by every kept result row. */
const sharedStrings = new StringPool();

/**
 * A kept result row with its short string cells replaced by one shared copy of each value: a stage's `case`,
 * `strcat`, `tolower`… build a new string per row, mostly of a few values (an operation family, an account, a
 * caller prefix), and the kept rows hold them as long as their source rows. Strings are values, so nothing reading
 * the row can tell. The source row itself (a `where` keeps it) is left as it is.
 */
function shareStrings(result: Row | null, source: Row): Row | null {
  if (result === null || result === source) return result;
  for (let i = 0; i < result.length; i++) {
    // a cell copied from the source row already lives as long as the result: only computed strings are shared
    if (typeof result[i] === "string" && result[i] !== source[i]) result[i] = sharedStrings.intern(result[i]) as string;
  }
  return result;
}

/** A kept stage's output against the table limits; an intermediate table is checked against the run's time budget only. */
function checkOutput(stage: CompiledStage, run: RunContext, rows: number, columns: number, span: ReturnType<typeof spanOf>): void {
  if (stage.intermediate) run.budget?.check();
  else checkTableSize(run, rows, columns, span);
}

/** A compiled operator of a chain: its step and whether it filters (keeps input rows, by identity) rather than maps (one row per row). */
export interface ChainStep {
  step: TableStep;
  filters: boolean;
}

/** A compiled stage: its steps, and whether their results are kept per row (else they run at every run). */
export interface CompiledStage {
  steps: ChainStep[];
  kept: boolean;
  key: string;
  lets: RowFn[];
  /** Shared by the stages that give a kept row the same result row (ChainStage.mapKey). */
  mapKey?: string | undefined;
  /** For a clock `where`, the bounds its condition is a conjunction of (planner/clock-bounds.ts), when it is one. */
  bounds?: ClockBound[];
  /** Its output is an intermediate table (the row-alone part of a split clock `where`): not checked against the table limits. */
  intermediate?: boolean;
}

/**
 * The chain's plan: the plain evaluation unless the run reuses row results; then each kept stage reads each input
 * row's result from the row, and only rows without one go through its operators (with the row of each result
 * tracked); the clock-reading `where`s between kept stages run at every run. Over a segmented table (segments.ts)
 * a kept stage keeps its output per stable segment, and a `where` keeps a segment whole when it drops none of it.
 */
export function cachedChainPlan(source: TablePlan, stages: readonly CompiledStage[], node: SyntaxNode, derived = false): TablePlan {
  const all = stages.flatMap((s) => s.steps);
  const plainOver = (table: Table, run: RunContext): Table => all.reduce((t, s) => s.step(t, run), table);
  const plain: TablePlan = (run) => plainOver(source(run), run);
  const kept = stages.map((stage) => (stage.kept ? keptStage(stage, node) : undefined));
  return (run) => {
    if (!run.reuseRowResults) return plain(run);
    const input = source(run);
    // an operator's output without stable segments is new rows at every run: nothing to reuse
    if (derived && (!isSegmented(input) || !input.segments.some((s) => s.stable))) return plainOver(input, run);
    let table: Table | undefined = input;
    for (let i = 0; i < stages.length && table; i++) {
      const stage = kept[i];
      const steps = (stages[i] as CompiledStage).steps;
      if (stage) table = stage(table, run);
      else table = isSegmented(table) ? filterSegments(stages[i] as CompiledStage, table, run) : steps.reduce((t: Table, s) => s.step(t, run), table);
    }
    // a refused stage falls back to the plain steps over the source already evaluated (a union or body runs once)
    return table ?? plainOver(input, run);
  };
}

/** How much work kept stages did and saved since the process started (for tests and profiling). */
export interface KeptStageCounts {
  /** Stable segments whose kept output was reused whole. */
  segmentsReused: number;
  /** Rows whose kept result was looked up on the row. */
  rowsLookedUp: number;
  /** Rows that went through a kept stage's operators. */
  rowsComputed: number;
  /** Stable segments a clock `where` passed or dropped whole by its bounds. */
  segmentsBounded: number;
}

const counts: KeptStageCounts = { segmentsReused: 0, rowsLookedUp: 0, rowsComputed: 0, segmentsBounded: 0 };

/** A copy of the kept stages' counters. */
export function keptStageCounts(): KeptStageCounts {
  return { ...counts };
}

/**
 * A clock-reading stage's `where` over each segment: a stable segment its bounds pass or drop whole is not read;
 * a segment it keeps whole stays the same segment (a filter keeps rows by identity).
 */
function filterSegments(stage: CompiledStage, table: SegmentedTable, run: RunContext): Table {
  const segments: RowSegment[] = [];
  const { bounds } = stage;
  // the bounds' values depend on the run only: evaluated once, when some segment is stable
  const values = bounds && table.segments.some((s) => s.stable) ? boundValues(bounds, run) : undefined;
  for (const segment of table.segments) {
    const verdict = bounds && values && segment.stable ? segmentVerdict(bounds, values, segment.rows) : "some";
    counts.segmentsBounded += verdict === "some" ? 0 : 1;
    if (verdict === "all") segments.push(segment);
    if (verdict !== "some") continue;
    const out = stage.steps.reduce((t: Table, s) => s.step(t, run), { columns: table.columns, rows: segment.rows as Row[] });
    segments.push(out.rows.length === segment.rows.length ? segment : { rows: out.rows, stable: false });
  }
  return segmentedTable(table.columns, segments);
}

/** The kept output of stable segments: the segment's array → its output rows per chain token. Weak: an evicted segment's outputs go with it. */
const segmentOutputs = new WeakMap<readonly Row[], Map<object, Row[]>>();

/** A kept stage over its input rows: each row's result read from the row or computed and kept; undefined when a step broke the contract. */
function keptStage(stage: CompiledStage, node: SyntaxNode): (input: Table, run: RunContext) => Table | undefined {
  // a stage that only maps gives every row its maps' result: its map key is its token (the lets before it only choose rows)
  const onlyMaps = stage.mapKey !== undefined && stage.steps.every((s) => !s.filters);
  const fixedToken = onlyMaps ? tokenOf(stage.mapKey as string) : stage.lets.length === 0 ? tokenOf(stage.key) : undefined;
  const mapToken = stage.mapKey === undefined || onlyMaps ? undefined : tokenOf(stage.mapKey);
  let token = fixedToken ?? {};
  let columns: Column[] | undefined;
  const span = spanOf(node);
  /** The stage's output rows for `rows`, each row's result looked up once and the rows without one computed together. */
  const outputOf = (rows: readonly Row[], input: Table, run: RunContext): Row[] | undefined => {
    const results = rows.map((row) => cachedResult(row, token));
    counts.rowsLookedUp += rows.length;
    const missing = rows.filter((_row, i) => results[i] === undefined);
    if (missing.length > 0 || !columns) {
      const computed = evaluate(stage.steps, { columns: input.columns, rows: missing }, run);
      if (!computed) return undefined;
      counts.rowsComputed += missing.length;
      columns = computed.columns;
      let next = 0;
      rows.forEach((row, i) => {
        if (results[i] !== undefined) return;
        const computedResult = shareStrings(computed.results[next++] ?? DROPPED, row);
        const result = computedResult && mapToken ? sharedResult(row, mapToken, computedResult) : computedResult;
        storeResult(row, token, result);
        results[i] = result;
      });
    }
    const out: Row[] = [];
    for (const result of results) if (result) out.push(result);
    return out;
  };
  const segmentOutput = (segment: RowSegment, input: Table, run: RunContext): Row[] | undefined => {
    let outputs = segment.stable ? segmentOutputs.get(segment.rows) : undefined;
    const known = outputs?.get(token);
    if (known) {
      counts.segmentsReused++;
      return known;
    }
    const rows = outputOf(segment.rows, input, run);
    if (rows && segment.stable) {
      if (!outputs) segmentOutputs.set(segment.rows, (outputs = new Map()));
      if (outputs.size >= MAX_RESULTS_PER_ROW) outputs.delete(outputs.keys().next().value as object);
      outputs.set(token, rows);
    }
    return rows;
  };
  return (input, run) => {
    const current = fixedToken ?? tokenAt(stage, run);
    if (!current) return undefined;
    token = current;
    if (!isSegmented(input)) {
      const rows = outputOf(input.rows, input, run);
      if (!rows || !columns) return undefined;
      checkOutput(stage, run, rows.length, columns.length, span);
      return { columns, rows };
    }
    const segments: RowSegment[] = [];
    for (const segment of input.segments) {
      const rows = segmentOutput(segment, input, run);
      if (!rows) return undefined;
      segments.push({ rows, stable: segment.stable });
    }
    // every segment's output was kept from an earlier plan with the same token: the columns come from no rows
    if (!columns && !outputOf([], input, run)) return undefined;
    if (!columns) return undefined;
    checkOutput(stage, run, segmentRowCount(segments), columns.length, span);
    return segmentedTable(columns, segments);
  };
}

/** The stage's token at this run: its key with the values of the lets it reads; undefined when one cannot be evaluated (the plain evaluation decides). */
function tokenAt(stage: CompiledStage, run: RunContext): object | undefined {
  try {
    const context = makeEvalContext(run, []);
    return tokenOf(`${stage.key}\u0000${keyText(stage.lets.map((fn) => fn([], context)))}`);
  } catch {
    return undefined;
  }
}

/** Runs the steps over `table`, giving each input row's result (or null when dropped); undefined when a step broke the row-for-row contract. */
function evaluate(steps: readonly ChainStep[], table: Table, run: RunContext): { columns: Column[]; results: (Row | null)[] } | undefined {
  let current = table;
  let origin = table.rows.map((_row, i) => i);
  for (const { step, filters } of steps) {
    const out = step(current, run);
    if (filters) {
      const kept = keptOrigins(current.rows, out.rows, origin);
      if (!kept) return undefined;
      origin = kept;
    } else if (out.rows.length !== current.rows.length) return undefined;
    current = out;
  }
  const results: (Row | null)[] = table.rows.map(() => null);
  current.rows.forEach((row, i) => {
    results[origin[i] as number] = row;
  });
  return { columns: current.columns, results };
}

/** The origins of a filter's kept rows (a subsequence of its input, by identity), or undefined when they are not one. */
function keptOrigins(input: readonly Row[], kept: readonly Row[], origin: readonly number[]): number[] | undefined {
  const out: number[] = [];
  let j = 0;
  for (const row of kept) {
    while (j < input.length && input[j] !== row) j++;
    if (j === input.length) return undefined;
    out.push(origin[j] as number);
    j++;
  }
  return out;
}
