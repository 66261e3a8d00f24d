import { describe, expect, it } from "vitest";
import { analyzeQuery, buildGlobals, isKqlScalarType, loadBundledFunctions, loadBundledTables, type TableSchema } from "./index.ts";

const activity: TableSchema = {
  name: "AzureActivity",
  columns: [
    { name: "TimeGenerated", type: "datetime" },
    { name: "Caller", type: "string" },
    { name: "CallerIpAddress", type: "string" },
  ],
};
const globals = buildGlobals({
  tables: [activity],
  functions: [
    {
      name: "GenAI_Calls",
      parameters: [{ name: "starttime", type: "datetime", default: "datetime(null)" }],
      body: "AzureActivity | where isnull(starttime) or TimeGenerated >= starttime | project TimeGenerated, Who = Caller",
    },
  ],
  watchlists: [{ alias: "CorporateEgressRanges", columns: ["Cidr", "Description"] }],
});

describe("loadBundledTables", () => {
  const tables = loadBundledTables();
  it("has the Cognitive Services columns of AzureDiagnostics", () => {
    const names = tables.get("AzureDiagnostics")?.columns.map((c) => c.name) ?? [];
    expect(names).toEqual(expect.arrayContaining(["properties_s", "event_s", "Tenant_s", "location_s", "CallerIPAddress", "_ResourceId"]));
  });
  it.each(["OpenAIAuditLogs_CL", "AzureActivity", "SigninLogs", "CopilotActivity", "ASimDnsActivityLogs"])("bundles %s", (name) => {
    expect(tables.get(name)?.columns.length).toBeGreaterThan(3);
  });
  it("uses only KQL scalar type names", () => {
    const bad = [...tables.values()].flatMap((t) => t.columns.filter((c) => !isKqlScalarType(c.type)).map((c) => `${t.name}.${c.name}`));
    expect(bad).toEqual([]);
  });
  it("keeps functions apart from tables", () => {
    expect(tables.has("_GetWatchlist")).toBe(false);
    expect(loadBundledFunctions().get("_Im_Dns")?.columns.length).toBeGreaterThan(10);
  });
});

describe("analyzeQuery", () => {
  it("returns the result columns of a valid query", () => {
    const result = analyzeQuery("AzureActivity | summarize Count = count() by Caller", globals);
    expect(result.diagnostics).toEqual([]);
    expect(result.resultColumns).toEqual([
      { name: "Caller", type: "string" },
      { name: "Count", type: "long" },
    ]);
  });
  it("reports an unknown column with its offset", () => {
    const query = "AzureActivity\n| where CallerIPAddress == '1.2.3.4'";
    const [d] = analyzeQuery(query, globals).diagnostics;
    expect(d).toMatchObject({ code: "KS142", severity: "error", start: query.indexOf("CallerIPAddress"), length: 15 });
  });
  it("reports a syntax error", () => {
    const d = analyzeQuery("AzureActivity | summarize count( by Caller", globals).diagnostics;
    expect(d.some((x) => x.severity === "error" && /Expected/.test(x.message))).toBe(true);
  });
  it("reports an unknown table", () => {
    expect(analyzeQuery("NoSuchTable | take 1", globals).diagnostics.map((d) => d.code)).toEqual(["KS204"]);
  });
  it("calls saved functions with their result schema", () => {
    const result = analyzeQuery("GenAI_Calls(ago(1d)) | project Who", globals);
    expect(result.diagnostics).toEqual([]);
    expect(result.resultColumns).toEqual([{ name: "Who", type: "string" }]);
    expect(analyzeQuery("GenAI_Calls() | project Caller", globals).diagnostics.map((d) => d.code)).toEqual(["KS142"]);
  });
  it("types _GetWatchlist by the watchlist's columns", () => {
    const known = analyzeQuery("_GetWatchlist('CorporateEgressRanges') | project SearchKey, Cidr, Description", globals);
    expect(known.diagnostics).toEqual([]);
    expect(known.resultColumns?.map((c) => c.name)).toEqual(["SearchKey", "Cidr", "Description"]);
    expect(analyzeQuery("_GetWatchlist('CorporateEgressRanges') | project Nope", globals).diagnostics.map((d) => d.code)).toEqual(["KS142"]);
  });
  it("leaves the columns of an unknown watchlist unchecked", () => {
    expect(analyzeQuery("_GetWatchlist('Elsewhere') | project SearchKey, Anything", globals).diagnostics).toEqual([]);
  });
  it("knows the bundled ASIM functions", () => {
    const result = analyzeQuery("_Im_Dns(starttime=ago(1h)) | project SrcIpAddr", globals);
    expect(result.diagnostics).toEqual([]);
  });
  it("gives no result columns when the query ends in a let statement", () => {
    expect(analyzeQuery("let x = 1;", globals).resultColumns).toBeUndefined();
  });
});

describe("engine-aligned built-in functions", () => {
  const audit: TableSchema = { name: "AuditLogs", columns: [{ name: "TargetResources", type: "dynamic" }] };
  const g = buildGlobals({ tables: [audit] });
  it.each([
    ["column_ifexists keeps an existing column's type", "AuditLogs | extend T = column_ifexists('TargetResources', '') | project T", "dynamic"],
    ["column_ifexists falls back to the default's type", "AuditLogs | extend T = column_ifexists('Nope', 1) | project T", "long"],
    ["todynamic accepts a dynamic value", "AuditLogs | extend T = todynamic(TargetResources) | project T", "dynamic"],
    ["parse_json accepts a string", "AuditLogs | extend T = parse_json('{}') | project T", "dynamic"],
    ["mv-expand todynamic(x) still names its column after x", "AuditLogs | extend T = tostring(TargetResources) | mv-expand todynamic(T) | where T['a'] == 1 | project T", "dynamic"],
  ])("%s", (_name, query, type) => {
    const result = analyzeQuery(query, g);
    expect(result.diagnostics).toEqual([]);
    expect(result.resultColumns).toEqual([{ name: "T", type }]);
  });
  it("still requires column_ifexists' two arguments", () => {
    expect(analyzeQuery("AuditLogs | extend T = column_ifexists('TargetResources')", g).diagnostics.map((d) => d.code)).toEqual(["KS119"]);
  });
});
