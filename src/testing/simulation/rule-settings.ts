import { assertNever } from "../../diagnostics/index.ts";
import { parseDuration } from "../../content/duration.ts";
import { isRecord } from "../../content/record.ts";

/** How Sentinel compares the result row count with the threshold. */
export type TriggerOperator = "gt" | "lt" | "eq" | "ne";

/** How a run's result rows become alerts. */
export type AggregationKind = "SingleAlert" | "AlertPerResult";

/** How alerts join incidents. */
export type MatchingMethod = "AllEntities" | "AnyAlert" | "Selected";

/** One entity mapping: an entity type and its identifiers read from result columns. */
export interface EntityMapping {
  entityType: string;
  fieldMappings: { identifier: string; columnName: string }[];
}

/** Incident grouping (incidentConfiguration.groupingConfiguration). */
export interface GroupingSettings {
  enabled: boolean;
  lookbackMs: number;
  matchingMethod: MatchingMethod;
  groupByEntities: string[];
  groupByAlertDetails: string[];
  groupByCustomDetails: string[];
}

/** The fields of an analytic rule that decide what Sentinel does with its query results. */
export interface RuleSettings {
  kind: "Scheduled" | "NRT";
  name: string;
  description: string;
  severity: string;
  tactics: string[];
  techniques: string[];
  queryFrequencyMs: number;
  queryPeriodMs: number;
  triggerOperator: TriggerOperator;
  triggerThreshold: number;
  suppressionEnabled: boolean;
  suppressionMs: number;
  aggregationKind: AggregationKind;
  entityMappings: EntityMapping[];
  customDetails: Record<string, string>;
  displayNameFormat?: string;
  descriptionFormat?: string;
  severityColumn?: string;
  tacticsColumn?: string;
  dynamicProperties: { alertProperty: string; value: string }[];
  createIncident: boolean;
  grouping?: GroupingSettings;
}

/** The settings of a rule, or the problems that stop the harness from simulating it (each naming the key). */
export type RuleSettingsResult = { settings: RuleSettings; problems: [] } | { settings?: undefined; problems: { key: string; message: string }[] };

const OPERATORS: Record<string, TriggerOperator> = {
  gt: "gt",
  greaterthan: "gt",
  lt: "lt",
  lessthan: "lt",
  eq: "eq",
  equal: "eq",
  ne: "ne",
  notequal: "ne",
};

type Doc = Record<string, unknown>;

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function text(value: unknown, fallback = ""): string {
  return typeof value === "string" ? value : fallback;
}

/** Reads the scheduling and alert-shaping fields of an analytic rule (Azure-Sentinel YAML, REST spellings accepted). */
export function readRuleSettings(rule: Doc): RuleSettingsResult {
  const problems: { key: string; message: string }[] = [];
  const kind = text(rule.kind, "Scheduled").toLowerCase() === "nrt" ? "NRT" : "Scheduled";
  const frequency = kind === "NRT" ? 60_000 : parseDuration(rule.queryFrequency);
  const period = kind === "NRT" ? 60_000 : parseDuration(rule.queryPeriod);
  if (frequency === undefined) problems.push({ key: "queryFrequency", message: `queryFrequency ${JSON.stringify(rule.queryFrequency)} is not a duration` });
  if (period === undefined) problems.push({ key: "queryPeriod", message: `queryPeriod ${JSON.stringify(rule.queryPeriod)} is not a duration` });
  const operator = kind === "NRT" ? "gt" : OPERATORS[text(rule.triggerOperator, "gt").toLowerCase()];
  if (operator === undefined) problems.push({ key: "triggerOperator", message: `triggerOperator ${JSON.stringify(rule.triggerOperator)} is not gt, lt, eq or ne` });
  const threshold = kind === "NRT" ? 0 : rule.triggerThreshold === undefined ? 0 : Number(rule.triggerThreshold);
  if (!Number.isFinite(threshold)) problems.push({ key: "triggerThreshold", message: `triggerThreshold ${JSON.stringify(rule.triggerThreshold)} is not a number` });
  const suppressionEnabled = rule.suppressionEnabled === true;
  const suppression = rule.suppressionDuration === undefined ? 0 : parseDuration(rule.suppressionDuration);
  if (suppression === undefined) problems.push({ key: "suppressionDuration", message: `suppressionDuration ${JSON.stringify(rule.suppressionDuration)} is not a duration` });
  const grouping = readGrouping(rule.incidentConfiguration, problems);
  if (problems.length > 0 || frequency === undefined || period === undefined || operator === undefined || suppression === undefined) {
    return { problems };
  }
  const override = isRecord(rule.alertDetailsOverride) ? rule.alertDetailsOverride : {};
  const eventGrouping = isRecord(rule.eventGroupingSettings) ? rule.eventGroupingSettings : {};
  const incident = isRecord(rule.incidentConfiguration) ? rule.incidentConfiguration : {};
  const settings: RuleSettings = {
    kind,
    name: text(rule.name, text(rule.displayName)),
    description: text(rule.description),
    severity: text(rule.severity),
    tactics: strings(rule.tactics),
    techniques: strings(rule.relevantTechniques ?? rule.techniques),
    queryFrequencyMs: frequency,
    queryPeriodMs: period,
    triggerOperator: operator,
    triggerThreshold: threshold,
    suppressionEnabled,
    suppressionMs: suppression,
    aggregationKind: eventGrouping.aggregationKind === "AlertPerResult" ? "AlertPerResult" : "SingleAlert",
    entityMappings: readEntityMappings(rule.entityMappings),
    customDetails: readCustomDetails(rule.customDetails),
    dynamicProperties: readDynamicProperties(override.alertDynamicProperties),
    createIncident: incident.createIncident !== false,
  };
  if (typeof override.alertDisplayNameFormat === "string") settings.displayNameFormat = override.alertDisplayNameFormat;
  if (typeof override.alertDescriptionFormat === "string") settings.descriptionFormat = override.alertDescriptionFormat;
  if (typeof override.alertSeverityColumnName === "string") settings.severityColumn = override.alertSeverityColumnName;
  if (typeof override.alertTacticsColumnName === "string") settings.tacticsColumn = override.alertTacticsColumnName;
  if (grouping) settings.grouping = grouping;
  return { settings, problems: [] };
}

function readEntityMappings(value: unknown): EntityMapping[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((mapping) => ({
    entityType: text(mapping.entityType),
    fieldMappings: (Array.isArray(mapping.fieldMappings) ? mapping.fieldMappings : [])
      .filter(isRecord)
      .map((field) => ({ identifier: text(field.identifier), columnName: text(field.columnName) })),
  }));
}

function readCustomDetails(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  const details: Record<string, string> = {};
  for (const [key, column] of Object.entries(value)) if (typeof column === "string") details[key] = column;
  return details;
}

function readDynamicProperties(value: unknown): { alertProperty: string; value: string }[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((p) => ({ alertProperty: text(p.alertProperty), value: text(p.value) }));
}

function readGrouping(value: unknown, problems: { key: string; message: string }[]): GroupingSettings | undefined {
  if (!isRecord(value) || !isRecord(value.groupingConfiguration)) return undefined;
  const grouping = value.groupingConfiguration;
  if (grouping.enabled !== true) return undefined;
  const lookback = parseDuration(grouping.lookbackDuration);
  if (lookback === undefined) {
    problems.push({ key: "incidentConfiguration", message: `lookbackDuration ${JSON.stringify(grouping.lookbackDuration)} is not a duration` });
    return undefined;
  }
  const method = text(grouping.matchingMethod, "AllEntities");
  if (method !== "AllEntities" && method !== "AnyAlert" && method !== "Selected") {
    problems.push({ key: "incidentConfiguration", message: `matchingMethod ${JSON.stringify(method)} is not AllEntities, AnyAlert or Selected` });
    return undefined;
  }
  return {
    enabled: true,
    lookbackMs: lookback,
    matchingMethod: method,
    groupByEntities: strings(grouping.groupByEntities),
    groupByAlertDetails: strings(grouping.groupByAlertDetails),
    groupByCustomDetails: strings(grouping.groupByCustomDetails),
  };
}

/** True when `count` result rows satisfy the rule's trigger condition. */
export function triggers(settings: Pick<RuleSettings, "triggerOperator" | "triggerThreshold">, count: number): boolean {
  switch (settings.triggerOperator) {
    case "gt":
      return count > settings.triggerThreshold;
    case "lt":
      return count < settings.triggerThreshold;
    case "eq":
      return count === settings.triggerThreshold;
    case "ne":
      return count !== settings.triggerThreshold;
    default:
      return assertNever(settings.triggerOperator, "trigger operator");
  }
}
