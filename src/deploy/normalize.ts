import type { ResourceKind } from "../build/api-versions.ts";
import { canonicalJson } from "../build/canonical-json.ts";
import { isoMinutes, isoOfMinutes } from "../build/duration.ts";
import { isRecord } from "../content/record.ts";
import { assertNever } from "../diagnostics/index.ts";

/** A resource body flattened to `path → canonical JSON value`, only over the fields deploy manages. */
export type Flat = Map<string, string>;

interface KindSpec {
  /** Paths (prefixes) compared; anything else (id, etag, systemData, lastModifiedUtc, provisioningState, ...) is read-only or not ours. */
  fields: readonly string[];
  /** Live values equal to these count as absent (what the service fills in when a field is not sent). */
  defaults?: Readonly<Record<string, string>>;
  /** Compared only when the repository sets them (the service picks a value we cannot know). */
  ignoreIfAbsent?: readonly string[];
  /** Arrays compared as sets (sorted). */
  sets?: readonly string[];
  /** Paths the service returns in another form than we send, each with the canonical form both are brought to. */
  canonical?: Readonly<Record<string, (value: unknown) => string>>;
}

/** Hunting queries and parsers are both saved searches. */
const SAVED_SEARCH: KindSpec = {
  fields: ["properties.category", "properties.displayName", "properties.query", "properties.version", "properties.tags", "properties.functionAlias", "properties.functionParameters"],
  canonical: { "properties.tags": (value) => canonicalJson(Array.isArray(value) ? [...value].sort((a, b) => String(a?.name).localeCompare(String(b?.name))) : value) },
};

const SPECS: Record<ResourceKind, KindSpec> = {
  "alert-rule": {
    fields: ["kind", "properties.displayName", "properties.description", "properties.severity", "properties.enabled", "properties.query", "properties.queryFrequency", "properties.queryPeriod", "properties.triggerOperator", "properties.triggerThreshold", "properties.suppressionDuration", "properties.suppressionEnabled", "properties.tactics", "properties.techniques", "properties.subTechniques", "properties.entityMappings", "properties.customDetails", "properties.alertDetailsOverride", "properties.eventGroupingSettings", "properties.incidentConfiguration", "properties.sentinelEntitiesMappings", "properties.templateVersion"],
    defaults: {
      "properties.eventGroupingSettings.aggregationKind": '"SingleAlert"',
      "properties.incidentConfiguration.createIncident": "true",
      "properties.incidentConfiguration.groupingConfiguration.enabled": "false",
      "properties.incidentConfiguration.groupingConfiguration.reopenClosedIncident": "false",
      "properties.incidentConfiguration.groupingConfiguration.lookbackDuration": '"PT5H"',
      "properties.incidentConfiguration.groupingConfiguration.matchingMethod": '"AllEntities"',
    },
    sets: ["properties.tactics", "properties.techniques", "properties.subTechniques", "properties.incidentConfiguration.groupingConfiguration.groupByEntities", "properties.incidentConfiguration.groupingConfiguration.groupByAlertDetails", "properties.incidentConfiguration.groupingConfiguration.groupByCustomDetails"],
  },
  "hunting-query": SAVED_SEARCH,
  parser: SAVED_SEARCH,
  watchlist: {
    fields: ["properties.displayName", "properties.provider", "properties.itemsSearchKey", "properties.watchlistAlias", "properties.description", "properties.labels"],
    sets: ["properties.labels"],
  },
  workbook: {
    fields: ["kind", "tags", "properties.displayName", "properties.serializedData", "properties.version", "properties.category", "properties.sourceId", "properties.description"],
    canonical: {
      "properties.serializedData": (value) => canonicalJson(typeof value === "string" ? safeParse(value) : value),
      "properties.sourceId": (value) => (typeof value === "string" ? JSON.stringify(value.toLowerCase()) : canonicalJson(value)),
    },
  },
  table: {
    fields: ["properties.plan", "properties.retentionInDays", "properties.totalRetentionInDays", "properties.schema.name", "properties.schema.description", "properties.schema.columns"],
    ignoreIfAbsent: ["properties.retentionInDays", "properties.totalRetentionInDays", "properties.plan"],
    // The service adds isDefaultDisplay, isHidden, dataTypeHint...; only name, type and description are ours.
    canonical: { "properties.schema.columns": (value) => canonicalJson(Array.isArray(value) ? value.map(ownColumn) : value) },
  },
  dcr: {
    fields: ["kind", "tags", "properties.description", "properties.streamDeclarations", "properties.destinations", "properties.dataFlows"],
    canonical: { "properties.destinations": (value) => canonicalJson(logAnalyticsDestinations(value)) },
  },
};

/** Alert-rule fields holding ISO 8601 durations (compared by length of time, not by spelling). */
export const DURATION_FIELDS: ReadonlySet<string> = new Set(["properties.queryFrequency", "properties.queryPeriod", "properties.suppressionDuration", "properties.incidentConfiguration.groupingConfiguration.lookbackDuration"]);
/** Objects kept whole (compared as one value) rather than split into paths. */
const WHOLE = new Set(["properties.customDetails", "properties.streamDeclarations", "properties.destinations", "tags"]);

/** Flattens a body (desired or live) over the kind's managed fields, dropping empty values and canonicalising. */
export function flatten(kind: ResourceKind, body: unknown): Flat {
  const spec = SPECS[kind];
  const out: Flat = new Map();
  const visit = (value: unknown, path: string) => {
    if (!managed(spec, path)) return;
    if (value === null || value === undefined || value === "") return;
    if (isRecord(value) && !WHOLE.has(path)) {
      for (const [key, child] of Object.entries(value)) visit(child, path ? `${path}.${key}` : key);
      return;
    }
    const canonical = canonicalValue(spec, path, value);
    if (canonical !== undefined) out.set(path, canonical);
  };
  visit(body, "");
  return out;
}

function managed(spec: KindSpec, path: string): boolean {
  return path === "" || spec.fields.some((f) => f === path || path.startsWith(`${f}.`) || f.startsWith(`${path}.`));
}

function canonicalValue(spec: KindSpec, path: string, value: unknown): string | undefined {
  if (Array.isArray(value) && value.length === 0) return undefined;
  if (isRecord(value) && Object.keys(value).length === 0) return undefined;
  if (DURATION_FIELDS.has(path) && typeof value === "string") {
    const minutes = isoMinutes(value);
    return JSON.stringify(minutes === undefined ? value : isoOfMinutes(minutes));
  }
  const canonical = spec.canonical?.[path];
  if (canonical) return canonical(value);
  if (Array.isArray(value) && (spec.sets ?? []).includes(path)) return canonicalJson([...value].map(String).sort());
  return canonicalJson(value);
}

/** A table column as we send it: name, lower-case type and description. */
function ownColumn(column: Record<string, unknown>): Record<string, unknown> {
  return { name: column["name"], type: String(column["type"] ?? "").toLowerCase(), description: column["description"] || undefined };
}

/** DCR destinations as sent: name and lower-cased workspace id (the service adds the read-only workspaceId). */
function logAnalyticsDestinations(value: unknown): unknown {
  const entries = isRecord(value) && Array.isArray(value["logAnalytics"]) ? (value["logAnalytics"] as Record<string, unknown>[]) : [];
  return { logAnalytics: entries.map((d) => ({ name: d["name"], workspaceResourceId: String(d["workspaceResourceId"] ?? "").toLowerCase() })) };
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** One field that differs between the repository and the workspace. */
export interface FieldChange {
  path: string;
  /** Canonical JSON in the repository (undefined: not set). */
  desired?: string;
  /** Canonical JSON in the workspace (undefined: not set). */
  live?: string;
}

/** The fields whose values differ, in path order, with the service's defaults and unknowable values ignored. */
export function diffBodies(kind: ResourceKind, desired: unknown, live: unknown): FieldChange[] {
  const spec = SPECS[kind];
  const want = flatten(kind, desired);
  const have = flatten(kind, live);
  const changes: FieldChange[] = [];
  for (const path of [...new Set([...want.keys(), ...have.keys()])].sort()) {
    const d = want.get(path);
    const l = have.get(path);
    if (d === l) continue;
    if (d === undefined && (spec.ignoreIfAbsent ?? []).includes(path)) continue;
    if (d === undefined && spec.defaults?.[path] === l) continue;
    if (l === undefined && spec.defaults?.[path] === d) continue;
    const change: FieldChange = { path };
    if (d !== undefined) change.desired = d;
    if (l !== undefined) change.live = l;
    changes.push(change);
  }
  return changes;
}

/** Kinds that are never deleted by prune (a table holds data; deleting it loses it). */
export function isPrunable(kind: ResourceKind): boolean {
  switch (kind) {
    case "table":
      return false;
    case "dcr":
    case "parser":
    case "watchlist":
    case "alert-rule":
    case "hunting-query":
    case "workbook":
      return true;
    default:
      return assertNever(kind, "resource kind");
  }
}
