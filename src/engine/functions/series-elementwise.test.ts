import { describe, expect, it } from "vitest";
import type { Value } from "../values.ts";
import { SERIES_ELEMENTWISE_FUNCTIONS } from "./series-elementwise.ts";

function call(name: string, ...args: Value[]): Value {
  const fn = SERIES_ELEMENTWISE_FUNCTIONS.find((f) => f.name === name);
  if (!fn) throw new Error(`no ${name}`);
  return fn.call(args, { now: 0n, argTypes: args.map(() => "dynamic"), resultType: "dynamic" });
}

describe("element-wise series functions (Microsoft's examples and edge cases)", () => {
  it.each<[string, Value[], Value]>([
    ["series_abs", [[-6.5, 0, 8.2]], [6.5, 0, 8.2]],
    ["series_floor", [[-1.5, 1, 2.5]], [-2, 1, 2]],
    ["series_ceiling", [[-1.5, null, "x"]], [-1, null, null]],
    ["series_log", [[1, 0]], [0, "-Infinity"]],
    ["series_add", [[1, 2, 4], [4, 2, 1]], [5, 4, 5]],
    ["series_add", [[1, 2, 4], 10], [11, 12, 14]],
    ["series_add", [[1, 2], [1]], [2, null]],
    ["series_subtract", [[5, null], [1, 1]], [4, null]],
    ["series_divide", [[1, 2, 4], [4, 2, 0]], [0.25, 1, "Infinity"]],
    ["series_multiply", [[1, 2, 4], [4, 2, 1]], [4, 4, 4]],
    ["series_pow", [[2, 3], 2], [4, 9]],
    ["series_greater_equals", [[1, 2, 4], [4, 2, 1]], [false, true, true]],
    ["series_less", [[1, 2, 4], [4, 2, 1]], [true, false, false]],
    ["series_not_equals", [[1, 2], [1, 3]], [false, true]],
    ["series_add", ["not an array", [1]], null],
    ["series_sum", [[1, 2, 3, 4]], 10],
    ["series_product", [[1, 2, 3, 4]], 24],
    ["series_magnitude", [[3, 4]], 5],
    ["series_dot_product", [[1, 2, 4], [4, 2, 1]], 12],
    ["series_pearson_correlation", [[1, 2, 3, 4, 5], [2, 4, 6, 8, 10]], 1],
    ["series_pearson_correlation", [[1, 1], [2, 3]], null],
    ["series_cosine_similarity", [[1, 0], [0, 1]], 0],
    ["series_sum", [null], null],
  ])("%s case %#", (name, args, out) => {
    expect(call(name, ...args)).toEqual(out);
  });
});
