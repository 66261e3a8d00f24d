import { makeEvalContext } from "../context.ts";
import { child, kindOf, listOf, resultTypeOf, symbolClass, symbolColumns, type SyntaxNode } from "../syntax.ts";
import type { Value } from "../values.ts";
import type { TabularOperator } from "./contract.ts";

/** Number of columns an expression yields: a tuple-typed call (array_sort_asc(a, b)) gives one per element. */
function tupleWidth(expr: SyntaxNode): number {
  const type = resultTypeOf(expr);
  return symbolClass(type).endsWith("TupleSymbol") ? symbolColumns(type).length : 0;
}

/** `print a = expr, …`: one row of computed values (tuple results spread over their columns). */
export const printOperator: TabularOperator = {
  kinds: ["PrintOperator"],
  plan(node, ctx) {
    const parts = listOf(child(node, "Expressions")).map((e) => {
      const valueExpr = kindOf(e) === "SimpleNamedExpression" ? child(e, "Expression") : e;
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
