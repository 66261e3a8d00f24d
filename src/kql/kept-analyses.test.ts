import { afterEach, describe, expect, it } from "vitest";
import { analyzeQuery } from "./analyze.ts";
import { buildGlobals, type FunctionDefinition, type WatchlistDefinition } from "./globals.ts";
import { keepAnalyses, keepOnly, reachedMeaning, takeKeptAnalysis } from "./kept-analyses.ts";
import type { TableSchema } from "./tables.ts";

const chat: TableSchema = { name: "Chat_CL", columns: [{ name: "User", type: "string" }, { name: "Tokens", type: "long" }] };
const other: TableSchema = { name: "Other_CL", columns: [{ name: "Id", type: "string" }] };
const parser: FunctionDefinition = { name: "ChatEvents", parameters: [], body: "Chat_CL | where Tokens > 0" };
const admins: WatchlistDefinition = { alias: "Admins", columns: ["User"] };

const globals = (input: Parameters<typeof buildGlobals>[0]) => buildGlobals(input);

afterEach(() => keepAnalyses(false));

describe("reachedMeaning", () => {
  const base = { tables: [chat, other], functions: [parser], watchlists: [admins] };
  const cases: { name: string; query: string; changed: Parameters<typeof buildGlobals>[0]; same: boolean }[] = [
    { name: "a table the query does not name", query: "Chat_CL | count", changed: { ...base, tables: [chat] }, same: true },
    { name: "a named table's columns", query: "Chat_CL | count", changed: { ...base, tables: [{ ...chat, columns: [...chat.columns, { name: "Extra", type: "string" }] }, other] }, same: false },
    { name: "a column's type", query: "Chat_CL | count", changed: { ...base, tables: [{ ...chat, columns: [{ name: "User", type: "string" }, { name: "Tokens", type: "int" }] }, other] }, same: false },
    { name: "a named table missing", query: "Other_CL | count", changed: { ...base, tables: [chat] }, same: false },
    { name: "a table reached through a parser", query: "ChatEvents | count", changed: { ...base, tables: [{ ...chat, columns: [chat.columns[1]!] }, other] }, same: false },
    { name: "a parser's body", query: "ChatEvents | count", changed: { ...base, functions: [{ ...parser, body: "Chat_CL" }] }, same: false },
    { name: "a parser the query does not call", query: "Chat_CL | count", changed: { ...base, functions: [] }, same: true },
    { name: "watchlists of a query not calling _GetWatchlist", query: "Chat_CL | count", changed: { ...base, watchlists: [] }, same: true },
    { name: "a watchlist's columns", query: "_GetWatchlist('Admins') | count", changed: { ...base, watchlists: [{ alias: "Admins", columns: ["User", "Team"] }] }, same: false },
    { name: "another watchlist", query: "_GetWatchlist('Admins')", changed: { ...base, watchlists: [{ alias: "Zeta", columns: [] }, admins] }, same: false },
    { name: "a table whose name is no identifier", query: "Chat_CL | count", changed: { ...base, tables: [chat, other, { name: "my-table", columns: [] }] }, same: false },
  ];
  it.each(cases)("$name: same meaning $same", ({ query, changed, same }) => {
    const before = reachedMeaning(query, globals(base));
    expect(before).toBeDefined();
    expect(reachedMeaning(query, globals(changed)) === before).toBe(same);
  });

  it("sorts watchlists unless two aliases differ only in case", () => {
    const zeta = { alias: "Zeta", columns: [] };
    const query = "_GetWatchlist('admins')";
    expect(reachedMeaning(query, globals({ tables: [], watchlists: [zeta, admins] }))).toBe(reachedMeaning(query, globals({ tables: [], watchlists: [admins, zeta] })));
    const lower = { alias: "admins", columns: ["Other"] };
    expect(reachedMeaning(query, globals({ tables: [], watchlists: [lower, admins] }))).not.toBe(reachedMeaning(query, globals({ tables: [], watchlists: [admins, lower] })));
  });

  it("is undefined for a query that can reach tables it does not name", () => {
    expect(reachedMeaning("search 'x'", globals(base))).toBeUndefined();
    expect(reachedMeaning("union Chat*", globals(base))).toBeUndefined();
  });
});

describe("keeping analyses", () => {
  const state = globals({ tables: [chat], functions: [parser] });

  it("keeps nothing unless asked", () => {
    analyzeQuery("Chat_CL | take 1", state);
    expect(takeKeptAnalysis("Chat_CL | take 1", state)).toBeUndefined();
  });

  it("hands a kept analysis over once, and only to a global state that binds the query alike", () => {
    keepAnalyses(true);
    analyzeQuery("ChatEvents | take 2", state);
    expect(takeKeptAnalysis("ChatEvents | take 2", globals({ tables: [chat, { name: "T", columns: [] }], functions: [{ ...parser, body: "Chat_CL" }] }))).toBeUndefined();
    const taken = takeKeptAnalysis("ChatEvents | take 2", globals({ tables: [chat, other], functions: [parser] }));
    expect(taken?.Syntax).toBeDefined();
    expect(takeKeptAnalysis("ChatEvents | take 2", state)).toBeUndefined();
  });

  it("stops keeping new analyses when asked, leaving the kept ones", () => {
    keepAnalyses(true);
    analyzeQuery("Chat_CL | take 3", state);
    keepAnalyses(false);
    analyzeQuery("Chat_CL | take 4", state);
    expect(takeKeptAnalysis("Chat_CL | take 3", state)).toBeDefined();
    expect(takeKeptAnalysis("Chat_CL | take 4", state)).toBeUndefined();
  });

  it("forgets the analyses of queries outside those it is told to keep", () => {
    keepAnalyses(true);
    analyzeQuery("Chat_CL | take 5", state);
    analyzeQuery("Chat_CL | take 6", state);
    keepOnly(new Set(["Chat_CL | take 6"]));
    expect(takeKeptAnalysis("Chat_CL | take 5", state)).toBeUndefined();
    expect(takeKeptAnalysis("Chat_CL | take 6", state)).toBeDefined();
  });
});
