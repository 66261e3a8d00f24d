import { afterEach, describe, expect, it } from "vitest";
import { analyzeQuery } from "../kql/analyze.ts";
import { buildGlobals } from "../kql/globals.ts";
import { keepAnalyses } from "../kql/kept-analyses.ts";
import { tableToJson } from "./format.ts";
import { analysisCount, runQuery, type QueryInput } from "./run-query.ts";

// `check`'s test workers analyse validation's queries first, then run the cases: the engine takes a kept analysis only
// where its tables, functions and watchlists bind the query alike, and gives the same result as with one of its own.
const NOW = "2024-01-15T12:00:00Z";
const columns = [
  { name: "User", type: "string" as const },
  { name: "Tokens", type: "long" as const },
];
const validationGlobals = buildGlobals({ tables: [{ name: "Chat_CL", columns }, { name: "Unrelated_CL", columns: [] }] });
const input = (extra: { name: string; type: "string" }[] = []): QueryInput => ({
  tables: { Chat_CL: { columns: [...columns, ...extra], rows: [["alice", 5n, ...extra.map(() => "x")], ["bob", 1n, ...extra.map(() => "y")]] } },
});

function run(query: string, data: QueryInput): { analysed: number; rows: unknown } {
  const before = analysisCount();
  const outcome = runQuery(query, data, { now: NOW });
  return { analysed: analysisCount() - before, rows: outcome.ok ? tableToJson(outcome.table).rows : outcome.diagnostics.map((d) => d.message) };
}

afterEach(() => keepAnalyses(false));

describe("the engine and validation's kept analyses", () => {
  it("takes the kept analysis where the case's tables equal validation's, with the same result", () => {
    const query = "Chat_CL | where Tokens > 2 | project User, Tokens";
    keepAnalyses(true);
    analyzeQuery(query, validationGlobals);
    keepAnalyses(false);
    const reused = run(query, input());
    expect(reused).toEqual({ analysed: 0, rows: [["alice", 5n]] });
    // the same query and schemas, analysed by the engine itself (the prepared-query cache is keyed on the text)
    expect(run(`${query} `, input())).toEqual({ analysed: 1, rows: [["alice", 5n]] });
  });

  it("analyses anew where a case declares a column only it has", () => {
    const query = "Chat_CL | project User, Team";
    keepAnalyses(true);
    const validated = analyzeQuery(query, validationGlobals);
    keepAnalyses(false);
    expect(validated.diagnostics.map((d) => d.code)).toContain("KS142");
    expect(run(query, input([{ name: "Team", type: "string" }]))).toEqual({ analysed: 1, rows: [["alice", "x"], ["bob", "y"]] });
  });
});
