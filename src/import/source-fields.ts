import { SOURCE_METADATA_KEY } from "../build/targets/source-fields.ts";
import type { ImportedItem } from "./imported.ts";

type Json = Record<string, unknown>;

/** The order of keys in each kind's YAML (the order of the community files and of our JSON Schemas). */
const KEY_ORDER: Record<ImportedItem["kind"], readonly string[]> = {
  "analytic-rule": ["id", "name", "description", "severity", "status", "requiredDataConnectors", "queryFrequency", "queryPeriod", "triggerOperator", "triggerThreshold", "tactics", "relevantTechniques", "techniques", "subTechniques", "query", "entityMappings", "sentinelEntitiesMappings", "customDetails", "alertDetailsOverride", "eventGroupingSettings", "incidentConfiguration", "suppressionDuration", "suppressionEnabled", "enabled", "version", "kind", "tags", "metadata", "alertRuleTemplateName", "x-genai"],
  "hunting-query": ["id", "name", "description", "severity", "requiredDataConnectors", "tactics", "relevantTechniques", "query", "entityMappings", "tags", "version", "metadata", "x-genai"],
  parser: ["id", "Parser", "Product", "Description", "ParserName", "Category", "ParserParams", "ParserQuery"],
  watchlist: ["id", "watchlistAlias", "displayName", "description", "provider", "itemsSearchKey", "columns", "items"],
};

/** The fields a template built by this toolkit carries in resource metadata (`metadata["sentinel-content"].fields`). */
export function carriedFields(resource: Json): Json | undefined {
  const metadata = resource["metadata"];
  const entry = metadata && typeof metadata === "object" ? (metadata as Json)[SOURCE_METADATA_KEY] : undefined;
  const fields = entry && typeof entry === "object" ? (entry as Json)["fields"] : undefined;
  return fields && typeof fields === "object" && !Array.isArray(fields) ? (fields as Json) : undefined;
}

/** The imported data with the carried fields restored over it, keys in the kind's usual order. */
export function withCarriedFields(kind: ImportedItem["kind"], data: Json, carried: Json | undefined): Json {
  const merged: Json = { ...data, ...(carried ?? {}) };
  const order = KEY_ORDER[kind];
  const rank = (key: string) => {
    const i = order.indexOf(key);
    return i < 0 ? order.length : i;
  };
  return Object.fromEntries(Object.keys(merged).sort((a, b) => rank(a) - rank(b)).map((k) => [k, merged[k]]));
}
