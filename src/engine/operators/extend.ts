import { makeEvalContext, spend, type RowFn } from "../context.ts";
import { carryIngestionTime } from "../planner/ingestion.ts";
import { child, findNode, kindOf, listOf, referencedName, simpleNameOf, type SyntaxNode, typeOf, unsupported } from "../syntax.ts";
import type { Column, Row, Value } from "../values.ts";
import type { PlanContext, TabularOperator } from "./contract.ts";

/** One computed column of extend/serialize/project: where it goes and how it is computed. */
interface Assignment {
  index: number;
  fn: RowFn;
}

/** The name an extend/project expression gives its column; unnamed expressions take the next generated output name. */
export function assignedName(expr: SyntaxNode, generated: string[]): string {
  const kind = kindOf(expr);
  if (kind === "SimpleNamedExpression") return String(simpleNameOf(child(expr, "Name")));
  if (kind === "CompoundNamedExpression") return unsupported(expr, "assigning several columns at once with (a, b) =");
  if (kind === "NameReference") return referencedName(expr);
  return generated.shift() ?? unsupported(expr, "this unnamed expression");
}

function usesPackAll(node: SyntaxNode): boolean {
  return findNode(node, (n) => kindOf(n) === "FunctionCallExpression" && referencedName(n) === "pack_all") !== undefined;
}

/** Plans extend-like assignments on top of the input columns (later expressions see earlier ones). */
export function planAssignments(ctx: PlanContext, expressions: SyntaxNode[]): { layout: Column[]; assignments: Assignment[] } {
  const layout: Column[] = [...ctx.inputColumns];
  const named = new Set(expressions.filter((e) => kindOf(e) === "SimpleNamedExpression").map((e) => String(simpleNameOf(child(e, "Name")))));
  const inputNames = new Set(ctx.inputColumns.map((c) => c.name));
  const generated = ctx.outputColumns.map((c) => c.name).filter((n) => !inputNames.has(n) && !named.has(n));
  const assignments = expressions.map((expr): Assignment => {
    const valueExpr = kindOf(expr) === "SimpleNamedExpression" ? child(expr, "Expression") : expr;
    // pack_all() packs the input row, not the columns this extend adds before it.
    const fn = ctx.compileScalar(valueExpr, usesPackAll(valueExpr) ? ctx.inputColumns : [...layout]);
    const name = assignedName(expr, generated);
    let index = layout.findIndex((c) => c.name === name);
    if (index < 0) {
      index = layout.length;
      layout.push({ name, type: typeOf(valueExpr) });
    } else layout[index] = { name, type: typeOf(valueExpr) };
    return { index, fn };
  });
  return { layout, assignments };
}

/** Runs planned assignments over every row. */
export function runAssignments(layout: Column[], assignments: Assignment[]) {
  const width = layout.length;
  return (input: { rows: Row[] }, run: Parameters<typeof makeEvalContext>[0]) => {
    const ec = makeEvalContext(run, input.rows);
    const rows = input.rows.map((row, i) => {
      ec.index = i;
      spend(run);
      const out: Value[] = row.slice();
      for (let k = row.length; k < width; k++) out.push(null);
      // Carried first: the assignments may call ingestion_time() on the row being built.
      carryIngestionTime(row, out);
      for (const a of assignments) out[a.index] = a.fn(out, ec);
      return out;
    });
    return { columns: layout, rows };
  };
}

/** `extend`: adds or replaces computed columns. */
export const extendOperator: TabularOperator = {
  kinds: ["ExtendOperator"],
  plan(node, ctx) {
    const { layout, assignments } = planAssignments(ctx, listOf(child(node, "Expressions")));
    return runAssignments(layout, assignments);
  },
};

/** `serialize [name = expr, …]`: marks the input as ordered and optionally adds columns (row_number() etc.). */
export const serializeOperator: TabularOperator = {
  kinds: ["SerializeOperator"],
  plan(node, ctx) {
    const { layout, assignments } = planAssignments(ctx, listOf(child(node, "Expressions")));
    return runAssignments(layout, assignments);
  },
};
