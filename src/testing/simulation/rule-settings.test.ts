import { describe, expect, it } from "vitest";
import { readRuleSettings, triggers, type TriggerOperator } from "./rule-settings.ts";

const base = { name: "R", severity: "High", queryFrequency: "1h", queryPeriod: "2h", triggerOperator: "gt", triggerThreshold: 0 };

describe("readRuleSettings", () => {
  it("reads the Azure-Sentinel YAML spellings", () => {
    const { settings } = readRuleSettings({
      ...base,
      relevantTechniques: ["T1078"],
      tactics: ["InitialAccess"],
      suppressionEnabled: true,
      suppressionDuration: "5h",
      eventGroupingSettings: { aggregationKind: "AlertPerResult" },
      incidentConfiguration: { createIncident: true, groupingConfiguration: { enabled: true, lookbackDuration: "PT5H", matchingMethod: "Selected", groupByEntities: ["IP"] } },
      alertDetailsOverride: { alertDisplayNameFormat: "x {{A}}", alertSeverityColumnName: "Sev" },
    });
    expect(settings).toMatchObject({
      kind: "Scheduled",
      queryFrequencyMs: 3_600_000,
      queryPeriodMs: 7_200_000,
      triggerOperator: "gt",
      suppressionEnabled: true,
      suppressionMs: 5 * 3_600_000,
      aggregationKind: "AlertPerResult",
      techniques: ["T1078"],
      displayNameFormat: "x {{A}}",
      severityColumn: "Sev",
      grouping: { lookbackMs: 5 * 3_600_000, matchingMethod: "Selected", groupByEntities: ["IP"] },
    });
  });

  it("accepts REST spellings of operators", () => {
    expect(readRuleSettings({ ...base, triggerOperator: "GreaterThan" }).settings?.triggerOperator).toBe("gt");
    expect(readRuleSettings({ ...base, triggerOperator: "NotEqual" }).settings?.triggerOperator).toBe("ne");
  });

  it("gives NRT rules a one-minute cadence and a > 0 trigger", () => {
    expect(readRuleSettings({ kind: "NRT", name: "n", severity: "Low" }).settings).toMatchObject({ kind: "NRT", queryFrequencyMs: 60_000, triggerOperator: "gt", triggerThreshold: 0 });
  });

  it("ignores disabled grouping and defaults createIncident to true", () => {
    const { settings } = readRuleSettings({ ...base, incidentConfiguration: { groupingConfiguration: { enabled: false } } });
    expect(settings?.grouping).toBeUndefined();
    expect(settings?.createIncident).toBe(true);
  });

  it.each([
    [{ queryFrequency: "often" }, "queryFrequency"],
    [{ queryPeriod: 5 }, "queryPeriod"],
    [{ triggerOperator: "gte" }, "triggerOperator"],
    [{ triggerThreshold: "many" }, "triggerThreshold"],
    [{ suppressionDuration: "soon" }, "suppressionDuration"],
    [{ incidentConfiguration: { groupingConfiguration: { enabled: true, lookbackDuration: "x" } } }, "incidentConfiguration"],
    [{ incidentConfiguration: { groupingConfiguration: { enabled: true, lookbackDuration: "1h", matchingMethod: "Some" } } }, "incidentConfiguration"],
  ])("reports %j", (patch, key) => {
    const result = readRuleSettings({ ...base, ...patch });
    expect(result.settings).toBeUndefined();
    expect(result.problems.map((p) => p.key)).toContain(key);
  });
});

describe("triggers", () => {
  it.each([
    ["gt", 0, 0, false],
    ["gt", 0, 1, true],
    ["gt", 5, 5, false],
    ["lt", 1, 0, true],
    ["lt", 1, 1, false],
    ["eq", 2, 2, true],
    ["eq", 2, 3, false],
    ["ne", 0, 0, false],
    ["ne", 0, 4, true],
  ] as [TriggerOperator, number, number, boolean][])("%s %d with %d rows → %s", (op, threshold, count, expected) => {
    expect(triggers({ triggerOperator: op, triggerThreshold: threshold }, count)).toBe(expected);
  });
});
