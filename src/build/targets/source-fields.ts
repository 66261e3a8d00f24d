import { cleanDescription } from "../alert-rule.ts";
import type { ResourceKind } from "../api-versions.ts";

/** The key of the resource-level `metadata` entry (ARM ignores resource metadata) that carries source-only fields. */
export const SOURCE_METADATA_KEY = "sentinel-content";

/**
 * YAML fields a kind's REST body has no place for (or that the build normalises), carried in the templates'
 * resource metadata so `import arm` gives back the YAML they were built from.
 */
export const SOURCE_ONLY_FIELDS: Record<ResourceKind, readonly string[]> = {
  "alert-rule": ["requiredDataConnectors", "status", "tags", "metadata", "alertRuleTemplateName", "x-genai"],
  "hunting-query": ["requiredDataConnectors", "severity", "entityMappings", "tags", "version", "metadata", "x-genai"],
  parser: ["Parser", "Product", "Description"],
  watchlist: ["id", "columns"],
  workbook: [],
  table: [],
  dcr: [],
};

/**
 * The source-only fields of an item, plus the fields the build normalises in a way the body cannot undo: the
 * description as written (quotes and whitespace trimmed), sub-techniques and empty lists the stable api-version
 * drops, empty incident grouping lists (left out, as Microsoft's converter does), sentinelEntitiesMappings on
 * Scheduled rules (not sent), suppression settings written out at their defaults, watchlist descriptions with
 * surrounding whitespace. Undefined when there are none.
 */
export function sourceOnlyFields(kind: ResourceKind, data: Record<string, unknown>): Record<string, unknown> | undefined {
  const fields: Record<string, unknown> = {};
  for (const key of SOURCE_ONLY_FIELDS[kind]) if (data[key] !== undefined) fields[key] = data[key];
  const description = data["description"];
  if ((kind === "alert-rule" || kind === "hunting-query") && typeof description === "string" && cleanDescription(description) !== description) fields["description"] = description;
  if (kind === "watchlist" && typeof description === "string" && description.trim() !== description) fields["description"] = description;
  if (kind === "alert-rule") Object.assign(fields, normalisedRuleFields(data));
  return Object.keys(fields).length > 0 ? fields : undefined;
}

function normalisedRuleFields(data: Record<string, unknown>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const techniques = data["relevantTechniques"];
  if (Array.isArray(techniques) && (techniques.length === 0 || techniques.some((t) => typeof t === "string" && t.includes(".")))) fields["relevantTechniques"] = techniques;
  if (Array.isArray(data["tactics"]) && data["tactics"].length === 0) fields["tactics"] = [];
  const grouping = (data["incidentConfiguration"] as Record<string, unknown> | undefined)?.["groupingConfiguration"];
  if (grouping && typeof grouping === "object" && Object.values(grouping).some((v) => v === null || (Array.isArray(v) && v.length === 0))) fields["incidentConfiguration"] = data["incidentConfiguration"];
  if (data["kind"] !== "NRT" && data["sentinelEntitiesMappings"] !== undefined) fields["sentinelEntitiesMappings"] = data["sentinelEntitiesMappings"];
  // written out although equal to the defaults the body carries (import leaves defaults out)
  for (const key of ["suppressionDuration", "suppressionEnabled"]) if (data[key] !== undefined) fields[key] = data[key];
  return fields;
}
