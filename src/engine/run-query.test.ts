import { describe, expect, it } from "vitest";
import { setIngestionTime } from "./index.ts";
import { runQuery } from "./run-query.ts";
import { failureOf, rowsOf, TEST_NOW } from "./test-helpers.ts";

describe("runQuery inputs", () => {
  const tables = {
    Events: [
      { TimeGenerated: "2024-01-15T10:00:00Z", Account: "alice", Count: 3, _TimeReceived: "2024-01-15T11:30:00Z" },
      { TimeGenerated: "2024-01-15T11:00:00Z", Account: "bob", Count: 5 },
    ],
  };

  it("types row objects without a schema from their values", () => {
    expect(rowsOf("Events | project Account, Count, TimeGenerated", { tables })).toEqual([
      ["alice", 3, "2024-01-15T10:00:00Z"],
      ["bob", 5, "2024-01-15T11:00:00Z"],
    ]);
  });

  it("freezes now() and ago() for the whole query", () => {
    expect(rowsOf("Events | where TimeGenerated > ago(90m) | project Account, now()", { tables })).toEqual([["bob", TEST_NOW]]);
  });

  it("takes ingestion_time() from the fixture column, else TimeGenerated", () => {
    expect(rowsOf("Events | project Account, ingestion_time()", { tables })).toEqual([
      ["alice", "2024-01-15T11:30:00Z"],
      ["bob", "2024-01-15T11:00:00Z"],
    ]);
  });

  it.each([
    ["extend", "Events | extend i = ingestion_time() | project Account, i"],
    ["a saved function", "EventsWithIngestion | project Account, i"],
    ["a reordering project-reorder", "Events | project-reorder Account | extend i = ingestion_time() | project Account, i"],
  ])("keeps ingestion_time() through %s", (_, query) => {
    const functions = [{ name: "EventsWithIngestion", parameters: [], body: "Events | extend i = ingestion_time()" }];
    expect(rowsOf(query, { tables, functions })).toEqual([
      ["alice", "2024-01-15T11:30:00Z"],
      ["bob", "2024-01-15T11:00:00Z"],
    ]);
  });

  it("resolves column_ifexists against the fixture's columns", () => {
    expect(rowsOf("Events | project a = column_ifexists('Account', 'none'), b = column_ifexists('properties_s', 'none')", { tables })).toEqual([
      ["alice", "none"],
      ["bob", "none"],
    ]);
  });

  it("types bundled tables by their schema and keeps AzureDiagnostics' per-resource columns only when given", () => {
    const azure = { AzureDiagnostics: [{ TimeGenerated: "2024-01-15T10:00:00Z", Category: "Audit", properties_s: '{"x":1}' }] };
    expect(rowsOf("AzureDiagnostics | project Category, p = column_ifexists('properties_s', ''), q = column_ifexists('requestUri_s', 'none')", { tables: azure })).toEqual([
      ["Audit", '{"x":1}', "none"],
    ]);
  });

  it("reports an unconvertible fixture value with its row and column", () => {
    const d = failureOf("AzureActivity | count", { tables: { AzureActivity: [{ TimeGenerated: "not a date" }] } });
    expect(d.code).toBe("SC4009");
    expect(d.message).toContain("row 1");
    expect(d.message).toContain("TimeGenerated");
  });

  it("reports an unknown column of a bundled table", () => {
    const d = failureOf("AzureActivity | count", { tables: { AzureActivity: [{ NoSuchColumn: 1 }] } });
    expect(d.code).toBe("SC4009");
    expect(d.message).toContain("NoSuchColumn");
  });

  it("calls saved functions (parsers) by name with default parameters", () => {
    const functions = [{ name: "BigEvents", parameters: [{ name: "min", type: "long", default: "4" }], body: "Events | where Count >= min | project Account" }];
    expect(rowsOf("BigEvents()", { tables, functions })).toEqual([["bob"]]);
    expect(rowsOf("BigEvents(0) | count", { tables, functions })).toEqual([[2]]);
  });

  it("reads watchlists through _GetWatchlist", () => {
    const watchlists = [{ alias: "Vip", searchKey: "Upn", items: [{ Upn: "alice", Tier: "1" }] }];
    expect(rowsOf("_GetWatchlist('Vip') | project SearchKey, Tier, WatchlistItem", { watchlists })).toEqual([["alice", "1", { Upn: "alice", Tier: "1" }]]);
    expect(rowsOf("Events | where Account in ((_GetWatchlist('Vip') | project SearchKey)) | project Account", { tables, watchlists })).toEqual([["alice"]]);
  });

  it("refuses bundled functions known only by signature", () => {
    expect(failureOf("_Im_Dns | count").code).toBe("SC4002");
  });

  it("reports Kusto's analysis errors with their position", () => {
    const d = failureOf("print x = \n  nosuchname");
    expect(d.code).toBe("SC4003");
    expect([d.line, d.col]).toEqual([2, 3]);
  });

  it.each([["yesterday"], ["2024-13-45"]])("refuses now %j", (now) => {
    const outcome = runQuery("print 1", {}, { now });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.diagnostics[0]!.code).toBe("SC4011");
  });

  it("accepts now as a Date or ticks", () => {
    const a = runQuery("print now()", {}, { now: new Date("2024-01-01T00:00:00Z") });
    const b = runQuery("print now()", {}, { now: 17040672000000000n });
    expect(a.ok && b.ok && a.table.rows[0]![0] === b.table.rows[0]![0]).toBe(true);
  });
});

describe("resource limits", () => {
  it("refuses a huge range before allocating it", () => {
    const d = failureOf("range x from 1 to 1e12 step 1");
    expect(d.code).toBe("SC4005");
    expect(d.message).toContain("1000000000000");
  });

  it("applies the row cap to every operator", () => {
    const d = failureOf("range x from 1 to 100 step 1 | extend y = 1", {}, { maxRows: 50 });
    expect(d.code).toBe("SC4005");
  });

  it("applies the cell cap", () => {
    const d = failureOf("range x from 1 to 100 step 1 | extend a = 1, b = 2, c = 3", {}, { maxCells: 200 });
    expect(d.code).toBe("SC4007");
  });

  it("refuses exploding joins through the row cap", () => {
    const d = failureOf("let R = range x from 1 to 300 step 1 | extend k = 1; R | join kind=inner R on k", {}, { maxRows: 10_000 });
    expect(d.code).toBe("SC4005");
  });

  it("refuses very deep expressions", () => {
    const deep = `print ${"(".repeat(500)}1${")".repeat(500)}`;
    expect(["SC4006", "SC4003"]).toContain(failureOf(deep).code);
  });
});

describe("runQuery typed tables", () => {
  const columns = [{ name: "S", type: "string" as const }, { name: "N", type: "long" as const }];

  it("reads a null string cell as the empty string (a Kusto string is never null), keeping the row's ingestion time", () => {
    const table = { columns, rows: [[null, null], ["x", 1]], ingestionTimes: [0n, null] };
    expect(rowsOf("T | project S, N, e = isempty(S), i = ingestion_time()", { tables: { T: table } })).toEqual([
      ["", null, true, "1970-01-01T00:00:00Z"],
      ["x", 1, false, null],
    ]);
  });

  it("gives ingestion_time() from the table's ingestionTimes, one per row", () => {
    const table = { columns, rows: [["a", 1], ["b", 2]], ingestionTimes: [null, 1704067500_0000000n] };
    expect(rowsOf("T | extend i = ingestion_time() | where N > 0 | project S, i", { tables: { T: table } })).toEqual([
      ["a", null],
      ["b", "2024-01-01T00:05:00Z"],
    ]);
  });

  it("refuses ingestionTimes whose length differs from the rows'", () => {
    const d = failureOf("T", { tables: { T: { columns, rows: [["a", 1]], ingestionTimes: [] } } });
    expect([d.code, d.message]).toEqual(["SC4009", "table T: ingestionTimes has 0 entries for 1 rows"]);
  });

  it("still reads times recorded with the deprecated setIngestionTime", () => {
    const table = { columns, rows: [["a", 1]] };
    setIngestionTime(table.rows[0]!, 0n);
    expect(rowsOf("T | project i = ingestion_time()", { tables: { T: table } })).toEqual([["1970-01-01T00:00:00Z"]]);
  });
});
