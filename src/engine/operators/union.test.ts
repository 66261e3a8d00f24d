import { describe, expect, it } from "vitest";
import { runQuery } from "../index.ts";
import { rowsOf, typedOutcome as run } from "../test-helpers.ts";

describe("union through runQuery", () => {
  it.each<[string, string, { columns: string[]; rows: unknown[][] }]>([
    [
      "suffixes a column that has several types (Microsoft's union example)",
      "let View_1 = view () { print x=1 }; let View_2 = view () { print x=toint(2) }; union withsource=TableName View_1, View_2",
      { columns: ["TableName:string", "x_long:long", "x_int:int"], rows: [["View_1", 1, null], ["View_2", null, 2]] },
    ],
    [
      "names a leg by its final `as` (Microsoft's as example)",
      "union withsource=TableName (range x from 1 to 2 step 1 | as T1), (range x from 1 to 1 step 1 | as T2)",
      { columns: ["TableName:string", "x:long"], rows: [["T1", 1], ["T1", 2], ["T2", 1]] },
    ],
    [
      "takes the piped input as the first leg and fills absent string cells with ''",
      "datatable(a:long)[1] | union (datatable(s:string)['x'])",
      { columns: ["a:long", "s:string"], rows: [[1, ""], [null, "x"]] },
    ],
    [
      "runs kind=inner over legs with the same columns",
      "union kind=inner (datatable(a:long, b:string)[1,'p']), (datatable(a:long, b:string)[2, 'q'])",
      { columns: ["a:long", "b:string"], rows: [[1, "p"], [2, "q"]] },
    ],
    [
      "unions empty legs to an empty table",
      "union (datatable(a:long)[]), (datatable(a:long)[])",
      { columns: ["a:long"], rows: [] },
    ],
  ])("%s", (_what, query, expected) => {
    expect(run(query)).toEqual(expected);
  });

  it("skips a missing table only with isfuzzy=true (Microsoft's isfuzzy example)", () => {
    const views = "let View_1 = view () { print x=1 }; let View_2 = view () { print x=1 };";
    expect(run(`${views} union isfuzzy=true (View_1 | where x > 0), (View_2 | where x > 0), (View_3 | where x > 0) | count`)).toEqual({
      columns: ["Count:long"],
      rows: [[2]],
    });
    expect(run(`${views} union (View_1 | where x > 0), (View_3 | where x > 0) | count`)).toMatch(/SC40(03|10)/);
  });

  it("refuses kind=inner over legs with different columns (Kusto.Language types it as outer)", () => {
    expect(run("union kind=inner (datatable(a:long, b:string)[1,'p']), (datatable(b:string, c:real)['q', 2.5])")).toMatch(/SC4001.*kind=inner/);
  });

  it("refuses wildcard table names", () => {
    expect(run("union Sec*")).toMatch(/SC400[13]/);
  });
});

describe("ingestion_time() through union", () => {
  it("keeps each source row's ingestion time", () => {
    const out = runQuery(
      "union A, B | project x, t = ingestion_time()",
      {
        tables: {
          A: [{ x: "a", TimeGenerated: "2024-01-01T00:00:00Z", _TimeReceived: "2024-01-01T00:05:00Z" }],
          B: [{ x: "b", TimeGenerated: "2024-01-01T01:00:00Z" }],
        },
      },
      { now: "2024-01-02T00:00:00Z" },
    );
    expect(out.ok ? out.table.rows.map((r) => r[1]) : out.diagnostics).toEqual([1704067500_0000000n, 1704070800_0000000n]);
  });
});

describe("union of legs whose columns share a name with different types", () => {
  it.each([
    ["each type-suffixed column gets its own leg's values", "union (print v = 1.5, x = 1), (print v = 7, x = 2)", [[1.5, null, 1], [null, 7, 2]]],
    ["a leg's own column named like a suffixed one stays apart", "union (print v = 1), (print v = 2.5), (print v_long = 3)", [[1, null, null], [null, 2.5, null], [null, null, 3]]],
    ["the earlier real column keeps the plain name", "union (print v_long = 3), (print v = 1), (print v = 2.5)", [[3, null, null], [null, 1, null], [null, null, 2.5]]],
    ["legs listing the columns in another order", 'let a = datatable(k:string, v:real)["a", 1.5]; let b = datatable(v:long, k:string)[7, "b"]; union b, a', [[7, null, "b"], [null, 1.5, "a"]]],
  ])("%s", (_name, query, expected) => {
    expect(rowsOf(query)).toEqual(expected);
  });
});
