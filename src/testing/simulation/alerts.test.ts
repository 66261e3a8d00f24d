import { describe, expect, it } from "vitest";
import { buildAlerts, substitute } from "./alerts.ts";
import { settingsOf, tableOf } from "../test-helpers.ts";

const rows = tableOf([
  { Caller: "alice@contoso.com", IP: "10.0.0.1", Sev: "high", Tac: "InitialAccess, Bogus", Model: "gpt-4o" },
  { Caller: "bob@contoso.com", IP: "", Sev: "Low", Tac: "", Model: "gpt-4o" },
  { Caller: "alice@contoso.com", IP: "10.0.0.1", Sev: "Low", Tac: "", Model: "o3" },
]);

const rule = {
  name: "Key used",
  description: "static",
  severity: "Medium",
  tactics: ["Persistence"],
  relevantTechniques: ["T1078"],
  entityMappings: [
    { entityType: "Account", fieldMappings: [{ identifier: "FullName", columnName: "Caller" }] },
    { entityType: "IP", fieldMappings: [{ identifier: "Address", columnName: "IP" }] },
  ],
  customDetails: { Model: "Model", Missing: "NoSuchColumn" },
  alertDetailsOverride: {
    alertDisplayNameFormat: "Key used by {{Caller}} from {{ IP }}",
    alertDescriptionFormat: "{{Unknown}} stays",
    alertSeverityColumnName: "Sev",
    alertTacticsColumnName: "Tac",
  },
};

describe("buildAlerts", () => {
  it("SingleAlert: one alert, overrides from the first row, entities and details over all rows", () => {
    const alerts = buildAlerts(settingsOf(rule), rows);
    expect(alerts).toEqual([
      {
        displayName: "Key used by alice@contoso.com from 10.0.0.1",
        description: "{{Unknown}} stays",
        severity: "High",
        tactics: ["InitialAccess"],
        techniques: ["T1078"],
        entities: [
          { type: "Account", identifiers: { FullName: "alice@contoso.com" } },
          { type: "IP", identifiers: { Address: "10.0.0.1" } },
          { type: "Account", identifiers: { FullName: "bob@contoso.com" } },
        ],
        customDetails: { Model: ["gpt-4o", "o3"], Missing: [] },
        grouping: "SingleAlert",
        events: 3,
      },
    ]);
  });

  it("AlertPerResult: one alert per row, each from its own row (all-empty entities dropped)", () => {
    const alerts = buildAlerts(settingsOf({ ...rule, eventGroupingSettings: { aggregationKind: "AlertPerResult" } }), rows);
    expect(alerts.map((a) => [a.displayName, a.severity, a.tactics, a.entities.length, a.customDetails.Model])).toEqual([
      ["Key used by alice@contoso.com from 10.0.0.1", "High", ["InitialAccess"], 2, ["gpt-4o"]],
      ["Key used by bob@contoso.com from ", "Low", ["Persistence"], 1, ["gpt-4o"]],
      ["Key used by alice@contoso.com from 10.0.0.1", "Low", ["Persistence"], 2, ["o3"]],
    ]);
  });

  it("AlertPerResult over 150 rows: 149 row alerts and a 150th summarizing all rows", () => {
    const many = tableOf(Array.from({ length: 200 }, (_, i) => ({ Caller: `u${i}`, IP: "", Sev: "", Tac: "", Model: "m" })));
    const alerts = buildAlerts(settingsOf({ ...rule, eventGroupingSettings: { aggregationKind: "AlertPerResult" } }), many);
    expect(alerts).toHaveLength(150);
    expect(alerts[148]).toMatchObject({ grouping: "AlertPerResult", events: 1, displayName: "Key used by u148 from " });
    expect(alerts[149]).toMatchObject({ grouping: "AlertPerResultSummary", events: 200, displayName: "Key used by u0 from " });
    expect(alerts[149]?.entities).toHaveLength(200);
  });

  it("falls back to the rule severity when the severity column holds no severity name", () => {
    const table = tableOf([{ Caller: "a", IP: "", Sev: "urgent", Tac: "", Model: "" }]);
    expect(buildAlerts(settingsOf(rule), table)[0]?.severity).toBe("Medium");
  });

  it("raises one alert with the rule's own texts when a run triggers without rows", () => {
    const alerts = buildAlerts(settingsOf({ name: "Silence", description: "no heartbeat", triggerOperator: "eq", eventGroupingSettings: { aggregationKind: "AlertPerResult" } }), tableOf([], ["A"]));
    expect(alerts).toEqual([expect.objectContaining({ displayName: "Silence", description: "no heartbeat", events: 0, entities: [] })]);
  });

  it("reads dynamic properties from the first row", () => {
    const alerts = buildAlerts(settingsOf({ alertDetailsOverride: { alertDynamicProperties: [{ alertProperty: "ProductName", value: "Model" }] } }), rows);
    expect(alerts[0]?.dynamicProperties).toEqual({ ProductName: "gpt-4o" });
  });
});

describe("substitute", () => {
  it.each([
    ["{{Caller}}", "alice@contoso.com"],
    ["{{Caller}}/{{Model}}", "alice@contoso.com/gpt-4o"],
    ["no placeholders", "no placeholders"],
    ["{{Nope}}", "{{Nope}}"],
  ])("%s", (format, expected) => {
    expect(substitute(format, rows)).toBe(expected);
  });
  it("prints null as an empty string and dynamic values as JSON", () => {
    expect(substitute("[{{A}}] {{B}}", tableOf([{ A: null, B: { k: [1] } }]))).toBe('[] {"k":[1]}');
  });
});
