import { describe, expect, it } from "vitest";
import { tableToJson } from "./format.ts";
import { analysisCount, kustoResultSchema, runQuery, type QueryInput } from "./run-query.ts";

const NOW = "2024-01-15T12:00:00Z";

function rows(query: string, input: QueryInput, now: string = NOW): unknown[][] {
  const outcome = runQuery(query, input, { now });
  if (!outcome.ok) throw new Error(outcome.diagnostics.map((d) => `${d.code} ${d.message}`).join("; "));
  return tableToJson(outcome.table).rows;
}

const longTable = (values: number[]) => ({ columns: [{ name: "x", type: "long" as const }], rows: values.map((v) => [v]) });

describe("prepared-query cache", () => {
  it("runs the same query text on new rows", () => {
    const query = "T | where x > 1 | summarize n = count(), s = sum(x)";
    expect(rows(query, { tables: { T: longTable([1, 2, 3]) } })).toEqual([[2, 5]]);
    expect(rows(query, { tables: { T: longTable([5, 6]) } })).toEqual([[2, 11]]);
    expect(rows(query, { tables: { T: longTable([]) } })).toEqual([[0, 0]]);
  });

  it("reads now() from each run", () => {
    const query = "print t = now(), recent = ago(1h)";
    expect(rows(query, {}, "2024-01-01T00:00:00Z")).toEqual([["2024-01-01T00:00:00Z", "2023-12-31T23:00:00Z"]]);
    expect(rows(query, {}, "2025-06-01T10:00:00Z")).toEqual([["2025-06-01T10:00:00Z", "2025-06-01T09:00:00Z"]]);
  });

  it("reads tabular lets, toscalar and in-lists from each run's tables", () => {
    const query = "let m = toscalar(T | summarize max(x)); T | where x == m or x in ((U | project x)) | project x";
    const first = { tables: { T: longTable([1, 2, 3]), U: longTable([1]) } };
    const second = { tables: { T: longTable([7, 8]), U: longTable([7]) } };
    expect(rows(query, first)).toEqual([[1], [3]]);
    expect(rows(query, second)).toEqual([[7], [8]]);
  });

  it("gives a sub-query's in-list one set for the rows of a run, new at the next run", () => {
    const query = "T | where x !in ((U | project x)) | project x";
    expect(rows(query, { tables: { T: longTable([1, 2, 3, 4]), U: longTable([3]) } })).toEqual([[1], [2], [4]]);
    expect(rows(query, { tables: { T: longTable([1, 2, 3, 4]), U: longTable([1, 4]) } })).toEqual([[2], [3]]);
    expect(rows(query, { tables: { T: longTable([1, 2, 3, 4]), U: longTable([]) } })).toEqual([[1], [2], [3], [4]]);
  });

  it("reads materialized results from each run's tables, each materialize() apart", () => {
    const query = "let a = materialize(T | summarize n = count()); let b = materialize(T | summarize s = sum(x)); a | extend s = toscalar(b)";
    expect(rows(query, { tables: { T: longTable([1, 2, 3]) } })).toEqual([[3, 6]]);
    expect(rows(query, { tables: { T: longTable([5]) } })).toEqual([[1, 5]]);
  });

  it("recompiles when a column's type changes", () => {
    const query = "T | extend y = x + 1";
    expect(rows(query, { tables: { T: longTable([1]) } })).toEqual([[1, 2]]);
    const outcome = runQuery(query, { tables: { T: { columns: [{ name: "x", type: "string" }], rows: [["a"]] } } }, { now: NOW });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.diagnostics[0]?.code).toBe("SC4003");
    expect(rows(query, { tables: { T: longTable([4]) } })).toEqual([[4, 5]]);
  });

  it("recompiles when a table is added or removed", () => {
    const query = "union isfuzzy=true T, U | count";
    expect(runQuery("T | count", {}, { now: NOW }).ok).toBe(false);
    expect(rows("T | count", { tables: { T: longTable([1, 2]) } })).toEqual([[2]]);
    expect(rows(query, { tables: { T: longTable([1]), U: longTable([2, 3]) } })).toEqual([[3]]);
  });

  it("recompiles when a function's body or parameters change", () => {
    const query = "print v = F(2)";
    const fn = (body: string, parameter = "n") => ({ functions: [{ name: "F", parameters: [{ name: parameter, type: "long" }], body }] });
    expect(rows(query, fn("n * 10"))).toEqual([[20]]);
    expect(rows(query, fn("n + 10"))).toEqual([[12]]);
    expect(rows(query, fn("m - 10", "m"))).toEqual([[-8]]);
  });

  it("recompiles when a watchlist's columns change, and reads its items from each run", () => {
    const query = "_GetWatchlist('vip') | project SearchKey";
    const watchlist = (columns: string[], upn: string) => ({ watchlists: [{ alias: "vip", columns, items: [{ Upn: upn, Dept: "x" }] }] });
    expect(rows(query, watchlist(["Upn", "Dept"], "a@x"))).toEqual([["a@x"]]);
    expect(rows(query, watchlist(["Upn", "Dept"], "b@x"))).toEqual([["b@x"]]);
    expect(rows(query, watchlist(["Dept", "Upn"], "b@x"))).toEqual([["x"]]);
    const dept = runQuery("_GetWatchlist('vip') | project Dept", watchlist(["Upn"], "c@x"), { now: NOW });
    expect(dept.ok).toBe(false);
  });

  it("runs a saved function called with other arguments by another query on its own arguments", () => {
    const input = { tables: { T: longTable([1, 2, 3, 4]) }, functions: [{ name: "Above", parameters: [{ name: "n", type: "long" }], body: "T | where x > n" }] };
    expect(rows("Above(1) | count", input)).toEqual([[3]]);
    expect(rows("Above(3) | count", input)).toEqual([[1]]);
    expect(rows("Above(1) | summarize max(x)", input)).toEqual([[4]]);
    expect(rows("Above(3) | summarize min(x)", input)).toEqual([[4]]);
  });

  it("gives each call of a saved function its own in-list and toscalar() results", () => {
    const input = {
      tables: { T: longTable([1, 2, 3, 4]), U: { columns: [{ name: "y", type: "long" as const }], rows: [[1], [2], [3], [4]] } },
      functions: [
        { name: "Above", parameters: [{ name: "n", type: "long" }], body: "T | where x in ((U | where y > n | project y))" },
        { name: "Top", parameters: [{ name: "n", type: "long" }], body: "print m = toscalar(U | where y <= n | summarize max(y))" },
      ],
    };
    expect(rows("union (Above(1) | extend k = 1), (Above(3) | extend k = 3) | summarize n = count() by k | order by k asc", input)).toEqual([[1, 3], [3, 1]]);
    expect(rows("union (Top(2) | extend k = 2), (Top(3) | extend k = 3) | order by k asc", input)).toEqual([[2, 2], [3, 3]]);
  });

  it.each([
    ["toscalar()", "let f = (n:long) { toscalar(U | where y <= n | summarize max(y)) };"],
    ["an in (…) sub-query", "let f = (n:long) { n in ((U | where y > n | project y)) };"],
  ])("refuses %s over a function parameter given each row's value, and runs it over a constant", (_what, declaration) => {
    const input = { tables: { T: longTable([1, 2, 3, 4]), U: { columns: [{ name: "y", type: "long" as const }], rows: [[1], [2], [3], [4]] } } };
    const perRow = runQuery(`${declaration} T | extend v = f(x)`, input, { now: NOW });
    expect(perRow.ok ? [] : perRow.diagnostics.map((d) => [d.code, d.message])).toEqual([["SC4001", expect.stringMatching(/runs its query once, not per row; 'n' is a function parameter/)]]);
    expect(runQuery(`${declaration} T | extend v = f(2)`, input, { now: NOW }).ok).toBe(true);
  });

  it("returns a cached refusal with the same diagnostics, then runs once the table exists", () => {
    const first = runQuery("Missing | count", {}, { now: NOW });
    const second = runQuery("Missing | count", {}, { now: NOW });
    expect(first).toEqual(second);
    expect(first.ok).toBe(false);
    expect(rows("Missing | count", { tables: { Missing: longTable([1]) } })).toEqual([[1]]);
  });

  it("applies each run's limits to a cached plan", () => {
    const query = "range x from 1 to 10 step 1";
    expect(runQuery(query, {}, { now: NOW }).ok).toBe(true);
    const limited = runQuery(query, {}, { now: NOW, limits: { maxRows: 5 } });
    expect(limited.ok ? undefined : limited.diagnostics[0]?.code).toBe("SC4005");
  });
});

/** How many Kusto.Language analyses `action` caused. */
function analysesDuring(action: () => void): number {
  const before = analysisCount();
  action();
  return analysisCount() - before;
}

describe("prepared-query cache key", () => {
  it("analyses a query once for the same tables given in another order, with the same answers", () => {
    const query = "T | join kind=inner (U) on $left.x == $right.y | project x, u = y";
    const t = longTable([1, 2]);
    const u = { columns: [{ name: "y", type: "long" as const }], rows: [[2], [3]] };
    let forward: unknown[][] = [];
    let backward: unknown[][] = [];
    const first = analysesDuring(() => (forward = rows(query, { tables: { T: t, U: u } })));
    const second = analysesDuring(() => (backward = rows(query, { tables: { U: u, T: t } })));
    expect([first, second]).toEqual([1, 0]);
    expect(backward).toEqual(forward);
    expect(forward).toEqual([[2, 2]]);
  });

  it("reuses the analysis for new objects with the same columns (row objects typed afresh on every run)", () => {
    const query = "Heartbeat | summarize n = count() by Computer";
    const heartbeat = (computers: string[]) => ({ tables: { Heartbeat: computers.map((c) => ({ TimeGenerated: NOW, Computer: c })) } });
    expect(analysesDuring(() => expect(rows(query, heartbeat(["a", "a", "b"]))).toEqual([["a", 2], ["b", 1]]))).toBe(1);
    expect(analysesDuring(() => expect(rows(query, heartbeat(["c"]))).toEqual([["c", 1]]))).toBe(0);
  });

  it("analyses again when a table with the same columns is given under another name", () => {
    const query = "union isfuzzy=true A, B | summarize n = count()";
    expect(analysesDuring(() => expect(rows(query, { tables: { A: longTable([1, 2]) } })).toEqual([[2]]))).toBe(1);
    expect(analysesDuring(() => expect(rows(query, { tables: { B: longTable([1, 2, 3]) } })).toEqual([[3]]))).toBe(1);
  });

  it("keeps the given order of watchlists whose aliases differ only in case (analysis reads the first match)", () => {
    const query = "_GetWatchlist('VIP')";
    const lower = { alias: "vip", columns: ["Upn", "Dept"], items: [] };
    const upper = { alias: "Vip", columns: ["Dept", "Upn"], items: [] };
    const ownColumns = (watchlists: QueryInput["watchlists"]) => {
      const schema = kustoResultSchema(query, { watchlists });
      return schema.ok ? schema.columns.slice(4).map((c) => c.name) : schema.diagnostics;
    };
    expect(ownColumns([lower, upper])).toEqual(["Upn", "Dept"]);
    expect(ownColumns([upper, lower])).toEqual(["Dept", "Upn"]);
  });

  it("sorts watchlists with distinct aliases, so their order does not cause a second analysis", () => {
    const query = "_GetWatchlist('vip') | join kind=inner (_GetWatchlist('dept') | project Dept = SearchKey) on Dept | project SearchKey";
    const vip = { alias: "vip", columns: ["Upn", "Dept"], items: [{ Upn: "a@x", Dept: "d1" }] };
    const dept = { alias: "dept", columns: ["Name"], items: [{ Name: "d1" }] };
    expect(analysesDuring(() => expect(rows(query, { watchlists: [vip, dept] })).toEqual([["a@x"]]))).toBe(1);
    expect(analysesDuring(() => expect(rows(query, { watchlists: [dept, vip] })).toEqual([["a@x"]]))).toBe(0);
    expect(rows("_GetWatchlist('dept') | project SearchKey", { watchlists: [dept, { ...vip, columns: ["Upn"] }] })).toEqual([["d1"]]);
  });
});
