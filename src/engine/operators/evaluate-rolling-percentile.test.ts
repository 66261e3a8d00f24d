import { describe, expect, it } from "vitest";
import { namedOutcome as run } from "../test-helpers.ts";

// Microsoft's examples: https://learn.microsoft.com/kusto/query/rolling-percentile-plugin
const T = `let T = range idx from 0 to 24*10-1 step 1
| project Timestamp = datetime(2018-01-01) + 1h*idx, val=idx+1
| extend EvenOrOdd = iff(val % 2 == 0, "Even", "Odd");
T `;
/** 2018-01-01 … 2018-01-10 in ticks (the engine's datetime). */
const DAYS = Array.from({ length: 10 }, (_v, i) => 15_147_648_000_000_000n + BigInt(i) * 864_000_000_000n);
const EVEN = [12, 24, 36, 60, 84, 108, 132, 156, 180, 204];

describe("evaluate rolling_percentile", () => {
  it.each<[string, string, { columns: string[]; rows: unknown[][] } | RegExp]>([
    [
      "rolling 3-day median per day (Microsoft's example)",
      `${T}| evaluate rolling_percentile(val, 50, Timestamp, 1d, 3)`,
      { columns: ["Timestamp", "rolling_3_percentile_val_50"], rows: DAYS.map((d, i) => [d, EVEN[i]]) },
    ],
    [
      "rolling 3-day median per day by dimension (Microsoft's example)",
      `${T}| evaluate rolling_percentile(val, 50, Timestamp, 1d, 3, EvenOrOdd) | order by EvenOrOdd asc, Timestamp asc`,
      {
        columns: ["Timestamp", "EvenOrOdd", "rolling_3_percentile_val_50"],
        rows: [...DAYS.map((d, i) => [d, "Even", EVEN[i]]), ...DAYS.map((d, i) => [d, "Odd", (EVEN[i] as number) - 1])],
      },
    ],
    [
      "a numeric index column, a window of one bin and the 100th percentile",
      `range i from 1 to 6 step 1 | evaluate rolling_percentile(i, 100, i, 2, 1)`,
      { columns: ["i", "rolling_1_percentile_i_100"], rows: [[0, 1], [2, 3], [4, 5], [6, 6]] },
    ],
    [
      "a window wider than the bins seen so far uses the bins there are",
      `range i from 1 to 4 step 1 | evaluate rolling_percentile(i, 0, i, 1, 10)`,
      { columns: ["i", "rolling_10_percentile_i_0"], rows: [[1, 1], [2, 1], [3, 1], [4, 1]] },
    ],
    ["an empty bin inside a group's range is refused", `datatable(t:long, v:long)[1, 1, 3, 3] | evaluate rolling_percentile(v, 50, t, 1, 2)`, /SC4020.*empty bins/],
    ["a window of no bins is refused", `range i from 1 to 2 step 1 | evaluate rolling_percentile(i, 50, i, 1, 0)`, /SC4020.*bins per window/],
    ["a string value column is refused", `datatable(t:long, v:string)[1, "a"] | evaluate rolling_percentile(v, 50, t, 1, 2)`, /SC400[13]/],
  ])("%s", (_what, query, expected) => {
    if (expected instanceof RegExp) expect(run(query)).toMatch(expected);
    else expect(run(query)).toEqual(expected);
  });
});
