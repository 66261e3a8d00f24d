import { NRT_ALERT_RULE_API_VERSION } from "./api-versions.ts";
import { toIsoDuration } from "./duration.ts";
import { markDescription } from "./marker.ts";
import { builtResource, type BuildContext, type BuildOutput, type Locator } from "./types.ts";
import { hasFailures, makeDiagnostic, type Diagnostic } from "../diagnostics/index.ts";
import { apiEnum } from "../checks/api-enums.ts";
import { asList as listOf, asRecord as recordOf } from "../checks/fields.ts";

const TRIGGER_OPERATORS: Record<string, string> = {
  gt: "GreaterThan",
  lt: "LessThan",
  eq: "Equal",
  ne: "NotEqual",
  greaterthan: "GreaterThan",
  lessthan: "LessThan",
  equal: "Equal",
  notequal: "NotEqual",
};

/** Community YAML writes durations and operators in short forms; this is the REST shape Microsoft's converter emits. */
export function buildAlertRule(data: Record<string, unknown>, file: string, at: Locator, context: BuildContext): BuildOutput {
  const diagnostics: Diagnostic[] = [];
  const id = String(data["id"] ?? "");
  const kind = String(data["kind"] ?? "Scheduled");
  if (kind !== "Scheduled" && kind !== "NRT") {
    diagnostics.push(makeDiagnostic("SC6004", at(["kind"]), `rule kind "${kind}" is not built; only Scheduled and NRT rules are`));
    return { resources: [], diagnostics };
  }
  const properties = ruleProperties(data, kind, at, diagnostics, context.repository);
  if (hasFailures(diagnostics)) return { resources: [], diagnostics };
  const resource = builtResource("alert-rule", id, context.target, {
    title: String(data["name"] ?? id),
    ...(kind === "NRT" ? { apiVersion: NRT_ALERT_RULE_API_VERSION } : {}),
    body: { kind, properties },
    source: { file, contentId: id },
  });
  return { resources: [resource], diagnostics };
}

/** The `properties` of an alertRules body (exported for the fidelity script, which compares it with Microsoft's). */
export function ruleProperties(
  data: Record<string, unknown>,
  kind: "Scheduled" | "NRT",
  at: Locator,
  diagnostics: Diagnostic[],
  repository: string | undefined,
): Record<string, unknown> {
  const description = cleanDescription(String(data["description"] ?? ""));
  const properties: Record<string, unknown> = {
    displayName: String(data["name"] ?? ""),
    description: repository === undefined ? description : markDescription(description, repository, String(data["id"] ?? "")),
    severity: data["severity"],
    enabled: data["enabled"] ?? true,
    query: data["query"],
  };
  if (kind === "Scheduled") {
    properties["queryFrequency"] = duration(data, ["queryFrequency"], at, diagnostics);
    properties["queryPeriod"] = duration(data, ["queryPeriod"], at, diagnostics);
    properties["triggerOperator"] = triggerOperator(data, at, diagnostics);
    properties["triggerThreshold"] = data["triggerThreshold"] ?? 0;
  }
  properties["suppressionDuration"] = data["suppressionDuration"] === undefined ? "PT1H" : duration(data, ["suppressionDuration"], at, diagnostics);
  properties["suppressionEnabled"] = data["suppressionEnabled"] ?? false;
  properties["tactics"] = tactics(data, kind, at, diagnostics);
  Object.assign(properties, techniques(data));
  copyIfPresent(data, properties, ["entityMappings", "customDetails", "alertDetailsOverride", "eventGroupingSettings"]);
  if (kind === "NRT") copyIfPresent(data, properties, ["sentinelEntitiesMappings"]);
  else if (data["sentinelEntitiesMappings"] !== undefined) {
    diagnostics.push(makeDiagnostic("SC6006", at(["sentinelEntitiesMappings"]), "sentinelEntitiesMappings is not part of the stable alertRules api-version and is not sent"));
  }
  diagnostics.push(...valuesOutsideApi(data, kind, at));
  const incident = incidentConfiguration(data, at, diagnostics);
  if (incident) properties["incidentConfiguration"] = incident;
  const version = data["version"];
  if (typeof version === "string" && /^\d+\.\d+\.\d+$/.test(version)) properties["templateVersion"] = version;
  return properties;
}

/** Microsoft's converter trims descriptions and drops the single quotes many community rules wrap them in. */
export function cleanDescription(text: string): string {
  const trimmed = text.trim();
  return trimmed.length >= 2 && trimmed.startsWith("'") && trimmed.endsWith("'") ? trimmed.slice(1, -1) : trimmed;
}

function duration(data: Record<string, unknown>, path: string[], at: Locator, diagnostics: Diagnostic[]): string | undefined {
  const value = readPath(data, path);
  if (value === undefined) return undefined;
  const iso = toIsoDuration(String(value));
  if (iso === undefined) diagnostics.push(makeDiagnostic("SC6001", at(path), `"${String(value)}" is not a duration such as 5m, 1h or 14d`));
  return iso;
}

function triggerOperator(data: Record<string, unknown>, at: Locator, diagnostics: Diagnostic[]): string | undefined {
  const value = String(data["triggerOperator"] ?? "gt");
  const mapped = TRIGGER_OPERATORS[value.toLowerCase()];
  if (!mapped) diagnostics.push(makeDiagnostic("SC6003", at(["triggerOperator"]), `triggerOperator "${value}" is not gt, lt, eq or ne`));
  return mapped;
}

/**
 * Both pinned alertRules api-versions take parent techniques only (T1078): `subTechniques` is in neither
 * ScheduledAlertRuleProperties (2025-09-01) nor NrtAlertRuleProperties (2023-02-01-preview), so sub-techniques
 * (T1078.004) are sent as their parent.
 */
function techniques(data: Record<string, unknown>): Record<string, string[]> {
  const all = [...stringList(data["relevantTechniques"]), ...stringList(data["techniques"]), ...stringList(data["subTechniques"])];
  if (all.length === 0) return {};
  return { techniques: [...new Set(all.map((t) => t.split(".")[0] as string))] };
}

/** Tactics in the exact spelling of the api-version's AttackTactic enum (Sentinel YAML often differs in case); unknown ones are SC6009. */
function tactics(data: Record<string, unknown>, kind: "Scheduled" | "NRT", at: Locator, diagnostics: Diagnostic[]): string[] {
  const allowed = apiEnum(kind, "AttackTactic");
  const list = Array.isArray(data["tactics"]) ? (data["tactics"] as unknown[]) : [];
  return list.flatMap((value, index) => {
    if (typeof value !== "string") return [];
    const exact = allowed.find((t) => t.toLowerCase() === value.toLowerCase());
    if (!exact) diagnostics.push(makeDiagnostic("SC6009", at(["tactics", index]), `tactic "${value}" is not an AttackTactic of the ${kind} rule's api-version`));
    return exact ? [exact] : [];
  });
}

/** Entity types and alert properties the api-version's enums lack (IoTDevice, SubTechniques): the API would refuse the body. */
function valuesOutsideApi(data: Record<string, unknown>, kind: "Scheduled" | "NRT", at: Locator): Diagnostic[] {
  const entityTypes = apiEnum(kind, "EntityMappingType");
  const alertProperties = apiEnum(kind, "AlertProperty");
  const refuse = (path: (string | number)[], value: unknown, allowed: readonly string[], what: string): Diagnostic[] =>
    typeof value !== "string" || allowed.includes(value) ? [] : [makeDiagnostic("SC6009", at(path), `${what} "${value}" is not a value of the ${kind} rule's api-version`)];
  const entities = listOf(data["entityMappings"]).flatMap((m, i) => refuse(["entityMappings", i, "entityType"], recordOf(m)["entityType"], entityTypes, "entity type"));
  const grouping = recordOf(recordOf(data["incidentConfiguration"])["groupingConfiguration"]);
  const groupBy = listOf(grouping["groupByEntities"]).flatMap((v, i) => refuse(["incidentConfiguration", "groupingConfiguration", "groupByEntities", i], v, entityTypes, "entity type"));
  const dynamic = listOf(recordOf(data["alertDetailsOverride"])["alertDynamicProperties"]).flatMap((p, i) =>
    refuse(["alertDetailsOverride", "alertDynamicProperties", i, "alertProperty"], recordOf(p)["alertProperty"], alertProperties, "alert property"),
  );
  return [...entities, ...groupBy, ...dynamic];
}

function incidentConfiguration(data: Record<string, unknown>, at: Locator, diagnostics: Diagnostic[]): Record<string, unknown> | undefined {
  const source = data["incidentConfiguration"];
  if (source === undefined || source === null || typeof source !== "object") return undefined;
  const config = structuredClone(source) as Record<string, unknown>;
  const grouping = config["groupingConfiguration"] as Record<string, unknown> | undefined;
  if (grouping && grouping["lookbackDuration"] !== undefined) {
    grouping["lookbackDuration"] = duration(data, ["incidentConfiguration", "groupingConfiguration", "lookbackDuration"], at, diagnostics);
  }
  // Like Microsoft's converter, leave out empty grouping lists (the API reads absent as empty).
  if (grouping) for (const key of Object.keys(grouping)) if (grouping[key] === null || (Array.isArray(grouping[key]) && (grouping[key] as unknown[]).length === 0)) delete grouping[key];
  return config;
}

function copyIfPresent(from: Record<string, unknown>, to: Record<string, unknown>, keys: string[]): void {
  for (const key of keys) if (from[key] !== undefined && from[key] !== null) to[key] = structuredClone(from[key]);
}

/** The strings of a YAML list (anything else: empty). */
export function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function readPath(data: Record<string, unknown>, path: string[]): unknown {
  let node: unknown = data;
  for (const key of path) node = node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined;
  return node;
}
