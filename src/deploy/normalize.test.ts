import { describe, expect, it } from "vitest";
import type { ResourceKind } from "../build/api-versions.ts";
import { diffBodies } from "./normalize.ts";

describe("normalised comparison", () => {
  it.each<[string, ResourceKind, Record<string, unknown>, Record<string, unknown>]>([
    ["read-only fields", "alert-rule", { kind: "Scheduled", properties: { query: "T" } }, { id: "/x", etag: "e", systemData: {}, kind: "Scheduled", properties: { query: "T", lastModifiedUtc: "2026-01-01" } }],
    ["service defaults of a rule", "alert-rule", { kind: "Scheduled", properties: { query: "T" } }, { kind: "Scheduled", properties: { query: "T", eventGroupingSettings: { aggregationKind: "SingleAlert" }, incidentConfiguration: { createIncident: true, groupingConfiguration: { enabled: false, reopenClosedIncident: false, lookbackDuration: "PT5H", matchingMethod: "AllEntities", groupByEntities: [] } }, alertDetailsOverride: { alertDynamicProperties: [] }, sentinelEntitiesMappings: null } }],
    ["equal durations written differently", "alert-rule", { properties: { queryPeriod: "PT24H" } }, { properties: { queryPeriod: "P1D" } }],
    ["set-like lists in another order", "alert-rule", { properties: { tactics: ["Impact", "Execution"] } }, { properties: { tactics: ["Execution", "Impact"] } }],
    ["key order and serializedData whitespace", "workbook", { properties: { serializedData: '{"a":1,"b":[2]}', sourceId: "/S/X" } }, { properties: { sourceId: "/s/x", serializedData: '{ "b": [2], "a": 1 }' } }],
    ["columns the service decorates", "table", { properties: { schema: { columns: [{ name: "T", type: "dateTime" }] } } }, { properties: { retentionInDays: 30, schema: { columns: [{ name: "T", type: "datetime", isDefaultDisplay: false, isHidden: false }], standardColumns: [{ name: "TenantId" }] } } }],
    ["the DCR destination's read-only workspaceId", "dcr", { properties: { destinations: { logAnalytics: [{ name: "workspace", workspaceResourceId: "/S/W" }] } } }, { properties: { immutableId: "dcr-1", destinations: { logAnalytics: [{ name: "workspace", workspaceResourceId: "/s/w", workspaceId: "guid" }] } } }],
    ["saved-search tags in another order", "hunting-query", { properties: { tags: [{ name: "b", value: "2" }, { name: "a", value: "1" }] } }, { properties: { tags: [{ name: "a", value: "1" }, { name: "b", value: "2" }] } }],
  ])("ignores %s", (_name, kind, desired, live) => {
    expect(diffBodies(kind, desired, live)).toEqual([]);
  });

  it.each<[string, ResourceKind, Record<string, unknown>, Record<string, unknown>, string[]]>([
    ["a changed threshold", "alert-rule", { properties: { triggerThreshold: 0 } }, { properties: { triggerThreshold: 5 } }, ["properties.triggerThreshold"]],
    ["an entity mapping added in the portal", "alert-rule", { properties: {} }, { properties: { entityMappings: [{ entityType: "IP" }] } }, ["properties.entityMappings"]],
    ["grouping switched on", "alert-rule", { properties: {} }, { properties: { incidentConfiguration: { groupingConfiguration: { enabled: true } } } }, ["properties.incidentConfiguration.groupingConfiguration.enabled"]],
    ["a removed marker tag", "workbook", { tags: { "managed-by": "x" } }, { tags: {} }, ["tags"]],
    ["a changed column type", "table", { properties: { schema: { columns: [{ name: "A", type: "string" }] } } }, { properties: { schema: { columns: [{ name: "A", type: "long" }] } } }, ["properties.schema.columns"]],
  ])("reports %s", (_name, kind, desired, live, paths) => {
    expect(diffBodies(kind, desired, live).map((c) => c.path)).toEqual(paths);
  });
});
