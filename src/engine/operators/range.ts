import { makeEvalContext, spend } from "../context.ts";
import { EngineError, type Span } from "../errors.ts";
import { child, spanOf } from "../syntax.ts";
import { normalizeLong, type Row } from "../values.ts";
import type { TabularOperator } from "./contract.ts";

function checkCount(count: number, maxRows: number, span: Span): void {
  if (count > maxRows) throw new EngineError("SC4005", `range would produce ${count} rows, more than the row cap of ${maxRows} (limits.maxRows)`, span);
}

/** The rows of a range over datetimes, timespans or longs beyond 2^53, counted and stepped exactly. */
function bigRange(first: bigint, last: bigint, step: bigint, long: boolean, maxRows: number, span: Span): Row[] {
  if (step === 0n) throw new EngineError("SC4004", "range step must not be zero", span);
  const span64 = last - first;
  const count = span64 !== 0n && span64 < 0n !== step < 0n ? 0 : Number(span64 / step) + 1;
  checkCount(count, maxRows, span);
  const rows: Row[] = new Array<Row>(count);
  for (let i = 0; i < count; i++) {
    const v = first + step * BigInt(i);
    rows[i] = [long ? normalizeLong(v) : v];
  }
  return rows;
}

/** `range x from a to b step s`: one column of values a, a+s, … up to b (inclusive); refused before allocation above the row cap. */
export const rangeOperator: TabularOperator = {
  kinds: ["RangeOperator"],
  plan(node, ctx) {
    const from = ctx.compileScalar(child(node, "From"), []);
    const to = ctx.compileScalar(child(node, "To"), []);
    const step = ctx.compileScalar(child(node, "Step"), []);
    const span = spanOf(node);
    return (_input, run) => {
      const ec = makeEvalContext(run, []);
      const a = from([], ec);
      const b = to([], ec);
      const s = step([], ec);
      const columns = [...ctx.outputColumns];
      if (a === null || b === null || s === null) return { columns, rows: [] };
      const big = typeof a === "bigint" || typeof b === "bigint" || typeof s === "bigint";
      if (big) return { columns, rows: bigRange(BigInt(a as number | bigint), BigInt(b as number | bigint), BigInt(s as number | bigint), columns[0]?.type === "long", run.limits.maxRows, span) };
      const start = a as number;
      const end = b as number;
      const inc = Number(s);
      if (inc === 0 || Number.isNaN(inc)) throw new EngineError("SC4004", "range step must not be zero", span);
      const count = (end - start) / inc < 0 ? 0 : Math.floor((end - start) / inc + 1e-9) + 1;
      checkCount(count, run.limits.maxRows, span);
      spend(run, count);
      const rows: Row[] = new Array<Row>(count);
      for (let i = 0; i < count; i++) rows[i] = [start + inc * i];
      return { columns, rows };
    };
  },
};
