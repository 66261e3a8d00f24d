import { makeEvalContext } from "../context.ts";
import { kindOf, listOf } from "../syntax.ts";
import type { TabularOperator } from "./contract.ts";

/** `print a = expr, …`: one row of computed values. */
export const printOperator: TabularOperator = {
  kinds: ["PrintOperator"],
  plan(node, ctx) {
    const fns = listOf(node.Expressions).map((e) => ctx.compileScalar(kindOf(e) === "SimpleNamedExpression" ? e.Expression : e, []));
    return (_input, run) => {
      const ec = makeEvalContext(run, [[]]);
      return { columns: [...ctx.outputColumns], rows: [fns.map((fn) => fn([], ec))] };
    };
  },
};
