import { makeEvalContext, spend } from "../context.ts";
import { carryIngestionTime } from "../planner/ingestion.ts";
import { child, kindOf, listOf, referencedName, simpleNameOf, unsupported } from "../syntax.ts";
import type { Row } from "../values.ts";
import { assignedName } from "./extend.ts";
import type { TabularOperator } from "./contract.ts";

/** `project`: keeps, renames and computes columns, in the order written. */
export const projectOperator: TabularOperator = {
  kinds: ["ProjectOperator"],
  plan(node, ctx) {
    const expressions = listOf(child(node, "Expressions"));
    const out = ctx.outputColumns;
    if (expressions.length !== out.length) return unsupported(node, "project with wildcards or multi-column expressions");
    const generated = out.map((c) => c.name);
    const fns = expressions.map((expr, i) => {
      const valueExpr = kindOf(expr) === "SimpleNamedExpression" ? child(expr, "Expression") : expr;
      assignedName(expr, generated.slice(i, i + 1));
      return ctx.compileScalar(valueExpr);
    });
    return (input, run) => {
      const ec = makeEvalContext(run, input.rows);
      const rows = input.rows.map((row, i) => {
        ec.index = i;
        spend(run);
        const r: Row = fns.map((fn) => fn(row, ec));
        carryIngestionTime(row, r);
        return r;
      });
      return { columns: [...out], rows };
    };
  },
};

/** `project-away`, `project-keep`, `project-reorder`, `project-by-names`: column selection by name; the planner aligns the input to the model's output columns. */
export const projectSelectOperator: TabularOperator = {
  kinds: ["ProjectAwayOperator", "ProjectKeepOperator", "ProjectReorderOperator", "ProjectByNamesOperator"],
  plan() {
    return (input) => input;
  },
};

/** `project-rename new = old, …`. */
export const projectRenameOperator: TabularOperator = {
  kinds: ["ProjectRenameOperator"],
  plan(node) {
    const renames = new Map<string, string>();
    for (const expr of listOf(child(node, "Expressions"))) {
      if (kindOf(expr) !== "SimpleNamedExpression") return unsupported(expr, "this project-rename form");
      renames.set(referencedName(child(expr, "Expression")) || String(simpleNameOf(child(expr, "Expression"))), String(simpleNameOf(child(expr, "Name"))));
    }
    return (input) => ({ columns: input.columns.map((c) => ({ name: renames.get(c.name) ?? c.name, type: c.type })), rows: input.rows });
  },
};
