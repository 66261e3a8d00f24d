import { describe, expect, it } from "vitest";
import { toIsoDuration, isoMinutes } from "./duration.ts";
import { buildAlertRule } from "./alert-rule.ts";
import { buildParser, formatParameter } from "./saved-search.ts";
import { toCsv, buildWatchlist } from "./watchlist.ts";
import { buildWorkbook } from "./workbook.ts";
import { buildIngestion } from "./ingestion.ts";
import { deterministicGuid } from "./guid.ts";
import { markDescription, markedRepository, unmarkDescription } from "./marker.ts";
import { PLACEHOLDER_WORKSPACE } from "./workspace.ts";

const context = { target: PLACEHOLDER_WORKSPACE, repository: "repo" };
const at = () => ({ file: "x.yaml", start: { line: 3, col: 5 } });
const rule = { id: "6d7e3c52-1f7a-4b2b-9d0e-5b0c6e7a1f10", name: "R", description: "'quoted'\n", severity: "High", query: "T\n", queryFrequency: "1h", queryPeriod: "14d", triggerOperator: "gt", triggerThreshold: 0, tactics: ["Persistence"], relevantTechniques: ["T1078.004", "T1078", "T1098"], version: "1.2.3", kind: "Scheduled" };

describe("durations", () => {
  it.each([
    ["5m", "PT5M"],
    ["1h", "PT1H"],
    ["24h", "PT24H"],
    ["14d", "P14D"],
    ["PT1H30M", "PT1H30M"],
    ["pt10m", "PT10M"],
    ["1w", undefined],
    ["", undefined],
  ])("%j → %j", (text, iso) => expect(toIsoDuration(text)).toBe(iso));
  it.each([
    ["P1DT2H", 1560],
    ["PT90M", 90],
    ["X", undefined],
  ])("minutes of %j = %j", (iso, minutes) => expect(isoMinutes(iso)).toBe(minutes));
});

describe("alert rules", () => {
  it("maps the community YAML to the stable REST body", () => {
    const { resources, diagnostics } = buildAlertRule(rule, "r.yaml", at, context);
    expect(diagnostics).toEqual([]);
    expect(resources[0]).toMatchObject({ name: rule.id, apiVersion: "2025-09-01", resourceId: expect.stringMatching(/\/providers\/Microsoft\.SecurityInsights\/alertRules\/6d7e3c52/) });
    expect(resources[0]?.body).toMatchObject({
      kind: "Scheduled",
      properties: { displayName: "R", description: `quoted\n\n[managed-by: sentinel-content:repo@${rule.id}]`, enabled: true, queryFrequency: "PT1H", queryPeriod: "P14D", triggerOperator: "GreaterThan", suppressionDuration: "PT1H", suppressionEnabled: false, techniques: ["T1078", "T1098"], templateVersion: "1.2.3" },
    });
    expect((resources[0]?.body["properties"] as Record<string, unknown>)["subTechniques"]).toBeUndefined();
  });
  it("sends NRT rules at the preview api-version with parent techniques only (its NrtAlertRuleProperties has no subTechniques)", () => {
    const { resources } = buildAlertRule({ ...rule, kind: "NRT" }, "r.yaml", at, context);
    expect(resources[0]?.apiVersion).toBe("2023-02-01-preview");
    expect(resources[0]?.body["properties"]).toMatchObject({ techniques: ["T1078", "T1098"] });
    expect(resources[0]?.body["properties"]).not.toHaveProperty("subTechniques");
    expect(resources[0]?.body["properties"]).not.toHaveProperty("queryFrequency");
  });
  it("sends tactics in the API's exact casing", () => {
    const { resources, diagnostics } = buildAlertRule({ ...rule, tactics: ["defenseevasion", "COMMANDANDCONTROL"] }, "r.yaml", at, context);
    expect(diagnostics).toEqual([]);
    expect(resources[0]?.body["properties"]).toMatchObject({ tactics: ["DefenseEvasion", "CommandAndControl"] });
  });
  it.each([
    ["an unknown tactic", { tactics: ["Sabotage"] }, 'tactic "Sabotage"'],
    ["the IoTDevice entity type", { entityMappings: [{ entityType: "IoTDevice", fieldMappings: [{ identifier: "DeviceId", columnName: "D" }] }] }, 'entity type "IoTDevice"'],
    ["the SubTechniques alert property", { alertDetailsOverride: { alertDynamicProperties: [{ alertProperty: "SubTechniques", value: "S" }] } }, 'alert property "SubTechniques"'],
    ["IoTDevice in groupByEntities", { incidentConfiguration: { createIncident: true, groupingConfiguration: { enabled: true, reopenClosedIncident: false, lookbackDuration: "5h", matchingMethod: "Selected", groupByEntities: ["IoTDevice"] } } }, 'entity type "IoTDevice"'],
  ])("refuses %s, which the pinned api-version lacks (SC6009)", (_name, extra, quoted) => {
    for (const kind of ["Scheduled", "NRT"]) {
      const { resources, diagnostics } = buildAlertRule({ ...rule, kind, ...extra }, "r.yaml", at, context);
      expect(resources).toEqual([]);
      expect(diagnostics.map((d) => [d.code, d.message.slice(0, quoted.length)])).toEqual([["SC6009", quoted]]);
    }
  });
  it.each([
    [{ queryFrequency: "1 hour" }, "SC6001"],
    [{ triggerOperator: "gte" }, "SC6003"],
    [{ kind: "Fusion" }, "SC6004"],
  ])("rejects %j with %s and builds nothing", (patch, code) => {
    const { resources, diagnostics } = buildAlertRule({ ...rule, ...patch }, "r.yaml", at, context);
    expect(resources).toEqual([]);
    expect(diagnostics).toMatchObject([{ code, file: "x.yaml", line: 3, col: 5 }]);
  });
});

describe("markers", () => {
  it("round-trips the description marker and recognises only the exact repository", () => {
    const marked = markDescription("text\n", "repo", "r1");
    expect(unmarkDescription(marked)).toBe("text");
    expect(markedRepository("alert-rule", { properties: { description: marked } })).toBe("repo");
    expect(markedRepository("alert-rule", { properties: { description: "text [managed-by: someone]" } })).toBeUndefined();
    expect(markedRepository("table", { properties: {} })).toBeUndefined();
  });
});

describe("other resources", () => {
  it("parsers carry the function alias and parameters", () => {
    const { resources } = buildParser({ id: "p1", ParserName: "F", Parser: { Title: "T" }, ParserQuery: "X", ParserParams: [{ Name: "a", Type: "string", Default: "'x'" }, { Name: "b", Type: "int" }] }, "p.yaml", at, context);
    expect(resources[0]?.body["properties"]).toMatchObject({ functionAlias: "F", functionParameters: "a:string='x', b:int", category: "GenAI", query: "X" });
    expect(formatParameter({ Name: "t", Type: "datetime", Default: "datetime(null)" })).toBe("t:datetime=datetime(null)");
  });
  it("watchlists send RFC 4180 CSV and label its hash", () => {
    expect(toCsv(["A", "B"], [{ A: "x,y", B: 'say "hi"' }, { A: "z" }])).toBe('A,B\r\n"x,y","say ""hi"""\r\nz,\r\n');
    const { resources } = buildWatchlist({ id: "w", watchlistAlias: "Al", displayName: "D", itemsSearchKey: "A", columns: ["A"], items: [] }, "w.yaml", at, context);
    expect(resources[0]?.body["properties"]).toMatchObject({ rawContent: "A\r\n", itemsSearchKey: "A", labels: ["managed-by=sentinel-content:repo@al", expect.stringMatching(/^content-sha256=[0-9a-f]{16}$/)] });
  });
  it("workbooks get a deterministic GUID per workspace and serializedData from content", () => {
    const data = { id: "b7d3f1a9-4c62-4e85-9a0b-6f2e8d4c1a57", displayName: "W", content: { version: "Notebook/1.0", items: [] } };
    const one = buildWorkbook(data, "w.yaml", at, context).resources[0];
    const again = buildWorkbook(data, "w.yaml", at, context).resources[0];
    const other = buildWorkbook(data, "w.yaml", at, { ...context, target: { ...PLACEHOLDER_WORKSPACE, workspaceName: "other" } }).resources[0];
    expect(one?.name).toBe(again?.name);
    expect(one?.name).not.toBe(other?.name);
    expect(one?.name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(one?.body["properties"]).toMatchObject({ serializedData: '{"version":"Notebook/1.0","items":[]}', category: "sentinel", sourceId: expect.stringMatching(/\/workspaces\/workspace$/) });
    expect(deterministicGuid("a")).toBe(deterministicGuid("a"));
  });
  it("ingestion builds tables (API type names) and a Direct DCR; unsupported types are findings", () => {
    const data = { id: "i", name: "n", tables: [{ name: "X_CL", columns: [{ name: "TimeGenerated", type: "datetime" }, { name: "Ok", type: "bool" }] }], streams: [{ name: "Custom-In", columns: [{ name: "t", type: "datetime" }] }], dataFlows: [{ streams: ["Custom-In"], outputStream: "Custom-X_CL", transformKql: "source\n" }] };
    const { resources } = buildIngestion(data, "i.yaml", at, context);
    expect(resources.map((r) => r.kind)).toEqual(["table", "dcr"]);
    expect(resources[0]?.body).toMatchObject({ properties: { plan: "Analytics", schema: { columns: [{ type: "dateTime" }, { type: "boolean" }] } } });
    expect(resources[1]?.body).toMatchObject({ kind: "Direct", properties: { dataFlows: [{ destinations: ["workspace"], transformKql: "source" }], streamDeclarations: { "Custom-In": { columns: [{ name: "t", type: "datetime" }] } } } });
    const bad = buildIngestion({ ...data, streams: [{ name: "Custom-In", columns: [{ name: "g", type: "guid" }] }] }, "i.yaml", at, context);
    expect(bad.resources).toEqual([]);
    expect(bad.diagnostics.map((d) => d.code)).toEqual(["SC6002"]);
  });
});
