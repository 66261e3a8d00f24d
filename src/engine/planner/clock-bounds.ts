// A clock `where` over a stable segment (planner/incremental.ts): when its condition is a conjunction of datetime
// columns compared with values of the clock (`TimeGenerated > ago(1d) and IngestedAt <= now()`), a segment whose
// columns' ranges lie wholly inside every comparison passes whole, and one wholly outside any of them is dropped
// whole, without a row being evaluated. Anything else goes row by row.
import { makeEvalContext, type RowFn, type RunContext } from "../context.ts";
import { child, everyNode, isTabular, kindOf, referencedKind, referencedName, type SyntaxNode, typeOf } from "../syntax.ts";
import type { Column, Row } from "../values.ts";
import type { Compiler } from "./compiler.ts";
import { makeScope, type Binding } from "./scope.ts";

/** One comparison of a column with a value of the clock: `column op value`. */
export interface ClockBound {
  column: number;
  op: "<" | "<=" | ">" | ">=";
  value: RowFn;
}

const OPERATORS: Record<string, ClockBound["op"]> = {
  LessThanExpression: "<",
  LessThanOrEqualExpression: "<=",
  GreaterThanExpression: ">",
  GreaterThanOrEqualExpression: ">=",
};
const FLIPPED: Record<ClockBound["op"], ClockBound["op"]> = { "<": ">", "<=": ">=", ">": "<", ">=": "<=" };

/** The bounds a filter's condition is the conjunction of, or undefined when it is anything else. */
export function clockBounds(c: Compiler, filter: SyntaxNode, columns: readonly Column[], env: ReadonlyMap<string, Binding>): ClockBound[] | undefined {
  return clockBoundsOf(c, [child(filter, "Condition")], columns, env);
}

/** The bounds the conjunction of `conditions` is, or undefined when it is anything else. */
export function clockBoundsOf(c: Compiler, conditions: readonly SyntaxNode[], columns: readonly Column[], env: ReadonlyMap<string, Binding>): ClockBound[] | undefined {
  const bounds: ClockBound[] = [];
  const index = new Map(columns.map((column, i) => [column.name, i]));
  const columnOf = (node: SyntaxNode): number | undefined => {
    const i = kindOf(node) === "NameReference" && referencedKind(node) === "ColumnSymbol" ? index.get(referencedName(node)) : undefined;
    return i !== undefined && columns[i]?.type === "datetime" ? i : undefined;
  };
  const valueOf = (node: SyntaxNode): RowFn | undefined => (typeOf(node) === "datetime" && readsNoColumn(node, env) ? c.compileScalar(node, makeScope([], env)) : undefined);
  const add = (node: SyntaxNode): boolean => {
    const kind = kindOf(node);
    if (kind === "AndExpression") return add(child(node, "Left")) && add(child(node, "Right"));
    if (kind === "ParenthesizedExpression") return add(child(node, "Expression"));
    if (kind === "BetweenExpression") {
      const column = columnOf(child(node, "Left"));
      const low = valueOf(child(child(node, "Right"), "First"));
      const high = valueOf(child(child(node, "Right"), "Second"));
      if (column === undefined || !low || !high) return false;
      bounds.push({ column, op: ">=", value: low }, { column, op: "<=", value: high });
      return true;
    }
    const op = OPERATORS[kind];
    if (!op) return false;
    const left = child(node, "Left");
    const right = child(node, "Right");
    const direct = columnOf(left);
    const value = direct !== undefined ? valueOf(right) : valueOf(left);
    const column = direct ?? columnOf(right);
    if (column === undefined || !value) return false;
    bounds.push({ column, op: direct !== undefined ? op : FLIPPED[op], value });
    return true;
  };
  return conditions.every(add) && bounds.length > 0 ? bounds : undefined;
}

/** True when an expression reads no column, table or non-constant let (the clock and literals only). */
function readsNoColumn(node: SyntaxNode, env: ReadonlyMap<string, Binding>): boolean {
  return everyNode(node, (next) => {
    if (isTabular(next)) return false;
    const symbol = referencedKind(next);
    if (symbol === "ColumnSymbol" || symbol === "TableSymbol") return false;
    if (symbol !== "VariableSymbol" && symbol !== "ParameterSymbol") return true;
    const binding = env.get(referencedName(next));
    return binding?.kind === "scalar" && !!binding.constant;
  });
}

/** The range of a datetime column over a segment's rows: its least and greatest non-null value, and whether any is null. */
interface Range {
  min?: bigint;
  max?: bigint;
  nulls: boolean;
}

/** Ranges of stable segments' columns: the segment's array → column → range. Weak: a dropped segment's go with it. */
const ranges = new WeakMap<readonly Row[], Map<number, Range>>();

function rangeOf(rows: readonly Row[], column: number): Range {
  let columns = ranges.get(rows);
  if (!columns) ranges.set(rows, (columns = new Map()));
  let range = columns.get(column);
  if (!range) {
    range = { nulls: false };
    for (const row of rows) {
      const v = row[column];
      if (typeof v !== "bigint") range.nulls = true;
      else {
        if (range.min === undefined || v < range.min) range.min = v;
        if (range.max === undefined || v > range.max) range.max = v;
      }
    }
    columns.set(column, range);
  }
  return range;
}

/** The bounds' values at this run (evaluated once per run, not per segment); undefined when one is not a datetime (then every segment is read row by row). */
export function boundValues(bounds: readonly ClockBound[], run: RunContext): bigint[] | undefined {
  const context = makeEvalContext(run, []);
  const values: bigint[] = [];
  for (const bound of bounds) {
    const value = bound.value([], context);
    if (typeof value !== "bigint") return undefined;
    values.push(value);
  }
  return values;
}

/** What the bounds, at their values for this run, say of a stable segment: every row passes, none does, or it must be seen row by row. */
export function segmentVerdict(bounds: readonly ClockBound[], values: readonly bigint[], rows: readonly Row[]): "all" | "none" | "some" {
  let all = true;
  for (const [i, bound] of bounds.entries()) {
    const { min, max, nulls } = rangeOf(rows, bound.column);
    // a null (or non-datetime) cell fails every comparison
    if (min === undefined || max === undefined) return "none";
    const verdict = compare(bound.op, min, max, values[i] as bigint);
    if (verdict === "none") return "none";
    if (verdict === "some" || nulls) all = false;
  }
  return all ? "all" : "some";
}

/** Whether `x op value` holds for every x in [min, max], for none, or for some. */
function compare(op: ClockBound["op"], min: bigint, max: bigint, value: bigint): "all" | "none" | "some" {
  switch (op) {
    case ">":
      return min > value ? "all" : max <= value ? "none" : "some";
    case ">=":
      return min >= value ? "all" : max < value ? "none" : "some";
    case "<":
      return max < value ? "all" : min >= value ? "none" : "some";
    case "<=":
      return max <= value ? "all" : min > value ? "none" : "some";
  }
}
