import { describe, expect, it } from "vitest";
import { analyzeOnWorkers } from "./analysis-pool.ts";

describe("analyzeOnWorkers", () => {
  it("analyses on worker threads and returns outcomes in input order", async () => {
    const queries = ["Chat_CL | project A", "Chat_CL | where Nope == 1", "print x = 1", "Chat_CL | summarize count( by A"];
    const outcomes = await analyzeOnWorkers(
      queries,
      { tables: [{ name: "Chat_CL", columns: [{ name: "A", type: "string" }] }], functions: [], watchlists: [], trackTables: ["Chat_CL"] },
      2,
    );
    const summary = outcomes.map((o) => (o.ok ? { codes: o.analysis.diagnostics.map((d) => d.code), columns: o.analysis.resultColumns?.map((c) => c.name) } : o.error));
    expect(summary[0]).toEqual({ codes: [], columns: ["A"] });
    expect(summary[1]).toMatchObject({ codes: ["KS142"] });
    expect(summary[2]).toEqual({ codes: [], columns: ["x"] });
    expect((summary[3] as { codes: string[] }).codes.length).toBeGreaterThan(0);
    expect(outcomes[0]).toMatchObject({ ok: true, analysis: { referencedColumns: [{ table: "Chat_CL", column: "A" }] } });
  }, 120_000);
});
