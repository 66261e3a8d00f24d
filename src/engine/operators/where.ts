import { calledFunctionBody, child, findNodes, kindOf, referencedName, type SyntaxNode } from "../syntax.ts";
import { makeEvalContext, spend, type RowFn, type RunContext } from "../context.ts";
import { isSegmented, segmentedTable } from "../segments.ts";
import type { Row, RowSegment } from "../values.ts";
import type { TabularOperator } from "./contract.ts";

/** Functions that read the rows around the current one: a condition calling one needs the whole input in order. */
const NEIGHBOUR_FUNCTIONS: ReadonlySet<string> = new Set(["prev", "next", "row_number", "row_cumsum", "row_rank_dense", "row_rank_min", "row_window_session"]);

/** True when the condition reads the current row alone (no neighbouring row, no user function that might). */
function readsNoNeighbour(condition: SyntaxNode): boolean {
  const calls = findNodes(condition, (n) => kindOf(n) === "FunctionCallExpression" && (NEIGHBOUR_FUNCTIONS.has(referencedName(n)) || calledFunctionBody(n) !== undefined));
  return calls.length === 0;
}

/** The rows of `rows` whose condition is true, by identity. */
function keptRows(rows: readonly Row[], condition: RowFn, run: RunContext): Row[] {
  const ec = makeEvalContext(run, rows);
  return rows.filter((row, i) => {
    ec.index = i;
    spend(run);
    return condition(row, ec) === true;
  });
}

/** `where` / `filter`: keeps rows whose condition is true (null and false drop the row). */
export const whereOperator: TabularOperator = {
  kinds: ["FilterOperator"],
  plan(node, ctx) {
    const conditionNode = child(node, "Condition");
    const condition = ctx.compileScalar(conditionNode);
    const perSegment = readsNoNeighbour(conditionNode);
    return (input, run) => {
      // a table given as segments (replay's hours) is filtered segment by segment: the same rows, not laid out in one
      // array first, and a segment the condition keeps whole stays the same segment
      if (perSegment && run.reuseRowResults && isSegmented(input)) {
        const segments = input.segments.map((segment): RowSegment => {
          const rows = keptRows(segment.rows, condition, run);
          return rows.length === segment.rows.length ? segment : { rows, stable: false };
        });
        return segmentedTable(input.columns, segments);
      }
      return { columns: input.columns, rows: keptRows(input.rows, condition, run) };
    };
  },
};
