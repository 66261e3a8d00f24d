import { describe, expect, it } from "vitest";
import { failureOf, rowsOf } from "../test-helpers.ts";

describe("bin_auto() with the query's set options", () => {
  it.each<[string, string, unknown[][]]>([
    [
      "datetimes on query_bin_auto_at (Microsoft's example)",
      "set query_bin_auto_size=1h;\nset query_bin_auto_at=datetime(2017-01-01 00:05);\nrange Timestamp from datetime(2017-01-01 00:05) to datetime(2017-01-01 02:00) step 1m | summarize count() by bin_auto(Timestamp)",
      [
        ["2017-01-01T00:05:00Z", 60],
        ["2017-01-01T01:05:00Z", 56],
      ],
    ],
    ["longs with the fixed point defaulting to 0", "set query_bin_auto_size=10; range x from 1 to 25 step 7 | project b = bin_auto(x)", [[0], [0], [10], [20]]],
    ["reals shifted to the fixed point", "set query_bin_auto_size=2.5; set query_bin_auto_at=1; print b = bin_auto(7.0)", [[6]]],
    ["timespans", "set query_bin_auto_size=1h; print b = bin_auto(90m)", [["01:00:00"]]],
    ["a datetime before the fixed point", "set query_bin_auto_size=1d; set query_bin_auto_at=datetime(2020-01-01 06:00); print b = bin_auto(datetime(2020-01-03 05:00))", [["2020-01-02T06:00:00Z"]]],
  ])("%s", (_what, query, expected) => {
    expect(rowsOf(query)).toEqual(expected);
  });

  it.each([
    ["no bin size", "print b = bin_auto(5)"],
    ["a datetime without a fixed point", "set query_bin_auto_size=1h; print b = bin_auto(datetime(2020-01-01 10:30))"],
  ])("refuses %s", (_what, query) => {
    expect(failureOf(query).code).toBe("SC4001");
  });
});
