import { DEFAULT_LIMITS, spend, type EvalContext, type RowFn } from "../context.ts";
import { EngineError, type Span } from "../errors.ts";
import { AGGREGATE_NAMES } from "../aggregates/names.ts";
import { calledFunctionBody, child, columnsOf, kindOf, listOf, optionalChild, parentOf, referencedName, spanOf, type SyntaxNode, textOf, textStartOf, typeOf } from "../syntax.ts";
import { isEmptyValue, toDynamic, type JsonValue, type KqlType, type Row, type Value } from "../values.ts";
import type { Compiler } from "./compiler.ts";
import { ingestionTimeOf } from "./ingestion.ts";
import { bindArguments, compileFunctionBody } from "./functions.ts";
import { literalValue } from "./literals.ts";
import { callContextFor } from "./scalar.ts";
import type { Scope } from "./scope.ts";

/** The argument expressions of a call node. */
export function argumentsOf(node: SyntaxNode): SyntaxNode[] {
  return optionalChild(node, "ArgumentList") ? listOf(child(child(node, "ArgumentList"), "Expressions")) : [];
}

type Special = (c: Compiler, node: SyntaxNode, args: SyntaxNode[], scope: Scope) => RowFn;

/** Functions the planner implements itself because they see more than their arguments (rows, columns, schema). */
const SPECIAL: Record<string, Special> = {
  column_ifexists: compileColumnIfExists,
  columnifexists: compileColumnIfExists,
  ingestion_time: () => (row) => ingestionTimeOf(row),
  row_number: compileRowNumber,
  prev: (c, node, args, scope) => compileNeighbour(c, node, args, scope, -1),
  next: (c, node, args, scope) => compileNeighbour(c, node, args, scope, 1),
  row_cumsum: compileRowCumsum,
  row_rank_dense: (c, node, args, scope) => compileRowRank(c, node, args, scope, true),
  row_rank_min: (c, node, args, scope) => compileRowRank(c, node, args, scope, false),
  pack_all: compilePackAll,
  row_window_session: compileRowWindowSession,
  bag_pack_columns: compileBagPackColumns,
  column_names_of: compileColumnNamesOf,
  bin_auto: compileBinAuto,
};

/** Compiles a scalar function call: a user/database function expansion, a planner-level function, or a registry function. */
export function compileCall(c: Compiler, node: SyntaxNode, scope: Scope): RowFn {
  const slot = scope.slots?.get(textStartOf(node));
  if (slot !== undefined) return (row) => row[slot] ?? null;
  const name = referencedName(node);
  const args = argumentsOf(node);
  const body = calledFunctionBody(node);
  if (body) {
    const env = bindArguments(c, node, args, scope);
    return compileFunctionBody(c, body, scope.columns, env, node) as RowFn;
  }
  const special = SPECIAL[name];
  if (special) return special(c, node, args, scope);
  if (AGGREGATE_NAMES.has(name)) {
    throw new EngineError("SC4001", `the aggregate ${name}() is only supported directly inside summarize`, spanOf(node));
  }
  const fn = c.registry.get(name);
  if (!fn) throw new EngineError("SC4002", `the function ${name}() is not supported by the offline engine`, spanOf(node));
  const compiled = args.map((a) => c.compileScalar(a, scope));
  const argTypes = args.map(typeOf);
  const resultType = typeOf(node);
  const contextFor = callContextFor(argTypes, resultType);
  const stringResult = resultType === "string";
  const n = compiled.length;
  const refuseBig = LONG_EXACT_FUNCTIONS.has(name) ? undefined : argTypes.map((t) => t === "long" || t === "int");
  const guard = refuseBig?.includes(true) ? refuseBig : undefined;
  const span = spanOf(node);
  return (row, ec) => {
    const values = new Array<Value>(n);
    for (let i = 0; i < n; i++) {
      const v = compiled[i]!(row, ec);
      if (guard?.[i] && typeof v === "bigint") throw unsafeLongArgument(name, v, span);
      values[i] = v === null && argTypes[i] === "string" ? "" : v;
    }
    spend(ec.run);
    const result = fn.call(values, contextFor(ec.run));
    return stringResult && (result === null || result === undefined) ? "" : result;
  };
}

/**
 * Functions that take a long beyond ±(2^53 − 1) (a bigint) exactly; any other function computes in
 * doubles and refuses one (SC4020) rather than round it.
 */
const LONG_EXACT_FUNCTIONS: ReadonlySet<string> = new Set([
  "tostring", "strcat", "strcat_delim", "tolong", "toint", "toreal", "todouble", "tohex", "bin", "floor",
  "binary_and", "binary_or", "binary_xor", "binary_not", "binary_shift_left", "binary_shift_right", "bitset_count_ones",
  "hash", "hash_xxhash64", "unixtime_seconds_todatetime", "unixtime_milliseconds_todatetime", "unixtime_microseconds_todatetime",
  "unixtime_nanoseconds_todatetime", "isnull", "isnotnull", "isempty", "isnotempty", "iff", "iif", "case", "coalesce", "gettype",
]);

function unsafeLongArgument(name: string, value: bigint, span: Span): EngineError {
  return new EngineError("SC4020", `${name}() of the long ${value}: the offline engine computes ${name}() in doubles, which would round a long beyond 2^53`, span);
}

function constantString(c: Compiler, node: SyntaxNode, scope: Scope): string {
  const fn = c.compileScalar(node, scope);
  const v = fn([], { run: { now: 0n, limits: { ...DEFAULT_LIMITS, maxRows: 0, maxCells: 0, maxDepth: 0 }, tables: new Map(), watchlists: new Map(), cache: new Map() }, rows: [], index: 0, state: new Map() });
  if (typeof v !== "string") throw new EngineError("SC4001", "this argument must be a constant string", spanOf(node));
  return v;
}

function compileColumnIfExists(c: Compiler, node: SyntaxNode, args: SyntaxNode[], scope: Scope): RowFn {
  const [nameArg, defaultArg] = args;
  if (!nameArg || !defaultArg) throw new EngineError("SC4004", "column_ifexists() takes a column name and a default", spanOf(node));
  const name = constantString(c, nameArg, scope);
  const index = scope.index.get(name);
  if (index !== undefined) {
    const from = scope.columns[index]!.type;
    const to = typeOf(node);
    if (to === "dynamic" && from !== "dynamic") return (row) => toDynamic(row[index] ?? null, from);
    return (row) => row[index] ?? null;
  }
  return c.compileScalar(defaultArg, scope);
}

function optionalArg(c: Compiler, arg: SyntaxNode | undefined, scope: Scope, fallback: Value): RowFn {
  return arg ? c.compileScalar(arg, scope) : () => fallback;
}

function stateOf<T>(ec: EvalContext, node: SyntaxNode, init: () => T): T {
  const key = textStartOf(node);
  let state = ec.state.get(key) as T | undefined;
  if (state === undefined) {
    state = init();
    ec.state.set(key, state);
  }
  return state;
}

function compileRowNumber(c: Compiler, node: SyntaxNode, args: SyntaxNode[], scope: Scope): RowFn {
  const start = optionalArg(c, args[0], scope, 1);
  const restart = optionalArg(c, args[1], scope, false);
  return (row, ec) => {
    const s = stateOf(ec, node, () => ({ value: 0 }));
    const first = Number(start(row, ec) ?? 1);
    s.value = ec.index === 0 || restart(row, ec) === true ? first : s.value + 1;
    return s.value;
  };
}

function compileNeighbour(c: Compiler, node: SyntaxNode, args: SyntaxNode[], scope: Scope, direction: 1 | -1): RowFn {
  const [valueArg, offsetArg, defaultArg] = args;
  if (!valueArg) throw new EngineError("SC4004", "prev()/next() need a column argument", spanOf(node));
  const value = c.compileScalar(valueArg, scope);
  const offset = optionalArg(c, offsetArg, scope, 1);
  const fallback = optionalArg(c, defaultArg, scope, typeOf(node) === "string" ? "" : null);
  return (row, ec) => {
    const i = ec.index + direction * Number(offset(row, ec) ?? 1);
    const other: Row | undefined = ec.rows[i];
    return other ? value(other, ec) : fallback(row, ec);
  };
}

function compileRowCumsum(c: Compiler, node: SyntaxNode, args: SyntaxNode[], scope: Scope): RowFn {
  const term = optionalArg(c, args[0], scope, null);
  const restart = optionalArg(c, args[1], scope, false);
  const integral = typeOf(node) === "long" || typeOf(node) === "int";
  return (row, ec) => {
    const s = stateOf(ec, node, () => ({ sum: 0 as number | bigint }));
    const v = term(row, ec);
    if (ec.index === 0 || restart(row, ec) === true) s.sum = typeof v === "bigint" ? 0n : 0;
    if (typeof v === "bigint") s.sum = (typeof s.sum === "bigint" ? s.sum : BigInt(s.sum)) + v;
    else if (typeof v === "number") s.sum = (s.sum as number) + v;
    return integral && typeof s.sum === "number" ? Math.trunc(s.sum) : s.sum;
  };
}

function compileRowRank(c: Compiler, node: SyntaxNode, args: SyntaxNode[], scope: Scope, dense: boolean): RowFn {
  const term = optionalArg(c, args[0], scope, null);
  const restart = optionalArg(c, args[1], scope, false);
  return (row, ec) => {
    const s = stateOf(ec, node, () => ({ rank: 0, last: undefined as Value | undefined, start: 0 }));
    const v = term(row, ec);
    const restarted = ec.index === 0 || restart(row, ec) === true;
    if (restarted) {
      s.rank = 1;
      s.start = ec.index;
    } else if (JSON.stringify(v) !== JSON.stringify(s.last) || typeof v !== typeof s.last) {
      s.rank = dense ? s.rank + 1 : ec.index - s.start + 1;
    }
    s.last = v;
    return s.rank;
  };
}

/** row_window_session(t, maxFromFirst, maxBetween [, restart]): the start of the session each row belongs to. */
function compileRowWindowSession(c: Compiler, node: SyntaxNode, args: SyntaxNode[], scope: Scope): RowFn {
  const [termArg, fromFirstArg, betweenArg, restartArg] = args;
  if (!termArg || !fromFirstArg || !betweenArg) throw new EngineError("SC4004", "row_window_session() needs a value and two distances", spanOf(node));
  const term = c.compileScalar(termArg, scope);
  const fromFirst = c.compileScalar(fromFirstArg, scope);
  const between = c.compileScalar(betweenArg, scope);
  const restart = optionalArg(c, restartArg, scope, false);
  const distance = (a: Value, b: Value): number => Number(a) - Number(b);
  return (row, ec) => {
    const s = stateOf(ec, node, () => ({ start: null as Value, last: null as Value }));
    const v = term(row, ec);
    const first = ec.index === 0 || restart(row, ec) === true || s.start === null;
    if (v !== null && (first || distance(v, s.start) > Number(fromFirst(row, ec)) || distance(v, s.last) > Number(between(row, ec)))) s.start = v;
    if (v !== null) s.last = v;
    return s.start;
  };
}

/** bag_pack_columns(c1, c2, …): a bag of the named columns' values. */
function compileBagPackColumns(c: Compiler, _node: SyntaxNode, args: SyntaxNode[], scope: Scope): RowFn {
  const parts = args.map((arg) => ({ name: referencedName(arg), fn: c.compileScalar(arg, scope), type: typeOf(arg) }));
  for (const [i, part] of parts.entries()) if (!part.name) throw new EngineError("SC4001", "bag_pack_columns() takes column names only", spanOf(args[i]));
  return (row, ec) => {
    const bag: { [key: string]: JsonValue } = {};
    for (const part of parts) bag[part.name] = toDynamic(part.fn(row, ec), part.type);
    return bag;
  };
}

/** column_names_of(T): the names of a tabular expression's columns, known from the semantic model. */
function compileColumnNamesOf(_c: Compiler, node: SyntaxNode, args: SyntaxNode[]): RowFn {
  const [arg] = args;
  if (!arg) throw new EngineError("SC4004", "column_names_of() needs a tabular argument", spanOf(node));
  const names = columnsOf(arg).map((column) => column.name);
  return () => [...names];
}

function compilePackAll(c: Compiler, _node: SyntaxNode, args: SyntaxNode[], scope: Scope): RowFn {
  const ignoreEmpty = optionalArg(c, args[0], scope, false);
  const columns = scope.columns;
  return (row, ec) => {
    const skip = ignoreEmpty(row, ec) === true;
    const bag: { [key: string]: JsonValue } = {};
    columns.forEach((column, i) => {
      const v = row[i] ?? null;
      if (skip && isEmptyValue(v)) return;
      bag[column.name] = toDynamic(v, column.type);
    });
    return bag;
  };
}


/** The query's `set name = literal;` options (value and static type), read from the statements above `node`. */
function queryOptions(node: SyntaxNode): Map<string, { value: Value; type: KqlType }> {
  let root = node;
  for (let up = parentOf(root); up; up = parentOf(up)) root = up;
  const options = new Map<string, { value: Value; type: KqlType }>();
  for (const statement of listOf(child(root, "Statements"))) {
    if (kindOf(statement) !== "SetOptionStatement") continue;
    const expr = optionalChild(optionalChild(statement, "ValueClause"), "Expression");
    if (expr) options.set(textOf(child(statement, "Name")), { value: literalValue(expr), type: typeOf(expr) });
  }
  return options;
}

/** `bin_auto(v)`: `bin_at(v, query_bin_auto_size, query_bin_auto_at)` with the query's `set` options (the fixed point defaults to 0). */
function compileBinAuto(c: Compiler, node: SyntaxNode, args: SyntaxNode[], scope: Scope): RowFn {
  const options = queryOptions(node);
  const size = options.get("query_bin_auto_size");
  const valueType = args[0] ? typeOf(args[0]) : "dynamic";
  const at = options.get("query_bin_auto_at") ?? (valueType === "timespan" ? { value: 0n, type: "timespan" as const } : valueType === "datetime" ? undefined : { value: 0, type: valueType });
  const binAt = c.registry.get("bin_at");
  if (!args[0] || !size || size.value === null || !at || !binAt) {
    throw new EngineError("SC4001", "bin_auto() needs `set query_bin_auto_size=…;` (and, for datetimes, `set query_bin_auto_at=…;`)", spanOf(node));
  }
  const value = c.compileScalar(args[0], scope);
  const contextFor = callContextFor([valueType, size.type, at.type], typeOf(node));
  return (row, ec) => binAt.call([value(row, ec), size.value, at.value], contextFor(ec.run));
}
