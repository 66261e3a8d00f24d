import { child } from "../syntax.ts";
import { makeEvalContext, spend } from "../context.ts";
import type { TabularOperator } from "./contract.ts";

/** `where` / `filter`: keeps rows whose condition is true (null and false drop the row). */
export const whereOperator: TabularOperator = {
  kinds: ["FilterOperator"],
  plan(node, ctx) {
    const condition = ctx.compileScalar(child(node, "Condition"));
    return (input, run) => {
      const ec = makeEvalContext(run, input.rows);
      const rows = input.rows.filter((row, i) => {
        ec.index = i;
        spend(run);
        return condition(row, ec) === true;
      });
      return { columns: input.columns, rows };
    };
  },
};
