import { parse as parseCsv } from "csv-parse/sync";
import { deterministicGuid } from "../build/guid.ts";
import { unmarkDescription } from "../build/marker.ts";
import { stringList } from "../build/alert-rule.ts";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Json = Record<string, unknown>;

/** A REST body's `properties` (empty when absent). */
function propertiesOf(body: Json): Json {
  const p = body["properties"];
  return p !== null && typeof p === "object" && !Array.isArray(p) ? (p as Json) : {};
}

const OPERATORS: Record<string, string> = { GreaterThan: "gt", LessThan: "lt", Equal: "eq", NotEqual: "ne" };

/** An ISO 8601 duration back in the YAML's short form unit for unit (P1D → 1d, PT24H → 24h, PT5M → 5m); other forms unchanged. */
export function shortDuration(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const match = /^P(?:(\d+)D|T(\d+)H|T(\d+)M)$/.exec(value);
  if (!match) return value;
  return match[1] !== undefined ? `${match[1]}d` : match[2] !== undefined ? `${match[2]}h` : `${match[3]}m`;
}

/** Copies keys in order, leaving out undefined values. */
function defined(entries: [string, unknown][]): Json {
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined));
}

/**
 * An alertRules (or AlertRuleTemplates) REST body as community YAML: the inverse of the build's mapping —
 * durations and operators back to short forms, the ownership marker removed from the description, defaults the
 * build adds (enabled true, suppression PT1H off) left out, sub-techniques back in relevantTechniques.
 */
export function ruleYaml(body: Json, name: string): Json {
  const p = propertiesOf(body);
  const kind = String(body["kind"] ?? "Scheduled");
  const subTechniques = stringList(p["subTechniques"]);
  const techniques = [...subTechniques, ...stringList(p["techniques"]).filter((t) => !subTechniques.some((s) => s.startsWith(`${t}.`)))];
  const suppressionDefault = (p["suppressionDuration"] === undefined || p["suppressionDuration"] === "PT1H") && p["suppressionEnabled"] !== true;
  const incident = incidentConfiguration(p["incidentConfiguration"]);
  return defined([
    ["id", name],
    ["name", p["displayName"]],
    ["description", typeof p["description"] === "string" ? unmarkDescription(p["description"]) : undefined],
    ["severity", p["severity"]],
    ["status", p["status"]],
    ["requiredDataConnectors", p["requiredDataConnectors"] ?? []],
    ["queryFrequency", shortDuration(p["queryFrequency"])],
    ["queryPeriod", shortDuration(p["queryPeriod"])],
    ["triggerOperator", typeof p["triggerOperator"] === "string" ? (OPERATORS[p["triggerOperator"]] ?? p["triggerOperator"]) : undefined],
    ["triggerThreshold", p["triggerThreshold"]],
    ["tactics", Array.isArray(p["tactics"]) && p["tactics"].length === 0 ? undefined : p["tactics"]],
    ["relevantTechniques", techniques.length > 0 ? techniques : undefined],
    ["query", p["query"]],
    ["entityMappings", p["entityMappings"]],
    ["sentinelEntitiesMappings", p["sentinelEntitiesMappings"]],
    ["customDetails", p["customDetails"]],
    ["alertDetailsOverride", p["alertDetailsOverride"]],
    ["eventGroupingSettings", p["eventGroupingSettings"]],
    ["incidentConfiguration", incident],
    ["suppressionDuration", suppressionDefault ? undefined : shortDuration(p["suppressionDuration"])],
    ["suppressionEnabled", suppressionDefault ? undefined : p["suppressionEnabled"]],
    ["enabled", p["enabled"] === false ? false : undefined],
    ["version", p["templateVersion"] ?? p["version"]],
    ["kind", kind],
  ]);
}

function incidentConfiguration(value: unknown): Json | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const config = structuredClone(value) as Json;
  const grouping = config["groupingConfiguration"] as Json | undefined;
  if (grouping && grouping["lookbackDuration"] !== undefined) grouping["lookbackDuration"] = shortDuration(grouping["lookbackDuration"]);
  return config;
}

function tagValue(tags: unknown, name: string): string | undefined {
  const tag = (Array.isArray(tags) ? tags : []).find((t) => t && typeof t === "object" && (t as Json)["name"] === name) as Json | undefined;
  return typeof tag?.["value"] === "string" ? tag["value"] : undefined;
}

/** True when a savedSearch body is a parser (a function alias), not a hunting query. */
export function isParser(body: Json): boolean {
  const alias = propertiesOf(body)["functionAlias"];
  return typeof alias === "string" && alias !== "";
}

/** A hunting-query savedSearch as community YAML (description, tactics and techniques from its tags). */
export function huntingYaml(body: Json, name: string): Json {
  const p = propertiesOf(body);
  const tactics = tagValue(p["tags"], "tactics");
  const techniques = tagValue(p["tags"], "techniques") ?? tagValue(p["tags"], "relevantTechniques");
  return defined([
    ["id", name],
    ["name", p["displayName"]],
    ["description", tagValue(p["tags"], "description") ?? ""],
    ["requiredDataConnectors", []],
    ["tactics", tactics ? tactics.split(",").map((t) => t.trim()).filter(Boolean) : undefined],
    ["relevantTechniques", techniques ? techniques.split(",").map((t) => t.trim()).filter(Boolean) : undefined],
    ["query", p["query"]],
  ]);
}

/** A parser savedSearch as the repository's parser YAML (function alias, title, category, parameters). */
export function parserYaml(body: Json, name: string): Json {
  const p = propertiesOf(body);
  const params = typeof p["functionParameters"] === "string" ? parseFunctionParameters(p["functionParameters"]) : [];
  return defined([
    ["id", name],
    ["Parser", { Title: p["displayName"] ?? p["functionAlias"], Version: "1.0.0" }],
    ["Description", String(p["displayName"] ?? p["functionAlias"] ?? "")],
    ["ParserName", p["functionAlias"]],
    ["Category", p["category"]],
    ["ParserQuery", p["query"]],
    ["ParserParams", params.length > 0 ? params : undefined],
  ]);
}

/**
 * `a:string='x, y', b:int` → [{Name, Type, Default}]: splits on commas outside quotes and brackets, then on the
 * first `:` and the first `=` (the form savedSearch functionParameters take, as the build writes it).
 */
export function parseFunctionParameters(text: string): Json[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let current = "";
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") depth = Math.max(0, depth - 1);
    else if (ch === "," && depth === 0) {
      parts.push(current);
      current = "";
      continue;
    }
    current += ch;
  }
  if (current.trim() !== "") parts.push(current);
  return parts.map((part) => {
    const trimmed = part.trim();
    const colon = trimmed.indexOf(":");
    const name = colon >= 0 ? trimmed.slice(0, colon).trim() : trimmed;
    const rest = colon >= 0 ? trimmed.slice(colon + 1) : "";
    const eq = rest.indexOf("=");
    const type = (eq >= 0 ? rest.slice(0, eq) : rest).trim();
    return eq >= 0 ? { Name: name, Type: type, Default: rest.slice(eq + 1).trim() } : { Name: name, Type: type };
  });
}

/**
 * A watchlist body as the repository's watchlist YAML, its items read from rawContent CSV (when the source sends
 * it). Watchlists are named by alias, so a non-GUID name gets a GUID id derived from the alias.
 */
export function watchlistYaml(body: Json, name: string): Json {
  const p = propertiesOf(body);
  const csv = typeof p["rawContent"] === "string" ? p["rawContent"] : "";
  const rows = csv.trim() === "" ? [] : (parseCsv(csv, { bom: true, relax_column_count: true, from_line: 1 + Number(p["numberOfLinesToSkip"] ?? 0) }) as string[][]);
  const [header = [], ...data] = rows;
  const alias = String(p["watchlistAlias"] ?? name);
  return defined([
    ["id", GUID.test(name) ? name : deterministicGuid(`watchlist|${alias.toLowerCase()}`)],
    ["watchlistAlias", alias],
    ["displayName", p["displayName"]],
    ["description", p["description"]],
    ["provider", p["provider"]],
    ["itemsSearchKey", p["itemsSearchKey"]],
    ["columns", header.length > 0 ? header : undefined],
    ["items", data.map((row) => Object.fromEntries(header.map((h, i) => [h, row[i] ?? ""])))],
  ]);
}
