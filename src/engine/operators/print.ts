import { makeEvalContext } from "../context.ts";
import { kindOf, listOf, type SyntaxNode } from "../syntax.ts";
import type { Value } from "../values.ts";
import type { TabularOperator } from "./contract.ts";

/** Number of columns an expression yields: a tuple-typed call (array_sort_asc(a, b)) gives one per element. */
function tupleWidth(expr: SyntaxNode): number {
  const type = expr.ResultType;
  return String(type?.constructor?.$$name ?? "").endsWith("TupleSymbol") ? (type.Columns.Count as number) : 0;
}

/** `print a = expr, …`: one row of computed values (tuple results spread over their columns). */
export const printOperator: TabularOperator = {
  kinds: ["PrintOperator"],
  plan(node, ctx) {
    const parts = listOf(node.Expressions).map((e) => {
      const valueExpr = kindOf(e) === "SimpleNamedExpression" ? e.Expression : e;
      return { fn: ctx.compileScalar(valueExpr, []), width: tupleWidth(valueExpr) };
    });
    return (_input, run) => {
      const ec = makeEvalContext(run, [[]]);
      const row: Value[] = [];
      for (const part of parts) {
        const v = part.fn([], ec);
        if (part.width === 0) row.push(v);
        else for (let i = 0; i < part.width; i++) row.push(Array.isArray(v) ? (v[i] ?? null) : null);
      }
      return { columns: [...ctx.outputColumns], rows: [row] };
    };
  },
};
