import { describe, expect, it } from "vitest";
import { runQuery } from "../index.ts";
import { typedOutcome as run } from "../test-helpers.ts";

describe("mv-expand through runQuery", () => {
  it.each<[string, string, { columns: string[]; rows: unknown[][] }]>([
    [
      "expands arrays row by row",
      "datatable(a:int, b:dynamic)[1, dynamic([10, 20]), 2, dynamic(['a', 'b'])] | mv-expand b",
      { columns: ["a:int", "b:dynamic"], rows: [[1, 10], [1, 20], [2, "a"], [2, "b"]] },
    ],
    [
      "zips two columns and pads with null",
      "datatable(a:int, b:dynamic, c:dynamic)[1, dynamic({'p':'a','q':'b'}), dynamic([5,4,3])] | mv-expand b, c",
      { columns: ["a:int", "b:dynamic", "c:dynamic"], rows: [[1, { p: "a" }, 5], [1, { q: "b" }, 4], [1, null, 3]] },
    ],
    [
      "casts with to typeof(), numbers items, appends a named expansion and honours limit",
      "datatable(a:dynamic)[dynamic([1, 'x', 3])] | mv-expand with_itemindex=i n = a to typeof(long) limit 2",
      { columns: ["a:dynamic", "n:long", "i:long"], rows: [[[1, "x", 3], 1, 0], [[1, "x", 3], null, 1]] },
    ],
    [
      "replaces the column an unnamed expression is built on, as Kusto types it",
      `datatable(a:long, s:string)[1, 'x;y'] | mv-expand split(s, ";")`,
      { columns: ["a:long", "s:dynamic"], rows: [[1, "x"], [1, "y"]] },
    ],
    [
      "expands bags to [key, value] with kind=array",
      "print b=dynamic({'k1':'v1'}) | mv-expand kind=array b",
      { columns: ["b:dynamic"], rows: [[["k1", "v1"]]] },
    ],
    [
      "drops rows with an empty array and keeps one row for null",
      "datatable(a:int, b:dynamic)[1, dynamic([]), 2, dynamic(null)] | mv-expand b",
      { columns: ["a:int", "b:dynamic"], rows: [[2, null]] },
    ],
    [
      "reads datetimes with to typeof(datetime) (Microsoft's join example idiom)",
      "print t=range(datetime(2024-01-01), datetime(2024-01-01 00:02), 1m) | mv-expand t to typeof(datetime) | count",
      { columns: ["Count:long"], rows: [[3]] },
    ],
  ])("%s", (_what, query, expected) => {
    expect(run(query)).toEqual(expected);
  });

  it("stops at the row cap with a resource-limit error", () => {
    const out = runQuery("print a=range(1, 100000, 1) | mv-expand a", {}, { now: "2024-01-01T00:00:00Z", limits: { maxRows: 1000 } });
    expect(out.ok ? "ran" : out.diagnostics[0]?.code).toBe("SC4005");
  });
});

describe("mv-apply through runQuery", () => {
  it.each<[string, string, unknown[][]]>([
    [
      "runs the subquery per row (Microsoft's top-2 example)",
      "datatable(index:int, Arr:dynamic)[0, dynamic([5, 1, 3]), 1, dynamic([4, 10, 8, 7])] | mv-apply Arr2=Arr to typeof(long) on (top 2 by Arr2 | summarize Top2=make_list(Arr2))",
      [[0, [5, 1, 3], [5, 3]], [1, [4, 10, 8, 7], [10, 8]]],
    ],
    [
      "exposes the item index to the subquery",
      "datatable(row:int, Arr:dynamic)[0, dynamic([5, 1, 3]), 1, dynamic([4, 10, 8, 7])] | mv-apply with_itemindex=index value=Arr to typeof(long) on (where index >= 2)",
      [[0, [5, 1, 3], 3, 2], [1, [4, 10, 8, 7], 8, 2], [1, [4, 10, 8, 7], 7, 3]],
    ],
    [
      "drops rows whose subquery returns nothing",
      "datatable(a:dynamic)[dynamic([1]), dynamic([])] | mv-apply x=a to typeof(long) on (where x > 0)",
      [[[1], 1]],
    ],
  ])("%s", (_what, query, rows) => {
    const out = run(query);
    expect(typeof out === "string" ? out : out.rows).toEqual(rows);
  });
});
