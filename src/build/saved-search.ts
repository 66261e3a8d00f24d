import { cleanDescription, stringList } from "./alert-rule.ts";
import { MARKER_NAME, markerValue } from "./marker.ts";
import { builtResource, type BuildContext, type BuildOutput, type BuiltResource, type Locator } from "./types.ts";
import { makeDiagnostic } from "../diagnostics/index.ts";

/** A hunting query as a saved search in category "Hunting Queries", tactics and techniques as comma-joined tags. */
export function buildHuntingQuery(data: Record<string, unknown>, file: string, _at: Locator, context: BuildContext): BuildOutput {
  const id = String(data["id"] ?? "");
  const tags = [{ name: "description", value: cleanDescription(String(data["description"] ?? "")) }];
  const tactics = stringList(data["tactics"]);
  const techniques = [...stringList(data["relevantTechniques"]), ...stringList(data["techniques"])];
  if (tactics.length > 0) tags.push({ name: "tactics", value: tactics.join(",") });
  if (techniques.length > 0) tags.push({ name: "techniques", value: [...new Set(techniques)].join(",") });
  tags.push({ name: MARKER_NAME, value: markerValue(context.repository, id) });
  const properties = { category: "Hunting Queries", displayName: String(data["name"] ?? id), query: data["query"], version: 2, tags };
  return { resources: [savedSearch("hunting-query", id, properties.displayName, properties, file, context)], diagnostics: [] };
}

/** A parser as a saved search with a function alias (and parameter list) that KQL calls by name. */
export function buildParser(data: Record<string, unknown>, file: string, at: Locator, context: BuildContext): BuildOutput {
  const id = String(data["id"] ?? "");
  const alias = String(data["ParserName"] ?? "");
  const parser = (data["Parser"] ?? {}) as Record<string, unknown>;
  const params = Array.isArray(data["ParserParams"]) ? (data["ParserParams"] as Record<string, unknown>[]) : [];
  const bad = params.findIndex((p) => typeof p?.["Name"] !== "string" || typeof p?.["Type"] !== "string");
  if (bad >= 0) return { resources: [], diagnostics: [makeDiagnostic("SC6007", at(["ParserParams", bad]), "a parser parameter needs a Name and a Type")] };
  const properties: Record<string, unknown> = {
    category: typeof data["Category"] === "string" ? data["Category"] : "GenAI",
    displayName: String(parser["Title"] ?? alias),
    query: data["ParserQuery"],
    functionAlias: alias,
    version: 2,
    tags: [{ name: MARKER_NAME, value: markerValue(context.repository, id) }],
  };
  if (params.length > 0) properties["functionParameters"] = params.map(formatParameter).join(", ");
  return { resources: [savedSearch("parser", id, alias, properties, file, context)], diagnostics: [] };
}

/** `name:type` or `name:type=default`, as saved-search function parameters are written. */
export function formatParameter(param: Record<string, unknown>): string {
  const head = `${String(param["Name"])}:${String(param["Type"])}`;
  return param["Default"] === undefined || param["Default"] === null ? head : `${head}=${String(param["Default"])}`;
}

function savedSearch(kind: "hunting-query" | "parser", id: string, title: string, properties: Record<string, unknown>, file: string, context: BuildContext): BuiltResource {
  return builtResource(kind, id, context.target, { title, body: { properties }, source: { file, contentId: id } });
}
