import { describe, expect, it } from "vitest";
import { typedOutcome as run } from "../test-helpers.ts";

const DATA = `let data = datatable(timestamp:datetime, metric:real, k:string)[
  datetime(2016-12-31T06:00), 50, 'a', datetime(2017-01-01), 4, 'a', datetime(2017-01-02), 3, 'b',
  datetime(2017-01-03), 4, 'a', datetime(2017-01-03T03:00), 6, 'a', datetime(2017-01-04T05:00), 5, 'b'];`;
const DAYS = ["2017-01-01T00:00:00.0000000Z", "2017-01-02T00:00:00.0000000Z", "2017-01-03T00:00:00.0000000Z"];

describe("make-series through runQuery", () => {
  it.each<[string, string, { columns: string[]; rows: unknown[][] }]>([
    [
      "bins on the axis, fills empty bins with 0 and leaves out rows off the axis",
      `${DATA} data | make-series avg(metric) on timestamp from datetime(2017-01-01) to datetime(2017-01-04) step 1d`,
      { columns: ["avg_metric:dynamic", "timestamp:dynamic"], rows: [[[4, 3, 5], DAYS]] },
    ],
    [
      "makes one series per group, with default= for empty bins",
      `${DATA} data | make-series n=count() default=-1 on timestamp from datetime(2017-01-01) to datetime(2017-01-04) step 1d by k`,
      {
        columns: ["k:string", "n:dynamic", "timestamp:dynamic"],
        rows: [["a", [1, -1, 2], DAYS], ["b", [-1, 1, -1], DAYS]],
      },
    ],
    [
      "gives no rows for an empty input, and one default row with kind=nonempty",
      `${DATA} data | take 0 | make-series kind=nonempty sum(metric) default=1.5 on timestamp from datetime(2017-01-01) to datetime(2017-01-03) step 1d`,
      { columns: ["sum_metric:dynamic", "timestamp:dynamic"], rows: [[[1.5, 1.5], DAYS.slice(0, 2)]] },
    ],
  ])("%s", (_what, query, expected) => {
    expect(run(query)).toEqual(expected);
  });

  it("derives each series' own axis from its data when from/to are absent", () => {
    const out = run(`${DATA} data | where timestamp >= datetime(2017-01-01) | make-series c=count() on timestamp step 1d by k`);
    expect(typeof out === "string" ? out : out.rows).toEqual([
      ["a", [1, 0, 2], DAYS],
      ["b", [1, 0, 1], ["2017-01-02T00:00:00.0000000Z", "2017-01-03T00:00:00.0000000Z", "2017-01-04T00:00:00.0000000Z"]],
    ]);
  });

  it("includes stop and aligns bins with bin() in the `in range()` form", () => {
    const out = run(`${DATA} data | make-series c=count() on timestamp in range(datetime(2017-01-01 12:00), datetime(2017-01-03 01:00), 1d)`);
    expect(typeof out === "string" ? out : out.rows).toEqual([[[1, 1, 2], DAYS]]);
  });

  it("uses summarize's aggregates (variance, make_set) and refuses multi-column ones", () => {
    const out = run(`${DATA} data | make-series v=variance(metric), s=make_set(k) on timestamp from datetime(2017-01-03) to datetime(2017-01-04) step 1d`);
    expect(typeof out === "string" ? out : out.rows).toEqual([[[2], [["a"]], [DAYS[2]]]]);
    expect(run(`${DATA} data | make-series arg_max(metric, k) on timestamp from datetime(2017-01-01) to datetime(2017-01-04) step 1d`)).toMatch(/SC4001.*arg_max/);
  });

  it("stops a series too long for the cell cap with a resource-limit error", () => {
    expect(run(`${DATA} data | make-series count() on timestamp from datetime(2000-01-01) to datetime(2017-01-04) step 1s`)).toMatch(/SC4007/);
  });

  it("refuses a non-positive step at run time", () => {
    expect(run(`${DATA} data | make-series count() on timestamp from datetime(2017-01-01) to datetime(2017-01-04) step 0d`)).toMatch(/SC4004/);
  });
});
