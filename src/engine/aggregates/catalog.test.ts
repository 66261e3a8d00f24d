import { describe, expect, it } from "vitest";
import { rowsOf } from "../test-helpers.ts";

describe("dcount keeps values apart exactly as grouping does", () => {
  it.each([
    ["numbers, strings and arrays that render alike", "datatable(d:dynamic)[dynamic(1), dynamic('1'), dynamic([1]), dynamic('[1]'), dynamic(1), dynamic(null)]", 4],
    ["bags with the same members in another order", `datatable(d:dynamic)[dynamic({"a":1,"b":2}), dynamic({"b":2,"a":1}), dynamic({"a":1})]`, 2],
    ["zero and negative zero", "datatable(d:real)[0.0, -0.0, real(null)]", 1],
    ["datetimes", "datatable(d:datetime)[datetime(2024-01-01), datetime(2024-01-01), datetime(2024-01-02)]", 2],
  ])("%s", (_name, table, expected) => {
    expect(rowsOf(`${table} | summarize n = dcount(d)`)).toEqual([[expected]]);
  });

  it("summarize groups by keys of several kinds exactly, in first-seen order", () => {
    const query =
      "datatable(s:string, r:real, t:datetime)['1', 0.0, datetime(2024-01-01), '1', -0.0, datetime(2024-01-01), '1', 1.0, datetime(2024-01-01), '', real(null), datetime(2024-01-02), '', real(null), datetime(2024-01-02)] | summarize n = count() by s, r, t";
    expect(rowsOf(query)).toEqual([
      ["1", 0, "2024-01-01T00:00:00Z", 2],
      ["1", 1, "2024-01-01T00:00:00Z", 1],
      ["", null, "2024-01-02T00:00:00Z", 2],
    ]);
  });
});

describe("aggregates over datetimes and timespans keep their type", () => {
  it.each([
    ["avg of timespans is a timespan", "datatable(a:timespan)[1d, 3d, 2d] | summarize m = avg(a)", [["2.00:00:00"]]],
    ["arithmetic after avg of timespans", "datatable(a:timespan)[1d, 3d, 2d] | summarize m = avg(a) | extend p = m + 1h, h = m / 1h", [["2.00:00:00", "2.01:00:00", 48]]],
    ["avgif of timespans", "datatable(a:timespan)[1d, 3d, 2d] | summarize m = avgif(a, a > 1d)", [["2.12:00:00"]]],
    ["avg of datetimes is a datetime", "datatable(d:datetime)[datetime(2020-01-01), datetime(2022-01-01)] | summarize m = avg(d) | extend y = getyear(m)", [["2020-12-31T12:00:00Z", 2020]]],
    ["avg of no rows is null", "datatable(a:timespan)[timespan(null)] | summarize m = avg(a)", [[null]]],
    ["sum of timespans", "datatable(a:timespan)[1d, 3d, 2d] | summarize s = sum(a)", [["6.00:00:00"]]],
    ["min, max and percentile of datetimes", "datatable(d:datetime)[datetime(2020-01-01), datetime(2022-01-01)] | summarize min(d), max(d), percentile(d, 50)", [["2020-01-01T00:00:00Z", "2022-01-01T00:00:00Z", "2020-01-01T00:00:00Z"]]],
    ["make-series avg of timespans", "range x from 1 to 3 step 1 | extend t = x * 1d, g = 1 | make-series a = avg(t) default = 0s on x from 1 to 4 step 1 by g | project a", [[["1.00:00:00", "2.00:00:00", "3.00:00:00"]]]],
  ])("%s", (_name, query, expected) => {
    expect(rowsOf(query)).toEqual(expected);
  });

  it.each([
    ["stdev", "datatable(a:timespan)[1d, 3d] | summarize stdev(a)", /^SC4020 .*stdev\(\) over a timespan/],
    ["variance", "datatable(a:datetime)[datetime(2020-01-01)] | summarize variance(a)", /^SC4020 .*variance\(\) over a datetime/],
    ["covariance", "datatable(a:timespan, b:real)[1d, 1.0] | summarize covariance(b, a)", /^SC4020 .*covariance\(\) over a timespan/],
    ["sum of datetimes", "datatable(d:datetime)[datetime(2020-01-01)] | summarize sum(d)", /^SC4020 .*sum\(\) over a datetime/],
    ["make-series stdev of timespans", "range x from 1 to 3 step 1 | extend t = x * 1d | make-series s = stdev(t) on x from 1 to 4 step 1", /^SC4020 .*stdev\(\) over a timespan/],
  ])("refuses %s, whose Kusto result is undocumented", (_name, query, expected) => {
    expect(() => rowsOf(query)).toThrow(expected);
  });
});
