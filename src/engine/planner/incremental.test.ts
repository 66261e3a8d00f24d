import { describe, expect, it } from "vitest";
import { tableToJson } from "../format.ts";
import { runQuery, type QueryInput } from "../run-query.ts";
import type { InputSegment, Row } from "../values.ts";
import { HOUR_TICKS, SEGMENT_TEST_COLUMNS, segmentsOf, TEST_NOW, TEST_NOW_TICKS } from "../test-helpers.ts";
import { keptStageCounts } from "./incremental.ts";


/** Rows an hour apart, the last one at TEST_NOW. */
function makeRows(): Row[] {
  const users = ["alice", "bob", "carol", "dave"];
  return Array.from({ length: 12 }, (_v, i) => [TEST_NOW_TICKS - BigInt(11 - i) * HOUR_TICKS, users[i % 4]!, `id=${i} kind=${i % 3 === 0 ? "paste" : "chat"}`, i * 100]);
}

/** Parsers over T: one whose body is a row-local prefix, one whose body reads a value of the whole table first. */
const FUNCTIONS = [
  { name: "Parsed", parameters: [], body: `T | extend U = toupper(User) | project TimeGenerated, U, Bytes` },
  { name: "WithLet", parameters: [], body: `let suffix = toscalar(T | summarize max(User)); T | extend U = strcat(toupper(User), suffix)` },
];

/** A watchlist of users to leave out. */
const SKIP = [{ alias: "Skip", items: [{ User: "bob" }, { User: "dave" }] }];

function input(rows: Row[], reuse: boolean, watchlists: QueryInput["watchlists"] = SKIP): QueryInput {
  return { tables: { T: { columns: SEGMENT_TEST_COLUMNS, rows, ingestionTimes: rows.map((r) => r[0] as bigint) } }, functions: FUNCTIONS, watchlists, reuseRowResults: reuse };
}

function run(query: string, rows: Row[], reuse: boolean, watchlists: QueryInput["watchlists"] = SKIP): unknown {
  const outcome = runQuery(query, input(rows, reuse, watchlists), { now: TEST_NOW });
  if (!outcome.ok) throw new Error(outcome.diagnostics.map((d) => d.message).join("; "));
  return tableToJson(outcome.table);
}

/** Queries with a row-local prefix (reused) and without one (the first operator reads the clock, neighbours or other data). */
const QUERIES: { query: string; reused: boolean }[] = [
  { query: `T | where User != "bob" | extend Big = Bytes > 300 | project TimeGenerated, User, Big`, reused: true },
  { query: `let wanted = "paste"; T | parse Message with "id=" Id:long " kind=" Kind | where Kind == wanted | summarize n = count(), s = sum(Id) by User`, reused: true },
  { query: `T | extend At = ingestion_time(), U = toupper(User) | project-away Message | project-rename Who = U | where Bytes >= 200`, reused: true },
  { query: `T | where TimeGenerated > ago(6h) | extend U = toupper(User)`, reused: true },
  { query: `T | where ago(7h) < TimeGenerated and (TimeGenerated <= now() and TimeGenerated >= datetime(2024-01-15T04:00:00Z)) | extend U = toupper(User)`, reused: true },
  { query: `T | extend U = toupper(User) | where TimeGenerated > ago(6h) and U != "BOB" | extend V = strcat(U, "!") | summarize make_set(V)`, reused: true },
  { query: `Parsed | where TimeGenerated between (ago(8h) .. now()) | extend V = strcat(U, "!")`, reused: true },
  { query: `let skip = toscalar(_GetWatchlist('Skip') | summarize make_set(SearchKey)); T | where not(set_has_element(skip, User)) | extend U = toupper(User)`, reused: true },
  { query: `let skipped = _GetWatchlist('Skip'); let skip = toscalar(skipped | summarize make_set(SearchKey)); T | where TimeGenerated > ago(8h) | where not(User in (skip)) | extend U = toupper(User)`, reused: true },
  { query: `T | extend Age = now() - TimeGenerated | where Age < 6h`, reused: false },
  { query: `let recent = toscalar(T | where TimeGenerated > ago(2h) | summarize make_set(User)); T | where User in (recent) | extend U = toupper(User)`, reused: false },
  { query: `T | where TimeGenerated > ago(6h)`, reused: false },
  { query: `WithLet | extend V = strcat(U, "!")`, reused: false },
  { query: `T | serialize | extend n = row_number() | where n > 2`, reused: false },
  { query: `let top = toscalar(T | summarize max(Bytes)); T | extend IsTop = Bytes == top`, reused: false },
  { query: `let users = T | where Bytes > 500 | distinct User; T | where User in (users) | extend U = toupper(User)`, reused: false },
  { query: `T | mv-expand Part = split(Message, " ") to typeof(string) | extend P = toupper(Part)`, reused: false },
  { query: `let R = T | extend U = toupper(User); union (R | where U == "BOB"), (R | where U != "BOB" | summarize arg_min(Bytes, *) by U) | project U, Bytes`, reused: true },
  { query: `let R = T | where TimeGenerated > ago(8h) | extend U = toupper(User); R | where U != "BOB" | extend V = strcat(U, "!")`, reused: true },
];

describe("reused results of row-local prefixes", () => {
  it.each(QUERIES)("gives the answer of a full evaluation over a sliding window: $query", ({ query }) => {
    const rows = makeRows();
    for (const [from, to] of [
      [0, 6],
      [2, 9],
      [5, 12],
      [0, 12],
    ] as const) {
      const window = rows.slice(from, to);
      expect(run(query, window, true)).toEqual(run(query, window.map((r) => [...r]), false));
    }
  });

  it.each(QUERIES)("keeps results on the rows only for a row-local, clock-free prefix: $query", ({ query, reused }) => {
    const rows = makeRows();
    const first = run(query, rows, true);
    // a caller breaking the contract (changing a row it gave) shows whether the first results were kept
    for (const row of rows) row[1] = `${String(row[1])}-changed`;
    const second = run(query, rows, true);
    if (reused) expect(second).toEqual(first);
    else expect(second).not.toEqual(first);
  });

  it.each([
    ["constants equal in value but not in type", `let x = 3; T | extend y = Bytes / x`, `let x = 3.0; T | extend y = Bytes / x`],
    ["a timespan and a datetime with the same ticks", `let x = 1d; T | extend y = tostring(x)`, `let x = datetime(1970-01-02); T | extend y = tostring(x)`],
    ["a long and the text of its tagged form", `let x = 9007199254740993; T | extend y = tostring(x)`, `let x = "9007199254740993n"; T | extend y = tostring(x)`],
    ["the same last pipe after another filter", `T | where User != "bob" | extend U = toupper(User)`, `T | where User != "alice" | extend U = toupper(User)`],
    ["a let chain reading a constant of another value", `let s = "bob"; let R = T | where User != s; R | extend U = toupper(User)`, `let s = "dave"; let R = T | where User != s; R | extend U = toupper(User)`],
    ["the same extend after another filter, reading a constant of another value", `let s = "!"; T | where User != "bob" | extend U = strcat(User, s)`, `let s = "?"; T | where User != "alice" | extend U = strcat(User, s)`],
    ["the same extend after other mapping operators", `T | where User != "bob" | extend U = toupper(User) | extend V = strcat(U, "!")`, `T | where User != "alice" | extend U = tolower(User) | extend V = strcat(U, "!")`],
    ["the same operators split otherwise by a clock filter", `T | extend U = toupper(User) | where TimeGenerated > ago(20h) | project-rename W = U | extend V = strcat(W, "!")`, `T | extend U = toupper(User) | project-rename W = U | where TimeGenerated > ago(20h) | extend V = strcat(W, "?")`],
    ["the same extend reading a watchlist's value", `let skip = toscalar(_GetWatchlist('Skip') | summarize make_set(SearchKey)); T | where User != "bob" | extend U = strcat(User, tostring(skip))`, `let skip = toscalar(_GetWatchlist('Skip') | summarize make_list(SearchKey)); T | where User != "alice" | extend U = strcat(User, tostring(skip))`],
    ["bin_auto under other query options", `set query_bin_auto_size=300; set query_bin_auto_at=0; T | extend b = bin_auto(Bytes)`, `set query_bin_auto_size=500; set query_bin_auto_at=0; T | extend b = bin_auto(Bytes)`],
  ])("never hands one query another's kept results: %s", (_name, first, second) => {
    const rows = makeRows();
    run(first, rows, true);
    expect(run(second, rows, true)).toEqual(run(second, rows.map((r) => [...r]), false));
  });

  it("keys the results of a stage reading a watchlist's value by that value", () => {
    const rows = makeRows();
    const query = QUERIES.find((q) => q.query.startsWith("let skip"))!.query;
    const other = [{ alias: "Skip", items: [{ User: "alice" }] }];
    expect(run(query, rows, true)).toEqual(run(query, rows.map((r) => [...r]), false));
    expect(run(query, rows, true, other)).toEqual(run(query, rows.map((r) => [...r]), false, other));
    expect(run(query, rows, true)).toEqual(run(query, rows.map((r) => [...r]), false));
  });

  it("keys the results of a chain starting at a let that reads a watchlist's value by that value", () => {
    const rows = makeRows();
    const query = `let skip = toscalar(_GetWatchlist('Skip') | summarize make_set(SearchKey)); let R = T | where not(set_has_element(skip, User)); R | extend U = toupper(User)`;
    const other = [{ alias: "Skip", items: [{ User: "alice" }] }];
    expect(run(query, rows, true)).toEqual(run(query, rows.map((r) => [...r]), false));
    expect(run(query, rows, true, other)).toEqual(run(query, rows.map((r) => [...r]), false, other));
    expect(run(query, rows, true)).not.toEqual(run(query, rows, true, other));
  });

  it("keys a watchlist let by its type too: an int 3 and a real 3 are one JS number but divide differently", () => {
    const rows = makeRows();
    const config = [{ alias: "Cfg", items: [{ V: "3" }] }];
    const asInt = "let t = toscalar(_GetWatchlist('Cfg') | project toint(V)); T | extend R = Bytes / t | project R";
    const asReal = "let t = toscalar(_GetWatchlist('Cfg') | project todouble(V)); T | extend R = Bytes / t | project R";
    const plain = run(asReal, rows.map((r) => [...r]), false, config);
    run(asInt, rows, true, config);
    expect(run(asReal, rows, true, config)).toEqual(plain);
    expect(run(asInt, rows, true, config)).not.toEqual(plain);
  });

  it("shares one result row between stages that map a row they both keep the same way, whatever their filters", () => {
    const rows = makeRows();
    const outputOf = (query: string): Row[] => {
      const outcome = runQuery(query, input(rows, true), { now: TEST_NOW });
      if (!outcome.ok) throw new Error(outcome.diagnostics.map((d) => d.message).join("; "));
      return outcome.table.rows;
    };
    const byBytes = outputOf(`T | where Bytes >= 300 | extend U = toupper(User)`);
    const byUser = outputOf(`T | where TimeGenerated > ago(20h) | where User != "bob" | extend U = toupper(User)`);
    const other = outputOf(`T | where User != "bob" | extend U = tolower(User)`);
    const shared = byUser.filter((row) => byBytes.includes(row));
    // rows 3..11 have Bytes >= 300; of them bob's (5 and 9) are dropped by the second query
    expect(shared).toHaveLength(7);
    expect(byUser.filter((row) => other.includes(row))).toEqual([]);
    expect(byUser.map((row) => [...row])).toEqual(outputOf(`T | where User != "bob" | extend U = toupper(User)`).map((row) => [...row]));
  });

  it("shares one output per stable segment between stages that only map, also after a clock filter reading a watchlist's value", () => {
    const rows = makeRows();
    const segments = segmentsOf(rows, 4, new Set([2]));
    const outputOf = (query: string): unknown => runSegments(query, rows, segments);
    const skipping = `let skip = toscalar(_GetWatchlist('Skip') | summarize make_set(SearchKey)); T | where not(User in (skip)) and TimeGenerated > ago(20h) | extend U = toupper(User)`;
    outputOf(`T | extend U = toupper(User)`);
    const before = keptStageCounts();
    outputOf(`T | where TimeGenerated > ago(20h) | extend U = toupper(User)`);
    const after = keptStageCounts();
    expect(after.rowsComputed - before.rowsComputed).toBe(0);
    expect(outputOf(skipping)).toEqual(run(skipping, rows.map((r) => [...r]), false));
  });

  it("keeps at most 32 results on a row, the oldest going first, in a list exactly as long as its results", () => {
    const rows = makeRows();
    const resultsOf = (row: Row): unknown[] | undefined => {
      const symbol = Object.getOwnPropertySymbols(row).find((s) => s.description === "row-local results");
      return symbol ? (row as unknown as Record<symbol, unknown[]>)[symbol] : undefined;
    };
    const queries = Array.from({ length: 40 }, (_v, k) => `T | extend X = strcat(User, "${k}")`);
    const first = queries.map((query, k) => {
      const out = run(query, rows, true);
      expect(resultsOf(rows[0]!)?.length).toBe(2 * Math.min(k + 1, 32));
      return out;
    });
    // a caller breaking the contract (changing a row it gave) shows which results were kept: the newest 32
    for (const row of rows) row[1] = `${String(row[1])}-changed`;
    expect(run(queries[39]!, rows, true)).toEqual(first[39]);
    expect(run(queries[8]!, rows, true)).toEqual(first[8]);
    expect(run(queries[0]!, rows, true)).not.toEqual(first[0]);
  });

  it("keeps nothing when the caller does not opt in", () => {
    const rows = makeRows();
    const query = QUERIES[0]!.query;
    const first = run(query, rows, false);
    for (const row of rows) row[1] = `${String(row[1])}-changed`;
    expect(run(query, rows, false)).not.toEqual(first);
  });
});

function runSegments(query: string, rows: Row[], segments: InputSegment[]): unknown {
  const outcome = runQuery(query, { tables: { T: { columns: SEGMENT_TEST_COLUMNS, rows, segments } }, functions: FUNCTIONS, watchlists: SKIP, reuseRowResults: true }, { now: TEST_NOW });
  if (!outcome.ok) throw new Error(outcome.diagnostics.map((d) => d.message).join("; "));
  return tableToJson(outcome.table);
}

describe("reused results over segmented tables", () => {
  it.each(QUERIES)("gives the answer of a full evaluation with whole and partial segments: $query", ({ query }) => {
    const rows = makeRows();
    const stable = segmentsOf(rows, 3);
    for (const partial of [new Set<number>(), new Set([0]), new Set([3]), new Set([1, 2])]) {
      // the stable segments are the same arrays at every run; a partial one is new each time
      const segments = stable.map((s, i) => (partial.has(i) ? { ...s, rows: [...s.rows], stable: false } : s));
      expect(runSegments(query, rows, segments)).toEqual(run(query, rows.map((r) => [...r]), false));
    }
  });

  it("keeps a kept stage's output per stable segment, and recomputes a partial segment from its rows' kept results", () => {
    const rows = makeRows();
    const query = `T | where User != "bob" | extend U = toupper(User)`;
    const segments = segmentsOf(rows, 4);
    const first = runSegments(query, rows, segments);
    const before = keptStageCounts();
    expect(runSegments(query, rows, segments)).toEqual(first);
    const after = keptStageCounts();
    expect(after.segmentsReused - before.segmentsReused).toBe(3);
    expect(after.rowsLookedUp).toBe(before.rowsLookedUp);
    // a segment given in part looks its rows up (each once), computing none
    const partial = [segments[0]!, { rows: segments[1]!.rows.slice(1), stable: false }];
    runSegments(query, rows, partial);
    const last = keptStageCounts();
    expect(last.rowsLookedUp - after.rowsLookedUp).toBe(3);
    expect(last.rowsComputed).toBe(after.rowsComputed);
  });

  it("keeps a segment whole through a clock filter that drops none of its rows", () => {
    const rows = makeRows();
    const query = `T | where TimeGenerated > ago(6h) | extend U = toupper(User)`;
    const segments = segmentsOf(rows, 3);
    const first = runSegments(query, rows, segments);
    const before = keptStageCounts();
    expect(runSegments(query, rows, segments)).toEqual(first);
    // rows 0–5 are older than 6h: segments 0 and 1 are dropped whole, 2 and 3 pass whole and are reused
    expect(keptStageCounts().segmentsReused - before.segmentsReused).toBe(2);
    expect(keptStageCounts().rowsLookedUp).toBe(before.rowsLookedUp);
    expect(keptStageCounts().segmentsBounded - before.segmentsBounded).toBe(4);
  });

  it.each([
    ["a parameterless parser", `Parsed | where TimeGenerated > ago(6h) | extend V = strcat(U, "!")`],
    ["a tabular let", `let R = T | extend U = toupper(User); R | where TimeGenerated > ago(6h) | extend V = strcat(U, "!")`],
  ])("starts a chain at %s, whose clock filter passes and drops whole segments", (_name, query) => {
    const rows = makeRows();
    const segments = segmentsOf(rows, 3);
    const first = runSegments(query, rows, segments);
    const before = keptStageCounts();
    expect(runSegments(query, rows, segments)).toEqual(first);
    expect(keptStageCounts().segmentsBounded - before.segmentsBounded).toBe(4);
    expect(keptStageCounts().rowsLookedUp).toBe(before.rowsLookedUp);
  });

  it("judges a clock filter by each segment's range, row by row where the range straddles it or holds a null", () => {
    const rows = makeRows();
    rows[10] = [null, "erin", "id=10 kind=chat", 1000];
    const query = `T | where TimeGenerated > ago(7h) | extend U = toupper(User)`;
    const segments = segmentsOf(rows, 3);
    const expected = run(query, rows.map((r) => [...r]), false);
    expect(runSegments(query, rows, segments)).toEqual(expected);
    const before = keptStageCounts();
    expect(runSegments(query, rows, segments)).toEqual(expected);
    // segment 0 is dropped whole; 1 (rows 3–5, row 5 inside) straddles the bound; 2 passes whole; 3 holds a null
    const after = keptStageCounts();
    expect(after.segmentsBounded - before.segmentsBounded).toBe(2);
    expect(after.segmentsReused - before.segmentsReused).toBe(1);
  });

  it("prepares a stable segment once: its ingestion times and empty strings are not read again", () => {
    const rows = makeRows().map((r, i) => (i === 0 ? [r[0]!, null, r[2]!, r[3]!] : r));
    const segments = segmentsOf(rows, 6);
    const query = `T | extend At = ingestion_time(), U = strcat("[", User, "]") | project At, U`;
    const first = runSegments(query, rows, segments);
    expect(first).toEqual(run(query, rows.map((r) => [...r]), false));
    // a caller breaking the contract (new times for a segment it gave) shows the first preparation was kept
    const moved = segments.map((s) => ({ ...s, ingestionTimes: s.rows.map(() => 0n) }));
    expect(runSegments(query, rows, moved)).toEqual(first);
  });
});
