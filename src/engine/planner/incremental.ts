// Incremental evaluation: the result of a query's clock-free, row-local prefix (a stored table followed by where,
// extend, project, parse… whose expressions read only the row) is a function of each source row alone, so a caller
// that runs many queries over the same row objects (replay: every scheduled run over a sliding window) may keep
// it on the rows and compute it once per row instead of once per run. Opt-in per run (QueryInput.reuseRowResults);
// without it the prefix runs as written. Any surprise at run time falls back to the plain evaluation.
import { checkTableSize, type RunContext, type TablePlan, type TableStep } from "../context.ts";
import { calledFunctionBody, child, childrenOf, isTabular, isToken, kindOf, referencedKind, referencedName, spanOf, type SyntaxNode, textOf } from "../syntax.ts";
import type { Column, Row, Table, Value } from "../values.ts";
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

/** A pipeline split into its stored-table source and its pipes (innermost first), each adding one row-local operator. */
export interface RowLocalChain {
  source: SyntaxNode;
  pipes: SyntaxNode[];
  /** Text that names the chain's meaning: its text and the values of the constants it reads. */
  key: string;
}

/** The constant value of a scalar binding, when it has one (a `let` bound to a literal). */
export type ConstantOf = (binding: Binding | undefined) => { value: Value } | undefined;

/**
 * The chain `node` is when it is a stored table piped through row-local, clock-free operators only (at least one),
 * else undefined. `isStoredTable` says whether a name reference reads a table given to the run.
 */
export function rowLocalChain(node: SyntaxNode, env: ReadonlyMap<string, Binding>, isStoredTable: (source: SyntaxNode) => boolean, constantOf: ConstantOf): RowLocalChain | undefined {
  const pipes: SyntaxNode[] = [];
  let current = node;
  while (kindOf(current) === "PipeExpression") {
    const operator = child(current, "Operator");
    if (!ROW_LOCAL_OPERATORS.has(kindOf(operator))) return undefined;
    pipes.unshift(current);
    current = child(current, "Expression");
  }
  if (pipes.length === 0 || kindOf(current) !== "NameReference" || !isStoredTable(current)) return undefined;
  const constants: [string, unknown][] = [];
  for (const pipe of pipes) {
    const operator = child(pipe, "Operator");
    if (!readsOnlyTheRow(operator, operator, env, constantOf, constants)) return undefined;
  }
  const key = JSON.stringify([textOf(node), constants], (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));
  return { source: current, pipes, key };
}

/** True when every expression under `node` reads only the row's columns, built-in row functions and constant lets. */
function readsOnlyTheRow(node: SyntaxNode, operator: SyntaxNode, env: ReadonlyMap<string, Binding>, constantOf: ConstantOf, constants: [string, unknown][]): boolean {
  if (isToken(node)) return true;
  if (node !== operator && isTabular(node)) return false;
  const symbol = referencedKind(node);
  if (symbol === "FunctionSymbol") {
    if (NOT_ROW_LOCAL_FUNCTIONS.has(referencedName(node)) || calledFunctionBody(node) !== undefined) return false;
  } else if (symbol === "VariableSymbol" || symbol === "ParameterSymbol") {
    const name = referencedName(node);
    const constant = constantOf(env.get(name));
    if (!constant) return false;
    constants.push([name, constant.value]);
  } else if (!NEUTRAL_SYMBOLS.has(symbol)) return false;
  return childrenOf(node).every((next) => readsOnlyTheRow(next, operator, env, constantOf, constants));
}

/** The results of row-local chains kept on each source row: [chain token, result row or null, …]. */
const RESULTS = Symbol("row-local results");
type CachingRow = Row & { [RESULTS]?: unknown[] };
/** A row's entry when the chain drops the row. */
const DROPPED = null;

/** One token per chain meaning, so rows compare tokens by identity; bounded (past it, tokens are renewed and old entries miss). */
const tokens = new Map<string, object>();
const MAX_TOKENS = 4_096;

function tokenOf(key: string): object {
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

function storeResult(row: Row, token: object, result: Row | null): void {
  const entries = ((row as CachingRow)[RESULTS] ??= []);
  entries.push(token, result);
}

/** A compiled operator of a chain: its step and whether it filters (keeps input rows, by identity) rather than maps (one row per row). */
export interface ChainStep {
  step: TableStep;
  filters: boolean;
}

/**
 * The chain's plan: the plain evaluation unless the run reuses row results; then each source row's result is read
 * from the row, and only rows without one go through the operators (with the source row of each result tracked).
 */
export function cachedChainPlan(chain: RowLocalChain, source: TablePlan, steps: readonly ChainStep[], node: SyntaxNode): TablePlan {
  const plain: TablePlan = (run) => steps.reduce((table, s) => s.step(table, run), source(run));
  const token = tokenOf(chain.key);
  let columns: Column[] | undefined;
  const span = spanOf(node);
  return (run) => {
    if (!run.reuseRowResults) return plain(run);
    const input = source(run);
    const missing = input.rows.filter((row) => cachedResult(row, token) === undefined);
    if (missing.length > 0 || !columns) {
      const computed = evaluate(steps, { columns: input.columns, rows: missing }, run);
      if (!computed) return plain(run);
      columns = computed.columns;
      missing.forEach((row, i) => storeResult(row, token, computed.results[i] ?? DROPPED));
    }
    const rows: Row[] = [];
    for (const row of input.rows) {
      const result = cachedResult(row, token);
      if (result) rows.push(result);
    }
    checkTableSize(run, rows.length, columns.length, span);
    return { columns, rows };
  };
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
