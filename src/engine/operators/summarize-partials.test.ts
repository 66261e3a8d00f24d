import { describe, expect, it } from "vitest";
import { tableToJson } from "../format.ts";
import { runQuery } from "../run-query.ts";
import { keptStageCounts } from "../planner/incremental.ts";
import { partialCounts, segmentOutputCounts } from "../segments.ts";
import type { InputSegment, Row } from "../values.ts";
import { HOUR_TICKS, SEGMENT_TEST_COLUMNS, segmentsOf, TEST_NOW, TEST_NOW_TICKS } from "../test-helpers.ts";


/** Rows an hour apart, the last at TEST_NOW: users repeat, some bytes are null or tie, some messages repeat. */
function makeRows(): Row[] {
  const users = ["alice", "bob", "carol", "alice", "dave", ""];
  const bytes = [300, null, 100, 300, 700, null, 200, 700, 0, 500, null, 700];
  return bytes.map((b, i) => [TEST_NOW_TICKS - BigInt(11 - i) * HOUR_TICKS, users[i % users.length]!, `id=${i % 5} kind=${i % 3 === 0 ? "paste" : "chat"}`, b]);
}

function run(query: string, rows: Row[], segments?: InputSegment[]): unknown {
  const T = segments ? { columns: SEGMENT_TEST_COLUMNS, rows, segments } : { columns: SEGMENT_TEST_COLUMNS, rows: rows.map((r) => [...r]), ingestionTimes: rows.map((r) => r[0] as bigint) };
  const outcome = runQuery(query, { tables: { T }, reuseRowResults: segments !== undefined }, { now: TEST_NOW });
  if (!outcome.ok) throw new Error(outcome.diagnostics.map((d) => d.message).join("; "));
  return tableToJson(outcome.table);
}

/** Summarizes over a row-local prefix: `merged` when their partials per segment are kept and merged, else computed whole at every run. */
const QUERIES: { query: string; merged: boolean }[] = [
  { query: `T | extend K = toupper(User) | summarize n = count(), c = countif(Bytes > 300), d = dcount(Message), s = sum(Bytes), lo = min(Bytes), hi = max(User), e = dcountif(User, Bytes > 100) by K`, merged: true },
  { query: `T | where User != "bob" | summarize arg_max(Bytes, Message), arg_min(TimeGenerated, *) by User`, merged: true },
  { query: `T | where User != "carol" | summarize arg_max(Bytes, *), Last = max(TimeGenerated), First = minif(TimeGenerated, Bytes > 0), maxif(Message, Bytes > 200) by bin(TimeGenerated, 4h)`, merged: true },
  { query: `T | extend P = split(Message, " ") | summarize make_set(P, 3), make_list(User, 5), make_set_if(User, Bytes > 200, 2), make_list_with_nulls(Bytes), make_set(Message) by bin(TimeGenerated, 4h)`, merged: true },
  { query: `T | extend P = split(Message, " ") | summarize make_set(P), make_list(P, 4), make_list_if(Bytes, isnotnull(Bytes), 3)`, merged: true },
  { query: `T | extend U = toupper(User) | summarize take_any(U), any(Message, Bytes), n = count()`, merged: true },
  { query: `T | extend U = iff(Bytes > 600, User, "") | summarize take_any(U), take_any(Bytes) by Message`, merged: true },
  { query: `T | where TimeGenerated > ago(7h) | extend U = toupper(User) | summarize x = strcat(tostring(count()), "/", tostring(dcount(U))), y = sum(Bytes) * 2 by User`, merged: true },
  { query: `T | where Bytes > 10000 | summarize n = count(), m = max(Bytes), s = make_set(User)`, merged: true },
  { query: `T | where TimeGenerated > ago(7h) | extend U = toupper(User) | distinct U, Bytes`, merged: true },
  { query: `T | extend U = toupper(User) | distinct *`, merged: true },
  // a tabular let whose chain reads no other let starts a chain of its own
  { query: `let R = T | extend U = toupper(User); union (R | where isempty(U)), (R | where isnotempty(U) | summarize arg_min(Bytes, *) by U) | project U, Bytes`, merged: true },
  { query: `let s = "BOB"; let R = T | extend U = toupper(User) | where U != s; R | where Bytes > 0 | summarize n = count() by U`, merged: true },
  { query: `let R = T | extend U = toupper(User) | where TimeGenerated > ago(9h); R | summarize n = count(), m = max(Bytes) by U`, merged: true },
  // a union of chains (a de-duplication among them) gives segments: the stages and the summarize after it keep theirs per segment
  { query: `let R = T | extend U = toupper(User); union (R | where isempty(U)), (R | where isnotempty(U) | summarize arg_min(Bytes, *) by TimeGenerated) | project U, Bytes, Message | where Bytes > 100 | extend L = strlen(Message) | summarize n = count(), m = max(L), f = arg_min(Bytes, U) by U`, merged: true },
  { query: `let R = T | extend U = toupper(User); union (R | where isempty(U)), (R | where isnotempty(U) | summarize arg_min(TimeGenerated, *) by Message) | project U, Message, Bytes | extend M = strcat(U, Message) | distinct M, Bytes`, merged: true },
  { query: `let F = () { let R = T | extend U = toupper(User); union (R | where isempty(U)), (R | where isnotempty(U) | summarize arg_max(Bytes, *) by U) | project U, Message, Bytes }; F | where Bytes > 0 | extend M = toupper(Message) | summarize c = count(), s = make_list(U) by M`, merged: true },
  { query: `union withsource=S (T | where Bytes > 200 | project User, Bytes), (T | extend X = strlen(Message) | project Message, X), (T | summarize n = count() by User) | extend Y = strcat(S, User, Message) | summarize n = count(), b = max(Bytes), x = sum(X) by Y`, merged: true },
  { query: `T | where TimeGenerated > ago(7h) | union (T | where User == "bob") | extend U = toupper(User) | summarize n = count() by U, Bytes`, merged: true },
  // a constant let is fixed for the compiled query, like a literal
  { query: `let t = 200; let k = "A"; T | extend U = toupper(User) | summarize c = countif(Bytes > t), m = maxif(Message, U startswith k) by U`, merged: true },
  // not merged: a float sum or mean depends on the order of additions; the clock, a let that is not a literal, neighbouring rows and order statistics are not the rows' alone
  { query: `T | extend U = toupper(User) | summarize s = sum(todouble(Bytes)) by U`, merged: false },
  { query: `T | extend U = toupper(User) | summarize a = avg(Bytes) by U`, merged: false },
  { query: `T | extend U = toupper(User) | summarize c = countif(TimeGenerated > ago(3h)) by U`, merged: false },
  { query: `let t = toscalar(T | where Bytes > 600 | project Bytes | take 1); T | extend U = toupper(User) | summarize c = countif(Bytes < t) by U`, merged: false },
  { query: `T | extend U = toupper(User) | summarize percentile(Bytes, 50), stdev(Bytes) by U`, merged: false },
  { query: `T | extend U = toupper(User) | summarize make_bag(bag_pack(U, Bytes))`, merged: false },
  { query: `T | extend U = toupper(User) | distinct U, ago(1h)`, merged: false },
  { query: `let s = "!"; T | extend U = toupper(User) | distinct V = strcat(U, s)`, merged: true },
  { query: `let R = T | extend U = toupper(User); R | summarize n = count() by U, Recent = TimeGenerated > ago(3h)`, merged: false },
];

describe("summarize and distinct partials per segment", () => {
  it.each(QUERIES)("give the answer of a full evaluation with whole and partial segments: $query", ({ query, merged }) => {
    const rows = makeRows();
    const expected = run(query, rows);
    const stable = segmentsOf(rows, 3, new Set());
    for (const partial of [new Set<number>(), new Set([0]), new Set([3]), new Set([1, 2])]) {
      // the stable segments are the same arrays at every run; a partial one is new each time
      const segments = stable.map((s, i) => (partial.has(i) ? { ...s, rows: [...s.rows], stable: false } : s));
      const before = { ...partialCounts };
      expect(run(query, rows, segments)).toEqual(expected);
      expect(run(query, rows, segments)).toEqual(expected);
      // the second run reuses the partials of the stable segments; a summarize that is not merged keeps none
      expect(partialCounts.reused > before.reused).toBe(merged);
      if (!merged) expect(partialCounts.computed).toBe(before.computed);
    }
  });

  it.each([
    // de-duplicated by a key that is unique: every stable segment's groups are its own, so its rows are kept whole
    { query: `let R = T | extend U = toupper(User); union (R | where isempty(U)), (R | where isnotempty(U) | summarize arg_min(Bytes, *) by TimeGenerated) | project U, Bytes | extend B = Bytes * 2`, pure: true },
    // by a key repeated across segments (every segment shares a user here): the segments sharing a group are given afresh
    { query: `let R = T | extend U = toupper(User); union (R | where isempty(U)), (R | where isnotempty(U) | summarize arg_min(Bytes, *) by U) | project U, Bytes | extend B = Bytes * 2`, pure: false },
  ])("keeps a union's and a summarize's stable output segments, and the stages after them reuse theirs: $query", ({ query, pure }) => {
    const rows = makeRows();
    const expected = run(query, rows);
    const segments = segmentsOf(rows, 3, new Set([3]));
    expect(run(query, rows, segments)).toEqual(expected);
    const outputs = { ...segmentOutputCounts };
    const kept = keptStageCounts();
    expect(run(query, rows, segments.map((s, i) => (i === 3 ? { ...s, rows: [...s.rows] } : s)))).toEqual(expected);
    // the second run: the let's extend over the 3 stable segments (once: the legs share the let's table), each leg's where
    // over them, and the stages after the union over the first leg's 3 and the de-duplication's pure ones; the union's
    // laid-out rows and the pure outputs are kept
    expect(keptStageCounts().segmentsReused - kept.segmentsReused).toBe(pure ? 15 : 12);
    expect(segmentOutputCounts.reused - outputs.reused).toBe(pure ? 9 : 3);
  });

  it.each([
    `T | summarize arg_min(Bytes, *) by Message`,
    `T | extend U = toupper(User) | summarize n = count(), b = make_list(Bytes) by Message, U`,
    `T | summarize take_any(User) by Message | extend M = strcat(Message, "!")`,
  ])("merges only the segments sharing a group with another, in segment order, whatever is seen whole or in part: %s", (query) => {
    // in segments of 2 rows, messages 1 and 11, 2 and 7, 5 and 10 are equal: segments 0 and 5, 1 and 3, 2 and 5 share a group, segment 4 none
    const rows = makeRows();
    const expected = run(query, rows);
    const stable = segmentsOf(rows, 2, new Set());
    for (const partial of [new Set<number>(), new Set([4]), new Set([5]), new Set([0, 4]), new Set([1, 2, 3])]) {
      const segments = stable.map((s, i) => (partial.has(i) ? { ...s, rows: [...s.rows], stable: false } : s));
      const before = { ...segmentOutputCounts };
      expect(run(query, rows, segments)).toEqual(expected);
      expect(run(query, rows, segments)).toEqual(expected);
      // the runs give the whole segment whose groups are its own (4) as they kept it
      if (!partial.has(4)) expect(segmentOutputCounts.reused - before.reused).toBeGreaterThan(0);
    }
  });

  it("computes a group whose long sum leaves the safe integers in a segment row by row", () => {
    const big = 2 ** 52;
    const rows = makeRows().map((r, i): Row => [r[0] ?? null, "alice", r[2] ?? null, i < 3 ? big : -big]);
    const query = `T | where User != "bob" | summarize s = sum(Bytes), n = count() by User`;
    const expected = run(query, rows);
    const segments = segmentsOf(rows, 3, new Set());
    const before = partialCounts.refused;
    expect(run(query, rows, segments)).toEqual(expected);
    expect(run(query, rows, segments)).toEqual(expected);
    expect(partialCounts.refused - before).toBe(2);
  });

  it("computes whole a long sum whose running total overflows only within one segment's partial", () => {
    const max = 9_223_372_036_854_775_807n;
    const rows = makeRows().slice(0, 6).map((r, i): Row => [r[0] ?? null, "alice", r[2] ?? null, i === 0 ? -max : i < 3 ? 0n : i === 3 ? max : i === 4 ? max : 0n]);
    const query = `T | where User != "bob" | summarize s = sum(Bytes) by User`;
    // row by row: -max, then +max = 0, then +max = max: no overflow; the second segment's partial alone reaches 2·max
    const expected = run(query, rows);
    expect((expected as { rows: unknown[][] }).rows).toEqual([["alice", max]]);
    const segments = segmentsOf(rows, 3, new Set());
    expect(run(query, rows, segments)).toEqual(expected);
    expect(run(query, rows, segments)).toEqual(expected);
  });

  it.each([
    // the same summarize (and its output), distinct and union in queries that differ after them: one partial and one layout per segment
    { first: `T | where User != "bob" | summarize n = count(), s = make_set(Message) by User | extend X = 1`, second: `T | where User != "bob" | summarize n = count(), s = make_set(Message) by User | where n > 0`, shared: true },
    { first: `T | extend U = toupper(User) | distinct U, Bytes | count`, second: `T | extend U = toupper(User) | distinct U, Bytes | where Bytes > 0`, shared: true },
    { first: `union (T | where Bytes > 200 | project User, Bytes), (T | project Message) | summarize n = count() by User`, second: `union (T | where Bytes > 200 | project User, Bytes), (T | project Message) | where isnotempty(User)`, shared: true },
    // the same text reading a constant let of another value computes its own
    { first: `let t = 100; T | summarize c = countif(Bytes > t) by User`, second: `let t = 300; T | summarize c = countif(Bytes > t) by User`, shared: false },
  ])("shares what an operator keeps per segment between queries computing the same over the same segments: $second", ({ first, second, shared }) => {
    const rows = makeRows();
    const segments = segmentsOf(rows, 3, new Set());
    const expected = run(second, rows);
    run(first, rows, segments);
    const partials = { ...partialCounts };
    const outputs = { ...segmentOutputCounts };
    expect(run(second, rows, segments)).toEqual(expected);
    // the second query's first run finds the first query's partials (or laid-out rows) of the stable segments
    const reused = partialCounts.reused - partials.reused + segmentOutputCounts.reused - outputs.reused;
    const computed = partialCounts.computed - partials.computed + segmentOutputCounts.computed - outputs.computed;
    expect(reused > 0).toBe(shared);
    expect(computed === 0).toBe(shared);
  });
});
