import { describe, expect, it } from "vitest";
import { columnsOf, rowsOf } from "../test-helpers.ts";

const T = `let T = datatable(name:string, n:long, r:real, t:datetime, d:dynamic)[
  "a", 1, 1.5, datetime(2024-01-01), dynamic({"k": 1}),
  "b", long(null), real(null), datetime(null), dynamic(null),
  "c", 3, 0.5, datetime(2024-01-03), dynamic([1, 2]),
  "a", 4, 2.5, datetime(2024-01-02), dynamic({"k": 2})];`;

describe("tabular operators", () => {
  it.each([
    ["where keeps true rows only (null drops)", `${T} T | where n > 1 | project name`, [["c"], ["a"]]],
    ["where on empty input", `${T} T | where name == "zz" | count`, [[0]]],
    ["where with null equality", `${T} T | where n != 1 | project name`, [["b"], ["c"], ["a"]]],
    ["extend after extend sees the new column", `${T} T | take 1 | extend x = n * 2 | extend y = x + 1 | project x, y`, [[2, 3]]],
    ["extend replaces in place", `${T} T | take 1 | extend n = n + 10 | project name, n`, [["a", 11]]],
    ["extend null arithmetic", `${T} T | where name == "b" | extend x = n + 1 | project x`, [[null]]],
    ["project renames and computes", `${T} T | take 1 | project nm = name, half = n / 2.0`, [["a", 0.5]]],
    ["project-away", `${T} T | take 1 | project-away r, t, d`, [["a", 1]]],
    ["project-keep", `${T} T | take 1 | project-keep n, name`, [["a", 1]]],
    ["project-rename", `${T} T | take 1 | project-rename nn = n | project nn`, [[1]]],
    ["project-reorder", `${T} T | take 1 | project-reorder n, name | project-away r, t, d`, [[1, "a"]]],
    ["sort asc puts nulls first", `${T} T | sort by n asc | project n`, [[null], [1], [3], [4]]],
    ["sort desc puts nulls last", `${T} T | order by n desc | project n`, [[4], [3], [1], [null]]],
    ["sort nulls last on asc", `${T} T | sort by n asc nulls last | project n`, [[1], [3], [4], [null]]],
    ["sort is stable across keys", `${T} T | sort by name asc, n desc | project name, n`, [["a", 4], ["a", 1], ["b", null], ["c", 3]]],
    ["top", `${T} T | top 2 by t desc | project name`, [["c"], ["a"]]],
    ["take/limit", `${T} T | limit 2 | project name`, [["a"], ["b"]]],
    ["take 0", `${T} T | take 0 | count`, [[0]]],
    ["distinct", `${T} T | distinct name`, [["a"], ["b"], ["c"]]],
    ["distinct *", `datatable(a:long)[1, 1, 2] | distinct *`, [[1], [2]]],
    ["count", `${T} T | count`, [[4]]],
    ["print", `print a = 1, b = "x", 2 + 3`, [[1, "x", 5]]],
    ["range of longs", `range x from 1 to 7 step 3`, [[1], [4], [7]]],
    ["range downwards", `range x from 5 to 1 step -2`, [[5], [3], [1]]],
    ["empty range", `range x from 5 to 1 step 1 | count`, [[0]]],
    ["range of datetimes", `range t from datetime(2024-01-01) to datetime(2024-01-01 02:00) step 1h`, [["2024-01-01T00:00:00Z"], ["2024-01-01T01:00:00Z"], ["2024-01-01T02:00:00Z"]]],
    ["getschema", `datatable(a:long, b:string)[] | getschema`, [["a", 0, "System.Int64", "long"], ["b", 1, "System.String", "string"]]],
    ["serialize with row_number", `${T} T | serialize rn = row_number() | project name, rn`, [["a", 1], ["b", 2], ["c", 3], ["a", 4]]],
    ["prev/next", `range x from 1 to 3 step 1 | serialize | extend p = prev(x), nx = next(x, 1, -1)`, [[1, null, 2], [2, 1, 3], [3, 2, -1]]],
    ["row_cumsum with restart", `datatable(g:string, v:long)["a",1,"a",2,"b",5,"b",1] | serialize | extend s = row_cumsum(v, g != prev(g))`, [["a", 1, 1], ["a", 2, 3], ["b", 5, 5], ["b", 1, 6]]],
    ["row_rank_dense and row_rank_min", `datatable(v:long)[1,1,2,3,3] | serialize | extend d = row_rank_dense(v), m = row_rank_min(v)`, [[1, 1, 1], [1, 1, 1], [2, 2, 3], [3, 3, 4], [3, 3, 4]]],
    ["as passes rows", `range x from 1 to 2 step 1 | as X | count`, [[2]]],
    ["datatable with nulls", `datatable(a:long, s:string)[long(null), ""] | extend e = isempty(s), n = isnull(a)`, [[null, "", true, true]]],
    ["toscalar", `let m = toscalar(range x from 1 to 5 step 1 | summarize max(x)); print m * 2`, [[10]]],
    ["materialize", `let M = materialize(range x from 1 to 3 step 1); M | join kind=inner M on x | count`, [[3]]],
    ["let lambda with default", `let f = (a:long, b:long = 10) { a + b }; print f(1), f(1, 2)`, [[11, 3]]],
    ["tabular let function", `let F = (k:long) { range x from 1 to k step 1 }; F(3) | count`, [[3]]],
    ["invoke", `let F = (T:(x:long), k:long = 1) { T | where x > k }; range x from 1 to 3 step 1 | invoke F()`, [[2], [3]]],
    ["table() by name", `let T2 = datatable(a:long)[7]; table('T2')`, [[7]]],
    ["bag_pack_columns", `datatable(a:string, b:long)["x", 1] | project p = bag_pack_columns(a, b)`, [[{ a: "x", b: 1 }]]],
    ["pack_all packs the input row only", `datatable(a:string, b:long)["x", 1] | extend p = pack_all(), q = 2 | project p`, [[{ a: "x", b: 1 }]]],
    ["column_names_of", `let F = () { print A = "", B = 1 }; print column_names_of(F())`, [[["A", "B"]]]],
    ["row_window_session", `datatable(t:datetime)[datetime(2024-01-01 00:00), datetime(2024-01-01 00:05), datetime(2024-01-01 01:00)] | serialize | extend s = row_window_session(t, 1h, 10m)`, [["2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z"], ["2024-01-01T00:05:00Z", "2024-01-01T00:00:00Z"], ["2024-01-01T01:00:00Z", "2024-01-01T01:00:00Z"]]],
    ["parse-kv with delimiters and quotes", `print s = 'a=1 b="x y" c=3' | parse-kv s as (a:long, b:string, d:string) with (pair_delimiter=' ', kv_delimiter='=', quote='"') | project-away s`, [[1, "x y", ""]]],
    ["parse-kv greedy", `print s = 'name=John Doe city=New York' | parse-kv s as (name:string, city:string) with (pair_delimiter=' ', kv_delimiter='=', greedy=true) | project-away s`, [["John Doe", "New York"]]],
    ["parse-kv without delimiters", `print s = "at 10:00 [INFO] Id:42, Host:web1" | parse-kv s as (Id:long, Host:string) | project-away s`, [[42, "web1"]]],
    ["parse-kv with a regex", `print s = 'k1=v1;k2=v2' | parse-kv s as (k2:string) with (regex=@'(\\w+)=(\\w+)') | project-away s`, [["v2"]]],
  ])("%s", (_name, query, rows) => {
    expect(rowsOf(query)).toEqual(rows);
  });
});

describe("summarize", () => {
  it.each([
    ["count by key", `${T} T | summarize c = count() by name`, [["a", 2], ["b", 1], ["c", 1]]],
    ["empty input without keys gives one row", `${T} T | where false | summarize count(), dcount(name), make_list(n)`, [[0, 0, []]]],
    ["empty input with keys gives no rows", `${T} T | where false | summarize count() by name`, []],
    ["sum/avg/min/max skip nulls", `${T} T | summarize sum(n), avg(n), min(n), max(n)`, [[8, 8 / 3, 1, 4]]],
    ["countif/sumif/avgif", `${T} T | summarize countif(n > 1), sumif(n, n > 1), avgif(r, n > 1)`, [[2, 7, 1.5]]],
    ["dcount is exact", `${T} T | summarize dcount(name), dcountif(name, n > 1)`, [[3, 2]]],
    ["min/max on datetimes", `${T} T | summarize min(t), max(t)`, [["2024-01-01T00:00:00Z", "2024-01-03T00:00:00Z"]]],
    ["arg_max with *", `${T} T | summarize arg_max(n, *) by name | project name, n, r`, [["a", 4, 2.5], ["b", null, null], ["c", 3, 0.5]]],
    ["arg_min with columns", `${T} T | summarize arg_min(t, n) by name | project name, n`, [["a", 1], ["b", null], ["c", 3]]],
    ["make_set / make_list skip nulls", `${T} T | summarize make_set(name), make_list(n)`, [[["a", "b", "c"], [1, 3, 4]]]],
    ["make_list_if and make_set_if", `${T} T | summarize make_list_if(name, n > 1), make_set_if(name, n > 1)`, [[["c", "a"], ["c", "a"]]]],
    ["make_bag merges bags", `${T} T | summarize make_bag(d)`, [[{ k: 1 }]]],
    ["take_any", `${T} T | where name == "c" | summarize take_any(n)`, [[3]]],
    ["percentile nearest rank", `range x from 1 to 10 step 1 | summarize percentile(x, 50), percentiles(x, 10, 90)`, [[5, 1, 9]]],
    ["stdev and variance", `datatable(v:real)[2, 4, 4, 4, 5, 5, 7, 9] | summarize variancep(v), stdevp(v)`, [[4, 2]]],
    ["sample variance", `datatable(v:real)[1, 2, 3, 4] | summarize variance(v)`, [[5 / 3]]],
    ["bin by hour", `${T} T | where isnotnull(t) | summarize count() by bin(t, 1d)`, [["2024-01-01T00:00:00Z", 1], ["2024-01-03T00:00:00Z", 1], ["2024-01-02T00:00:00Z", 1]]],
    ["aggregate inside an expression", `${T} T | summarize s = strcat("n=", tostring(count()))`, [["n=4"]]],
    ["binary_all_or", `datatable(v:long)[1, 2, 8] | summarize binary_all_or(v)`, [[11]]],
    ["summarize by only", `${T} T | summarize by name`, [["a"], ["b"], ["c"]]],
    ["count(x) counts non-null values", `${T} T | summarize count(n), count(n > 1)`, [[3, 2]]],
    ["deprecated aggregate names", `${T} T | summarize makeset(name), argmax(n, name)`, [[["a", "b", "c"], 4, "a"]]],
    ["covariance", `datatable(x:real, y:real)[1, 14, 2, 10, 3, 17, 4, 20, 5, 50] | summarize covariance(x, y), covariancep(x, y)`, [[20.5, 16.4]]],
  ])("%s", (_name, query, rows) => {
    expect(rowsOf(query)).toEqual(rows);
  });

  it("names columns as Kusto does", () => {
    expect(columnsOf(`${T} T | summarize count(), sum(n) by bin(t, 1d)`)).toEqual(["t:datetime", "count_:long", "sum_n:long"]);
  });
});
