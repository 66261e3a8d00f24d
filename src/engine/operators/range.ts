import { makeEvalContext, spend } from "../context.ts";
import { EngineError } from "../errors.ts";
import { spanOf } from "../syntax.ts";
import type { Row } from "../values.ts";
import type { TabularOperator } from "./contract.ts";

/** `range x from a to b step s`: one column of values a, a+s, … up to b (inclusive); refused before allocation above the row cap. */
export const rangeOperator: TabularOperator = {
  kinds: ["RangeOperator"],
  plan(node, ctx) {
    const from = ctx.compileScalar(node.From, []);
    const to = ctx.compileScalar(node.To, []);
    const step = ctx.compileScalar(node.Step, []);
    const span = spanOf(node);
    return (_input, run) => {
      const ec = makeEvalContext(run, []);
      const a = from([], ec);
      const b = to([], ec);
      const s = step([], ec);
      const columns = [...ctx.outputColumns];
      if (a === null || b === null || s === null) return { columns, rows: [] };
      const big = typeof a === "bigint" || typeof b === "bigint";
      const start = big ? Number(a) : (a as number);
      const end = big ? Number(b) : (b as number);
      const inc = Number(s);
      if (inc === 0 || Number.isNaN(inc)) throw new EngineError("SC4004", "range step must not be zero", span);
      const count = (end - start) / inc < 0 ? 0 : Math.floor((end - start) / inc + 1e-9) + 1;
      if (count > run.limits.maxRows) {
        throw new EngineError("SC4005", `range would produce ${count} rows, more than the row cap of ${run.limits.maxRows} (limits.maxRows)`, span);
      }
      spend(run, count);
      const rows: Row[] = new Array<Row>(count);
      if (big) {
        const first = a as bigint;
        const d = BigInt(s as bigint);
        for (let i = 0; i < count; i++) rows[i] = [first + d * BigInt(i)];
      } else {
        for (let i = 0; i < count; i++) rows[i] = [start + inc * i];
      }
      return { columns, rows };
    };
  },
};
