import { describe, expect, it } from "vitest";
import { inlineQuery, literal, stringLiteral } from "./datatable.ts";
import type { EngineData } from "../run/engine-port.ts";
import { createOfflineEngine } from "../run/offline-engine.ts";

describe("literal", () => {
  it.each([
    ["a\"b\\c\nd", "string", '"a\\"b\\\\c\\nd"'],
    [null, "string", '""'],
    [null, "long", "long(null)"],
    [5, "long", "long(5)"],
    [1.5, "real", "real(1.5)"],
    [true, "bool", "true"],
    [BigInt(Date.UTC(2026, 10, 20, 12)) * 10_000n, "datetime", "datetime(2026-11-20T12:00:00Z)"],
    [3_000_000_000n, "timespan", "time(00:05:00)"],
    [{ a: [1, "x"] }, "dynamic", 'dynamic({"a":[1,"x"]})'],
    ["6f9619ff-8b86-d011-b42d-00c04fc964ff", "guid", "guid(6f9619ff-8b86-d011-b42d-00c04fc964ff)"],
  ])("%s as %s", (value, type, expected) => {
    expect(literal(value, type)).toBe(expected);
  });
  it("escapes tabs and carriage returns", () => {
    expect(stringLiteral("a\tb\r")).toBe('"a\\tb\\r"');
  });
});

describe("inlineQuery", () => {
  const now = Date.UTC(2026, 10, 20, 12);
  const data: EngineData = {
    tables: new Map([
      [
        "AzureActivity",
        {
          name: "AzureActivity",
          columns: [{ name: "TimeGenerated", type: "datetime" }, { name: "Caller", type: "string" }, { name: "Properties_d", type: "dynamic" }],
          rows: [
            [BigInt(now - 3_600_000) * 10_000n, "alice@contoso.com", { op: "listKeys" }],
            [BigInt(now - 7_200_000) * 10_000n, "bob@contoso.com", null],
            [BigInt(now - 3 * 86_400_000) * 10_000n, "carol@contoso.com", null],
          ],
        },
      ],
    ]),
    functions: [{ name: "KeyOps", parameters: [{ name: "since", type: "timespan", default: "1d" }], body: "AzureActivity | where TimeGenerated > ago(since)" }],
    watchlists: new Map([["readers", { alias: "Readers", searchKey: "Identity", columns: ["Identity", "Note"], rows: [["bob@contoso.com", "pipeline"]] }]]),
  };
  const query = "KeyOps() | where Caller != 'bob@contoso.com' | project TimeGenerated, Caller";

  it("is a self-contained query that the offline engine runs to the same result as the case", () => {
    const engine = createOfflineEngine();
    const direct = engine(query, data, now);
    // the offline engine resolves _GetWatchlist itself (a let does not shadow it there), so run without watchlists
    const inlined = engine(inlineQuery(query, { ...data, watchlists: new Map() }, now, ["TimeGenerated"]), { tables: new Map(), functions: [], watchlists: new Map() }, now);
    expect(direct.ok && inlined.ok).toBe(true);
    if (!direct.ok || !inlined.ok) return;
    expect(direct.table.rows).toEqual([["2026-11-20T11:00:00Z", "alice@contoso.com"]]);
    expect(inlined.table.rows).toEqual(direct.table.rows);
  });

  it("shadows _GetWatchlist with the case's watchlist rows, by alias, case-insensitively", () => {
    const text = inlineQuery(query, data, now, []);
    expect(text).toContain('let __harness_wl0 = datatable(_DTItemId:string, SearchKey:string, WatchlistItem:dynamic, __alias:string, Identity:string, Note:string)["Readers-0", "bob@contoso.com", dynamic({"Identity":"bob@contoso.com","Note":"pipeline"}), "readers", "bob@contoso.com", "pipeline"]');
    expect(text).toContain("let _GetWatchlist = (watchlistAlias:string) { union isfuzzy=true __harness_wl0 | where __alias == tolower(watchlistAlias) | project-away __alias };");
    expect(text).toContain("let KeyOps = (since:timespan=1d) {\nAzureActivity | where TimeGenerated > ago(since)\n};");
  });
});
