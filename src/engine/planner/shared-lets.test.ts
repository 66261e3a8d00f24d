import { describe, expect, it } from "vitest";
import { buildGlobals } from "../../kql/globals.ts";
import { tableToJson } from "../format.ts";
import { runQuery, type QueryInput } from "../run-query.ts";
import { child, findNodes, kindOf, parseAndAnalyze, simpleNameOf, type SyntaxNode } from "../syntax.ts";
import { HOUR_TICKS, SEGMENT_TEST_COLUMNS, segmentsOf, TEST_NOW, TEST_NOW_TICKS } from "../test-helpers.ts";
import type { Row } from "../values.ts";
import { keptStageCounts } from "./incremental.ts";
import type { Binding } from "./scope.ts";
import { readsChance } from "./shared-lets.ts";

/** Rows an hour apart, the last one at TEST_NOW. */
function makeRows(): Row[] {
  const users = ["alice", "bob", "carol", "dave", ""];
  return Array.from({ length: 15 }, (_v, i) => [TEST_NOW_TICKS - BigInt(14 - i) * HOUR_TICKS, users[i % 5]!, `m${i % 3}`, i * 100]);
}

const FUNCTIONS = [
  { name: "Parsed", parameters: [], body: `let R = T | extend U = toupper(User); R | join kind=inner (R | summarize n = count() by U) on U` },
  { name: "Above", parameters: [{ name: "n", type: "long" }], body: `let t = T | where Bytes > n; t | union t` },
];

function input(reuse: boolean, segmented: boolean): QueryInput {
  const rows = makeRows();
  const table = segmented ? { columns: SEGMENT_TEST_COLUMNS, rows, segments: segmentsOf(rows, 4, new Set([3])) } : { columns: SEGMENT_TEST_COLUMNS, rows, ingestionTimes: rows.map((r) => r[0] as bigint) };
  return { tables: { T: table }, functions: FUNCTIONS, watchlists: [{ alias: "Skip", items: [{ User: "bob" }] }], reuseRowResults: reuse };
}

function run(query: string, reuse: boolean, segmented: boolean): unknown {
  const outcome = runQuery(query, input(reuse, segmented), { now: TEST_NOW });
  if (!outcome.ok) throw new Error(outcome.diagnostics.map((d) => d.message).join("; "));
  return tableToJson(outcome.table);
}

/** Each query with its lets shared, and the same query with every reference to a let written out (nothing to share). */
const CASES: { what: string; shared: string; inlined: string }[] = [
  {
    what: "a let read by two sides of a join",
    shared: `let R = T | where TimeGenerated > ago(10h) | extend U = toupper(User); R | join kind=inner (R | summarize n = count() by U) on U`,
    inlined: `(T | where TimeGenerated > ago(10h) | extend U = toupper(User)) | join kind=inner ((T | where TimeGenerated > ago(10h) | extend U = toupper(User)) | summarize n = count() by U) on U`,
  },
  {
    what: "lets reading lets, each read more than once",
    shared: `let a = T | where Bytes > 200; let b = a | summarize m = max(Bytes) by User; let c = a | join kind=leftouter b on User; c | union (b | extend Bytes = m) | union (c | where Bytes == m)`,
    inlined: `((T | where Bytes > 200) | join kind=leftouter ((T | where Bytes > 200) | summarize m = max(Bytes) by User) on User) | union (((T | where Bytes > 200) | summarize m = max(Bytes) by User) | extend Bytes = m) | union (((T | where Bytes > 200) | join kind=leftouter ((T | where Bytes > 200) | summarize m = max(Bytes) by User) on User) | where Bytes == m)`,
  },
  {
    what: "a let read inside a partition's sub-query (a run cache of its own per partition)",
    shared: `let big = T | where Bytes >= 700; T | partition hint.strategy=legacy by Message (join kind=leftsemi big on User)`,
    inlined: `T | partition hint.strategy=legacy by Message (join kind=leftsemi (T | where Bytes >= 700) on User)`,
  },
  {
    what: "a let read by an in list and by toscalar",
    shared: `let users = T | where Bytes > 900 | distinct User; T | where User in (users) | extend k = toscalar(users | count)`,
    inlined: `T | where User in ((T | where Bytes > 900 | distinct User)) | extend k = toscalar((T | where Bytes > 900 | distinct User) | count)`,
  },
  {
    what: "a let reading a watchlist",
    shared: `let skip = _GetWatchlist('Skip') | project User = tostring(SearchKey); T | join kind=leftanti skip on User | union (T | join kind=leftsemi skip on User)`,
    inlined: `T | join kind=leftanti (_GetWatchlist('Skip') | project User = tostring(SearchKey)) on User | union (T | join kind=leftsemi (_GetWatchlist('Skip') | project User = tostring(SearchKey)) on User)`,
  },
  {
    what: "lets inside a function's body (not shared) and a query let calling it",
    shared: `let p = Parsed; let q = Above(500); p | union (p | take 2) | union q | union Above(1000)`,
    inlined: `Parsed | union (Parsed | take 2) | union Above(500) | union Above(1000)`,
  },
];

describe("a query's tabular lets are computed once per run", () => {
  for (const reuse of [false, true]) {
    for (const segmented of [false, true]) {
      it.each(CASES)(`gives the answer of the query with every let written out (reuse ${reuse}, segments ${segmented}): $what`, ({ shared, inlined }) => {
        expect(run(shared, reuse, segmented)).toEqual(run(inlined, reuse, segmented));
      });
    }
  }

  it("evaluates a let read twice once: its kept stage looks up each row once per run", () => {
    const rowsOfOneRead = (query: string): number => {
      run(query, true, false);
      const before = keptStageCounts().rowsLookedUp;
      run(query, true, false);
      return keptStageCounts().rowsLookedUp - before;
    };
    const once = rowsOfOneRead(`let R = T | extend U = toupper(User); R | count`);
    expect(once).toBe(15);
    expect(rowsOfOneRead(`let R = T | extend U = toupper(User); R | union R | union R | count`)).toBe(once);
    expect(rowsOfOneRead(`(T | extend U = toupper(User)) | union (T | extend U = toupper(User)) | count`)).toBe(2 * once);
  });
});

const globals = buildGlobals({
  tables: [{ name: "T", columns: [{ name: "A", type: "string" }, { name: "N", type: "long" }] }],
  functions: [
    { name: "Lucky", parameters: [], body: `T | extend r = rand()` },
    { name: "Calm", parameters: [], body: `let x = T | where N > 1; x` },
  ],
  watchlists: [],
});

/** The expression of the last `let` in `query`. */
function lastLet(query: string): SyntaxNode {
  const lets = findNodes(parseAndAnalyze(query, globals.state).root, (n) => kindOf(n) === "LetStatement");
  return child(lets.at(-1)!, "Expression");
}

/** The names bound by `query`'s lets, each marked `chance` as readsChance judges it (as bindStatements does). */
function envOf(query: string): Map<string, Binding> {
  const env = new Map<string, Binding>();
  for (const statement of findNodes(parseAndAnalyze(query, globals.state).root, (n) => kindOf(n) === "LetStatement")) {
    const chance = readsChance(child(statement, "Expression"), env);
    env.set(String(simpleNameOf(child(statement, "Name"))), { kind: "table", plan: () => ({ columns: [], rows: [] }), columns: [], ...(chance ? { chance } : {}) });
  }
  return env;
}

describe("readsChance: a let that may differ at each reference is not shared", () => {
  it.each<[string, string, boolean]>([
    ["rand()", `let a = T | extend r = rand(); a`, true],
    ["new_guid()", `let a = T | extend g = new_guid(); a`, true],
    ["sample", `let a = T | sample 3; a`, true],
    ["a scalar let reading rand()", `let r = rand(); let a = T | extend x = r; a`, true],
    ["a let reading such a let", `let a = T | extend r = rand(); let b = a | where r > 0.5; b`, true],
    ["a function whose body reads rand()", `let a = Lucky | take 1; a`, true],
    ["a let-declared function reading rand()", `let f = (n:long) { T | where N > n | extend r = rand() }; let a = f(1); a`, true],
    ["a plain pipeline", `let a = T | where N > 1 | summarize count() by A; a`, false],
    ["the clock", `let a = T | where N > 1 | extend t = now(); a`, false],
    ["a function with lets", `let a = Calm | take 1; a`, false],
    ["a let reading a let", `let a = T | where N > 1; let b = a | join kind=inner a on A; b`, false],
  ])("%s", (_what, query, expected) => {
    expect(readsChance(lastLet(query), envOf(query))).toBe(expected);
  });
});
