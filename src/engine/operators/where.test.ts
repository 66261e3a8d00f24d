import { describe, expect, it } from "vitest";
import { tableToJson } from "../format.ts";
import { runQuery } from "../run-query.ts";
import type { InputSegment, Row } from "../values.ts";
import { HOUR_TICKS, SEGMENT_TEST_COLUMNS, segmentsOf, TEST_NOW, TEST_NOW_TICKS } from "../test-helpers.ts";

/** Rows an hour apart, the last at TEST_NOW. */
function makeRows(): Row[] {
  const users = ["alice", "bob", "carol", "dave", ""];
  return Array.from({ length: 12 }, (_v, i): Row => [TEST_NOW_TICKS - BigInt(11 - i) * HOUR_TICKS, users[i % 5]!, `id=${i}`, i * 100]);
}

/** The query over T, as plain rows or as segments (replay's hours). */
function run(query: string, rows: Row[], segments?: InputSegment[]): unknown {
  const T = segments ? { columns: SEGMENT_TEST_COLUMNS, rows, segments } : { columns: SEGMENT_TEST_COLUMNS, rows: rows.map((r) => [...r]), ingestionTimes: rows.map((r) => r[0] as bigint) };
  const outcome = runQuery(query, { tables: { T }, reuseRowResults: segments !== undefined }, { now: TEST_NOW });
  if (!outcome.ok) throw new Error(outcome.diagnostics.map((d) => d.message).join("; "));
  return tableToJson(outcome.table);
}

describe("where over a table given as segments", () => {
  it.each([
    // a condition reading a value of the run (not row-local): filtered segment by segment after the kept prefix
    `let heavy = toscalar(T | summarize max(Bytes)); T | extend U = toupper(User) | where Bytes * 2 > heavy | project U, Bytes`,
    `T | extend U = toupper(User) | where U in ((T | where Bytes > 700 | project toupper(User))) | summarize n = count() by U`,
    `T | where TimeGenerated > ago(8h) | where User in ((T | where Bytes < 300 | project User)) | extend B = Bytes + 1`,
    // neighbouring rows: the whole input in order
    `T | extend U = toupper(User) | serialize | where prev(U) != "BOB" | project U, Bytes`,
  ])("gives the rows of the plain evaluation, in order, with whole and partial segments: %s", (query) => {
    const rows = makeRows();
    const expected = run(query, rows);
    const stable = segmentsOf(rows, 3);
    for (const partial of [new Set<number>(), new Set([0]), new Set([3]), new Set([1, 2])]) {
      const segments = stable.map((s, i) => (partial.has(i) ? { ...s, rows: [...s.rows], stable: false } : s));
      expect(run(query, rows, segments)).toEqual(expected);
      expect(run(query, rows, segments)).toEqual(expected);
    }
  });
});
