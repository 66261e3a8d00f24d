import { describe, expect, it } from "vitest";
import { tableToJson } from "../format.ts";
import { runQuery } from "../run-query.ts";
import { partialCounts } from "../segments.ts";
import type { InputSegment, Row } from "../values.ts";
import { HOUR_TICKS, SEGMENT_TEST_COLUMNS, segmentsOf, TEST_NOW, TEST_NOW_TICKS } from "../test-helpers.ts";
import { keptStageCounts } from "./incremental.ts";

/** Rows an hour apart, the last at TEST_NOW; one user's name is empty, one byte count is null. */
function makeRows(): Row[] {
  const users = ["alice", "bob", "", "dave"];
  return Array.from({ length: 12 }, (_v, i): Row => [TEST_NOW_TICKS - BigInt(11 - i) * HOUR_TICKS, users[i % 4]!, `id=${i} kind=${i % 3 === 0 ? "paste" : "chat"}`, i === 7 ? null : i * 100]);
}

/** The query over T, as plain rows (no reuse) or as segments whose results are kept. */
function run(query: string, rows: Row[], segments?: InputSegment[], limits?: { maxRows: number }): unknown {
  const T = segments ? { columns: SEGMENT_TEST_COLUMNS, rows, segments } : { columns: SEGMENT_TEST_COLUMNS, rows: rows.map((r) => [...r]), ingestionTimes: rows.map((r) => r[0] as bigint) };
  const outcome = runQuery(query, { tables: { T }, reuseRowResults: segments !== undefined }, { now: TEST_NOW, ...(limits ? { limits } : {}) });
  if (!outcome.ok) throw new Error(outcome.diagnostics.map((d) => d.message).join("; "));
  return tableToJson(outcome.table);
}

/** Clock `where`s that also test the row alone (`split`: kept per row, the clock part at every run), and some that are not split. */
const QUERIES: { query: string; split: boolean }[] = [
  { query: `T | where TimeGenerated > ago(7h) and User != "bob" | extend U = toupper(User)`, split: true },
  { query: `T | where User in ("alice", "dave") and (TimeGenerated <= now() and TimeGenerated > ago(9h)) and isnotempty(Message) | summarize n = count(), b = max(Bytes) by User`, split: true },
  { query: `let min = 200; T | where Bytes >= min and TimeGenerated > ago(8h) - 1h and Message has "paste" | project User, Bytes`, split: true },
  { query: `T | extend U = toupper(User) | where not(isempty(U)) and TimeGenerated between (ago(6h) .. now()) | extend V = strcat(U, "!")`, split: true },
  { query: `T | where Message matches regex "kind=c" and ago(5h) < TimeGenerated | distinct User`, split: true },
  // a clock test that is not a plain bound: it runs per row over the rows the row-alone part kept
  { query: `T | where User != "alice" and (TimeGenerated > ago(4h) or Bytes < 300) | extend B = Bytes * 2`, split: true },
  // not split: a conjunct that might throw on some row (a long computed in doubles), or a clock test alone
  { query: `T | where TimeGenerated > ago(7h) and abs(Bytes) > 250 | extend U = toupper(User)`, split: false },
  { query: `T | where TimeGenerated > ago(7h) and TimeGenerated <= now() | extend U = toupper(User)`, split: false },
];

describe("a clock where split into its row-alone and clock parts", () => {
  it.each(QUERIES)("gives the answer of the plain evaluation with whole and partial segments: $query", ({ query }) => {
    const rows = makeRows();
    const expected = run(query, rows);
    const stable = segmentsOf(rows, 3);
    for (const partial of [new Set<number>(), new Set([0]), new Set([3]), new Set([1, 2])]) {
      const segments = stable.map((s, i) => (partial.has(i) ? { ...s, rows: [...s.rows], stable: false } : s));
      expect(run(query, rows, segments)).toEqual(expected);
      expect(run(query, rows, segments)).toEqual(expected);
    }
  });

  it.each([
    [`User != "bob" and TimeGenerated > ago(7h)`, true],
    [`TimeGenerated > ago(7h) and (User == "bob" or Bytes > 500)`, true],
    [`TimeGenerated > ago(7h) and abs(Bytes) > 250`, false],
    [`TimeGenerated > ago(7h) and TimeGenerated <= now()`, false],
  ])("keeps the row-alone part of 'where %s' per whole segment only where split", (condition, split) => {
    const rows = makeRows();
    const segments = segmentsOf(rows, 3);
    const query = `T | where ${condition}`;
    run(query, rows, segments);
    const before = keptStageCounts();
    run(query, rows, segments);
    // the where alone reuses a segment's output only as the split's kept part (a where of bounds alone passes segments whole by their bounds)
    expect(keptStageCounts().segmentsReused - before.segmentsReused).toBe(split ? 4 : 0);
  });

  it("passes whole the segments inside the clock bounds, so a summarize after it keeps its partials", () => {
    const rows = makeRows();
    const segments = segmentsOf(rows, 3);
    const query = `T | where TimeGenerated > ago(9h) and User != "bob" | summarize n = count(), m = max(Bytes) by User`;
    const expected = run(query, rows);
    expect(run(query, rows, segments)).toEqual(expected);
    const partials = { ...partialCounts };
    const kept = keptStageCounts();
    expect(run(query, rows, segments)).toEqual(expected);
    // segment 0 (rows 0–2, older than 9h) is dropped whole, 1–3 pass whole: their partials are reused
    expect(keptStageCounts().segmentsBounded - kept.segmentsBounded).toBe(4);
    expect(partialCounts.reused - partials.reused).toBe(3);
  });

  it("gives a row that would fail a conjunct the plain evaluation's outcome (the condition is not split)", () => {
    // a long beyond 2^53 fails abs() (computed in doubles); the plain where meets it only when the clock test passes
    const rows = makeRows().map((r, i): Row => (i === 0 ? [r[0]!, r[1]!, r[2]!, 2n ** 60n] : r));
    const query = `T | where TimeGenerated > ago(7h) and abs(Bytes) > 250`;
    const expected = run(query, rows);
    expect(run(query, rows, segmentsOf(rows, 3))).toEqual(expected);
  });

  it("checks the table size on what the whole where keeps, not on the rows its row-alone part keeps", () => {
    // 8 rows pass `User != "bob"`, 2 pass both conjuncts: the limit of 5 rows holds for the where's output
    const rows = makeRows();
    const limits = { maxRows: 5 };
    const expected = run(`T | where (TimeGenerated > ago(2h) and User != "bob") or false`, rows, undefined, limits);
    const query = `T | where TimeGenerated > ago(2h) and User != "bob"`;
    expect(run(query, rows, undefined, limits)).toEqual(expected);
    const segments = segmentsOf(rows, 3);
    expect(run(query, rows, segments, limits)).toEqual(expected);
    expect(run(query, rows, segments, limits)).toEqual(expected);
  });

  it("does not split on a literal pattern RE2 refuses, which a saved function's body holds unchecked", () => {
    // every row is older than the clock test, so the plain where never evaluates the pattern
    const condition = `TimeGenerated > ago(1h) and Message matches regex "id=(?=1)"`;
    const functions = [
      { name: "F", parameters: [], body: `T | where ${condition}` },
      { name: "Plain", parameters: [], body: `T | where (${condition}) or false` },
    ];
    const answer = (query: string): unknown => {
      const outcome = runQuery(query, { tables: { T: { columns: SEGMENT_TEST_COLUMNS, rows: makeRows().slice(0, 11) } }, functions }, { now: TEST_NOW });
      return outcome.ok ? outcome.table.rows : outcome.diagnostics.map((d) => d.code);
    };
    expect(answer("Plain")).toEqual([]);
    expect(answer("F")).toEqual([]);
  });
});
