import { checkTableSize, type TableStep } from "../context.ts";
import { carryIngestionTime } from "../planner/ingestion.ts";
import { child, listOf, optionalChild, spanOf, type SyntaxNode, textOf, unsupported } from "../syntax.ts";
import type { Row, Table, Value } from "../values.ts";
import type { PlanContext, TabularOperator } from "./contract.ts";
import { layoutExpansion, readExpandItem, readExpandParameters, runExpansion } from "./mv-expand.ts";

/** Reads `limit N` (default: no cap). */
function readLimit(clause: SyntaxNode | undefined): number {
  if (!clause) return Number.POSITIVE_INFINITY;
  const n = Number(textOf(child(clause, "RowLimit")));
  if (!Number.isInteger(n) || n < 0) unsupported(clause, "a non-literal mv-apply limit");
  return n;
}

/**
 * Plans `mv-apply`: each input row is expanded on its own (as mv-expand would), the subquery runs on
 * that small table, and each subquery row is laid out as Kusto's result: columns the subquery returns
 * come from it, the others from the input row.
 */
function planMvApply(node: SyntaxNode, ctx: PlanContext): TableStep {
  const params = readExpandParameters(node);
  const items = listOf(child(node, "Expressions")).map((item: SyntaxNode) => readExpandItem(item, ctx));
  const newNames = ctx.outputColumns.filter((c) => !ctx.inputColumns.some((i) => i.name === c.name));
  const layout = layoutExpansion(node, ctx.inputColumns, items, params.itemIndex, [...ctx.inputColumns, ...newNames]);
  if (!optionalChild(optionalChild(node, "Subquery"), "Expression")) unsupported(node, "mv-apply without a subquery");
  const subquery = ctx.compileSubquery(child(child(node, "Subquery"), "Expression"), layout.columns);
  const limit = readLimit(optionalChild(node, "RowLimitClause"));
  const span = spanOf(node);
  const inputIndex = new Map(ctx.inputColumns.map((c, i) => [c.name, i]));
  return (input, run) => {
    const rows: Row[] = [];
    input.rows.forEach((row) => {
      const single: Table = { columns: input.columns, rows: [row] };
      const expanded: Table = { columns: layout.columns, rows: runExpansion(single, layout, params.mode, limit, run, node) };
      const result = subquery(expanded, run);
      const fromResult = new Map(result.columns.map((c, i) => [c.name, i]));
      for (const r of result.rows) {
        const out = ctx.outputColumns.map((c): Value => {
          const k = fromResult.get(c.name);
          if (k !== undefined) return r[k] as Value;
          const i = inputIndex.get(c.name);
          return i === undefined ? null : (row[i] as Value);
        });
        carryIngestionTime(row, out);
        rows.push(out);
      }
      checkTableSize(run, rows.length, ctx.outputColumns.length, span);
    });
    return { columns: [...ctx.outputColumns], rows };
  };
}

/** The `mv-apply` operator (`with_itemindex`, `to typeof`, `limit`, `on (subquery)`). */
export const mvApplyOperator: TabularOperator = { kinds: ["MvApplyOperator"], plan: planMvApply };
