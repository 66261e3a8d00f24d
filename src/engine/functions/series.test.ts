import { describe, expect, it } from "vitest";
import type { KqlType, Value } from "../values.ts";
import type { CallContext } from "./registry.ts";
import { SERIES_FUNCTIONS, seriesStats } from "./series.ts";

function call(name: string, args: Value[], argTypes: KqlType[] = args.map(() => "dynamic")): Value {
  const fn = SERIES_FUNCTIONS.find((f) => f.name === name);
  if (!fn) throw new Error(`no ${name}`);
  const ctx: CallContext = { now: 0n, argTypes, resultType: "dynamic" };
  return fn.call(args, ctx);
}

describe("seriesStats", () => {
  it("matches Microsoft's series_stats_dynamic example", () => {
    const s = seriesStats([23, 46, 23, 87, 4, 8, 3, 75, 2, 56, 13, 75, 32, 16, 29], false);
    expect(s).toMatchObject({ min: 2, min_idx: 8, max: 87, max_idx: 3, avg: 32.8, sum: 492, len: 15 });
    expect(s.variance).toBe(812.4571428571429);
    expect(s.stdev).toBe(28.50363385354827);
  });

  it.each<[string, Value[], boolean, Partial<ReturnType<typeof seriesStats>>]>([
    ["a null makes everything null", [1, null, 3], false, { min: null, avg: null }],
    ["ignore_nonfinite skips nulls and strings", [1, null, "x", 3], true, { min: 1, max: 3, max_idx: 3, avg: 2, len: 2 }],
    ["one value has variance 0", [5], false, { variance: 0, stdev: 0, avg: 5 }],
    ["an empty series has no statistics", [], false, { min: null, len: 0 }],
    ["the first position of ties is kept", [2, 1, 1, 2], false, { min_idx: 1, max_idx: 0 }],
  ])("%s", (_what, series, ignore, expected) => {
    expect(seriesStats(series as never, ignore)).toMatchObject(expected);
  });
});

describe("series functions", () => {
  const arr = [111, null, 36, null, null];
  it.each<[string, Value[], KqlType[] | undefined, Value]>([
    ["series_fill_const", [arr, 0], ["dynamic", "real"], [111, 0, 36, 0, 0]],
    ["series_fill_const", [arr, -1], ["dynamic", "long"], [111, -1, 36, -1, -1]],
    ["series_fill_const", [[1, 2, 1], 9, 1], ["dynamic", "long", "long"], [9, 2, 9]],
    ["series_fill_forward", [[null, 1, null, 3, null]], undefined, [null, 1, 1, 3, 3]],
    ["series_fill_backward", [[null, 1, null, 3, null]], undefined, [1, 1, 3, 3, null]],
    ["series_fill_forward", ["not an array"], undefined, null],
    ["series_iir", [[1, 2, 3, 4], [1], [1, -1]], undefined, [1, 3, 6, 10]],
    ["series_iir", [[1, 1, 1], [0.5, 0.5], [1]], undefined, [0.5, 1, 1]],
    ["series_iir", [[1, null], [1], [1]], undefined, null],
    ["series_iir", [[1, 2], [1], [0]], undefined, null],
    ["series_stats_dynamic", [[1, 2, 3]], undefined, { min: 1, min_idx: 0, max: 3, max_idx: 2, avg: 2, stdev: 1, variance: 1, sum: 6, len: 3 }],
  ])("%s case %#", (name, args, types, out) => {
    expect(call(name, args, types)).toEqual(out);
  });
});
