import { describe, expect, it } from "vitest";
import { createAnalyzer, reachableTables, type AnalysisEnvironment } from "./analyzer.ts";

const ENVIRONMENT: AnalysisEnvironment = {
  tables: [{ name: "Chat_CL", columns: [{ name: "User", type: "string" }, { name: "Tokens", type: "long" }] }],
  functions: [{ name: "ChatUsers", parameters: [], body: "Chat_CL | where Tokens > 0 | project User" }],
  watchlists: [{ alias: "Vips", columns: ["Upn"] }],
  trackTables: ["Chat_CL"],
};

describe("reachableTables", () => {
  it("lists the tables the queries name, directly or through the functions they call, and skips queries reaching every table", () => {
    expect(reachableTables(["ChatUsers | take 1", "SigninLogs | take 1", "search 'x'", "print SecurityEvent = 1"], ENVIRONMENT)).toEqual(["Chat_CL", "SecurityEvent", "SigninLogs"]);
  });
});

describe("createAnalyzer with shared tables", () => {
  // each query once through a shared global state (tables of every query) and once through its own tables only
  const queries = [
    "ChatUsers | join kind=inner (SigninLogs | project User = UserPrincipalName) on User",
    "ChatUsers | summarize count() by User",
    "Chat_CL | where Nope == 1",
    "SigninLogs | where UserPrincipalName in ((_GetWatchlist('Vips') | project Upn)) | project UserPrincipalName",
    "AuditLogs | project OperationName",
    "search 'x' | take 1",
  ];
  const own = createAnalyzer(ENVIRONMENT);

  it("gives every query the analysis its own tables give", () => {
    const shared = createAnalyzer(ENVIRONMENT, reachableTables(queries.slice(0, 4), ENVIRONMENT));
    // AuditLogs is outside the shared tables: that query gets globals of its own
    expect(queries.map((q) => shared(q))).toEqual(queries.map((q) => own(q)));
  });

  it("analyses a query reaching beyond the shared tables against its own, and tracks the columns it reads", () => {
    const shared = createAnalyzer(ENVIRONMENT, ["Chat_CL"]);
    expect(shared("Nope_CL | take 1")).toEqual(own("Nope_CL | take 1"));
    expect(shared("Nope_CL | take 1")).toMatchObject({ ok: true, analysis: { diagnostics: [{ severity: "error" }] } });
    expect(shared("ChatUsers | take 1")).toMatchObject({ ok: true, analysis: { diagnostics: [], resultColumns: [{ name: "User", type: "string" }] } });
    expect(shared("Chat_CL | project User")).toMatchObject({ ok: true, analysis: { referencedColumns: [{ table: "Chat_CL", column: "User" }] } });
  });
});

describe("createAnalyzer with a query reaching every table", () => {
  // what `union *` matches must not depend on the other queries of the run
  it.each(["union * | take 1", "union withsource=Source * | project Source", "union isfuzzy=true *_CL, SigninLogs | take 1", "union kind=outer (AuditLogs), * | take 1"])(
    "analyses %s alike alone and in a run naming other tables",
    (query) => {
      const alone = createAnalyzer(ENVIRONMENT)(query);
      const inRun = createAnalyzer(ENVIRONMENT, reachableTables([query, "Chat_CL | take 1", "SigninLogs | take 1"], ENVIRONMENT))(query);
      expect(inRun).toEqual(alone);
    },
  );
});
