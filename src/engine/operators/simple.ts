import { makeEvalContext, type RunContext } from "../context.ts";
import { readsOnlyRowValues } from "../planner/incremental.ts";
import { isSegmented, segmentPartial } from "../segments.ts";
import { child, listOf, optionalChild, textOf } from "../syntax.ts";
import { groupKey, type KqlType, type Row } from "../values.ts";
import type { TabularOperator } from "./contract.ts";

/** `count`: one row with the number of input rows. */
export const countOperator: TabularOperator = {
  kinds: ["CountOperator"],
  plan(_node, ctx) {
    return (input) => ({ columns: [...ctx.outputColumns], rows: [[input.rows.length]] });
  },
};

/** `distinct cols` / `distinct *`: unique combinations of the listed columns, in first-seen order. */
export const distinctOperator: TabularOperator = {
  kinds: ["DistinctOperator"],
  plan(node, ctx) {
    const out = ctx.outputColumns;
    const star = listOf(child(node, "Expressions")).some((e) => textOf(e) === "*");
    const fns = star ? out.map((_c, i) => (row: Row) => row[i] ?? null) : listOf(child(node, "Expressions")).map((e) => ctx.compileScalar(optionalChild(e, "Expression") ?? e));
    /** The distinct rows of `rows` in first-seen order, each with its key. */
    const distinctRows = (rows: readonly Row[], run: RunContext): [string, Row][] => {
      const ec = makeEvalContext(run, rows);
      const seen = new Set<string>();
      const out: [string, Row][] = [];
      rows.forEach((row, i) => {
        ec.index = i;
        const values = fns.map((fn) => fn(row, ec));
        const key = values.map(groupKey).join("\u0001");
        if (seen.has(key)) return;
        seen.add(key);
        out.push([key, values]);
      });
      return out;
    };
    // over segments, expressions that read only the row and constant lets keep each stable segment's distinct rows (segments.ts)
    const token = (ctx.readsOnlyRowAndConstants?.(node) ?? readsOnlyRowValues(node)) ? (ctx.operatorToken?.("distinct") ?? {}) : undefined;
    return (input, run) => {
      const parts = token && run.reuseRowResults && isSegmented(input) ? input.segments.map((s) => segmentPartial(s, token, (rows) => distinctRows(rows, run))) : [distinctRows(input.rows, run)];
      const seen = new Set<string>();
      const rows: Row[] = [];
      for (const part of parts) {
        for (const [key, values] of part) {
          if (seen.has(key)) continue;
          seen.add(key);
          rows.push(values);
        }
      }
      return { columns: [...out], rows };
    };
  },
};

const CLR_TYPES: Record<KqlType, string> = {
  bool: "System.SByte",
  int: "System.Int32",
  long: "System.Int64",
  real: "System.Double",
  decimal: "System.Data.SqlTypes.SqlDecimal",
  string: "System.String",
  datetime: "System.DateTime",
  timespan: "System.TimeSpan",
  guid: "System.Guid",
  dynamic: "System.Object",
};

/** `getschema`: one row per input column (ColumnName, ColumnOrdinal, DataType, ColumnType). */
export const getschemaOperator: TabularOperator = {
  kinds: ["GetSchemaOperator"],
  plan(_node, ctx) {
    const inputColumns = ctx.inputColumns;
    return () => ({
      columns: [...ctx.outputColumns],
      rows: inputColumns.map((c, i) => [c.name, i, CLR_TYPES[c.type], c.type]),
    });
  },
};

/** `as Name`: names the result for later references; rows pass through. */
export const asOperator: TabularOperator = {
  kinds: ["AsOperator"],
  plan() {
    return (input) => input;
  },
};
