import { describe, expect, it } from "vitest";
import { namedOutcome as run } from "../test-helpers.ts";

// Microsoft's examples: https://learn.microsoft.com/kusto/query/covariance-aggregation-function and
// https://learn.microsoft.com/kusto/query/covariancep-aggregation-function (columns covariance_x_y, covariancep_x_y).
const DATA = "datatable(x:real, y:real) [1.0, 14.0, 2.0, 10.0, 3.0, 17.0, 4.0, 20.0, 5.0, 50.0]";

describe("result column names the service documents differently from Kusto.Language", () => {
  it.each<[string, string, { columns: string[]; rows: unknown[][] } | RegExp]>([
    ["covariance(x, y) is named covariance_x_y (Microsoft's example)", `${DATA} | summarize covariance(x, y)`, { columns: ["covariance_x_y"], rows: [[20.5]] }],
    ["covariancep(x, y) is named covariancep_x_y (Microsoft's example)", `${DATA} | summarize covariancep(x, y)`, { columns: ["covariancep_x_y"], rows: [[16.4]] }],
    [
      "beside keys and other aggregates",
      `${DATA} | summarize covariance(x, y), n = count() by k = 1`,
      { columns: ["k", "covariance_x_y", "n"], rows: [[1, 20.5, 5]] },
    ],
    ["a named column keeps its name", `${DATA} | summarize c = covariance(x, y)`, { columns: ["c"], rows: [[20.5]] }],
    ["read by a later operator: refused, the names disagree", `${DATA} | summarize covariance(x, y) | take 1`, /SC4020.*covariance_x_y.*covariance_x/],
    ["inside a let: refused", `let t = ${DATA} | summarize covariance(x, y); t`, /SC4020/],
    ["beside a multi-column aggregate: refused", `${DATA} | summarize arg_max(x, y), covariance(x, y)`, /SC4020/],
  ])("%s", (_what, query, expected) => {
    if (expected instanceof RegExp) expect(run(query)).toMatch(expected);
    else expect(run(query)).toEqual(expected);
  });
});
