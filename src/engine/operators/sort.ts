import { makeEvalContext, type RowFn } from "../context.ts";
import { EngineError } from "../errors.ts";
import { child, kindOf, listOf, optionalChild, spanOf, type SyntaxNode, tokenText } from "../syntax.ts";
import { compareWithNulls, type Row, type Value } from "../values.ts";
import type { PlanContext, TabularOperator } from "./contract.ts";

/** One sort key: how to compute it, its direction and where nulls go. */
interface SortKey {
  fn: RowFn;
  descending: boolean;
  nullsFirst: boolean;
}

/** Plans sort keys from OrderedExpression nodes (default desc; nulls first for asc, last for desc, unless stated). */
export function planSortKeys(expressions: SyntaxNode[], ctx: PlanContext): SortKey[] {
  return expressions.map((expr) => {
    const ordered = kindOf(expr) === "OrderedExpression";
    const valueExpr = ordered ? child(expr, "Expression") : expr;
    const ordering = ordered ? child(expr, "Ordering") : undefined;
    const direction = String(tokenText(optionalChild(ordering, "AscOrDescKeyword")) ?? "desc").toLowerCase();
    const descending = direction !== "asc";
    const nulls = String(tokenText(optionalChild(optionalChild(ordering, "NullsClause"), "FirstOrLastKeyword")) ?? "").toLowerCase();
    const nullsFirst = nulls ? nulls === "first" : !descending;
    return { fn: ctx.compileScalar(valueExpr), descending, nullsFirst };
  });
}

/** Returns the input rows stably sorted by `keys`. */
export function sortRows(rows: readonly Row[], keys: SortKey[], run: Parameters<typeof makeEvalContext>[0]): Row[] {
  const ec = makeEvalContext(run, rows);
  const decorated = rows.map((row, i) => {
    ec.index = i;
    return { row, i, values: keys.map((k) => k.fn(row, ec)) };
  });
  decorated.sort((a, b) => {
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      const x: Value = a.values[k]!;
      const y: Value = b.values[k]!;
      const xn = x === null || x === undefined;
      const yn = y === null || y === undefined;
      let c: number;
      if (xn || yn) c = compareWithNulls(x, y, key.nullsFirst);
      else c = key.descending ? -compareWithNulls(x, y, true) : compareWithNulls(x, y, true);
      if (c !== 0) return c;
    }
    return a.i - b.i;
  });
  return decorated.map((d) => d.row);
}

/** `sort by` / `order by`. */
export const sortOperator: TabularOperator = {
  kinds: ["SortOperator"],
  plan(node, ctx) {
    const keys = planSortKeys(listOf(child(node, "Expressions")), ctx);
    return (input, run) => ({ columns: input.columns, rows: sortRows(input.rows, keys, run) });
  },
};

/** Compiles a row-count expression (take, top) into a function of the run. */
export function planCount(node: SyntaxNode, ctx: PlanContext): (run: Parameters<typeof makeEvalContext>[0]) => number {
  const fn = ctx.compileScalar(node, []);
  return (run) => {
    const v = fn([], makeEvalContext(run, []));
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw new EngineError("SC4004", "the row count must be a non-negative number", spanOf(node));
    return Math.floor(v);
  };
}

/** `top N by expr [asc|desc] [nulls first|last]`. */
export const topOperator: TabularOperator = {
  kinds: ["TopOperator"],
  plan(node, ctx) {
    const count = planCount(child(node, "Expression"), ctx);
    const keys = planSortKeys([child(node, "ByExpression")], ctx);
    return (input, run) => ({ columns: input.columns, rows: sortRows(input.rows, keys, run).slice(0, count(run)) });
  },
};

/** `take N` / `limit N`: the first N rows. */
export const takeOperator: TabularOperator = {
  kinds: ["TakeOperator"],
  plan(node, ctx) {
    const count = planCount(child(node, "Expression"), ctx);
    return (input, run) => ({ columns: input.columns, rows: input.rows.slice(0, count(run)) });
  },
};
