import { deterministicGuid } from "../build/guid.ts";
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.ts";
import { huntingYaml, isParser, parserYaml, ruleYaml, watchlistYaml } from "./from-rest.ts";
import type { ImportedItem } from "./imported.ts";
import { carriedFields, withCarriedFields } from "./source-fields.ts";
import { isRecord } from "../content/record.ts";

type Json = Record<string, unknown>;
const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
/** Nested templates are followed at most this deep (Content Hub packages nest one level; deployments may nest more). */
const MAX_DEPTH = 8;

/** The kind of content a resource type holds, by the type's last segments (case-insensitive, as ARM compares types). */
function contentOf(type: string): "rule" | "saved-search" | "watchlist" | "nested-content" | "nested-deployment" | undefined {
  const t = type.toLowerCase();
  if (/(^|\/)(alertrules|alertruletemplates)$/.test(t)) return "rule";
  if (t === "microsoft.operationalinsights/workspaces/savedsearches") return "saved-search";
  if (/(^|\/)watchlists$/.test(t)) return "watchlist";
  if (/(^|\/)contenttemplates$/.test(t)) return "nested-content";
  if (t === "microsoft.resources/deployments") return "nested-deployment";
  return undefined;
}

/**
 * Every rule, hunting query, parser and watchlist in an ARM template: resources at the top level, inside
 * Content Hub packages (contentTemplates' `properties.mainTemplate`) and nested deployments (`properties.template`).
 * Values of the form `[variables('x')]` are resolved against the template's variables; other ARM expressions are
 * kept and reported (SC7027), `[[` literals unescaped.
 */
export function itemsFromTemplate(template: unknown, file: string): { items: ImportedItem[]; diagnostics: Diagnostic[] } {
  const items: ImportedItem[] = [];
  const diagnostics: Diagnostic[] = [];
  if (!isRecord(template) || !Array.isArray(template["resources"])) {
    diagnostics.push(makeDiagnostic("SC7020", { file }, "not an ARM template: no `resources` array"));
    return { items, diagnostics };
  }
  walk(template, "resources", 0, items, diagnostics, file);
  if (items.length === 0 && diagnostics.length === 0) diagnostics.push(makeDiagnostic("SC7021", { file }, "no analytic rule, hunting query, parser or watchlist resource in the template"));
  return { items, diagnostics };
}

function walk(template: Json, path: string, depth: number, items: ImportedItem[], diagnostics: Diagnostic[], file: string, outer: Json = {}): void {
  // a nested template sees the outer template's variables (Content Hub packages define them at either level)
  const variables = { ...outer, ...(isRecord(template["variables"]) ? template["variables"] : {}) };
  const resources = Array.isArray(template["resources"]) ? template["resources"] : [];
  resources.forEach((raw, index) => {
    if (!isRecord(raw)) return;
    const where = `${path}[${index}]`;
    const content = contentOf(String(raw["type"] ?? ""));
    if (content === "nested-content" || content === "nested-deployment") {
      const inner = (raw["properties"] as Json | undefined)?.[content === "nested-content" ? "mainTemplate" : "template"];
      if (isRecord(inner) && depth < MAX_DEPTH) walk(inner, `${where}.properties.${content === "nested-content" ? "mainTemplate" : "template"}.resources`, depth + 1, items, diagnostics, file, variables);
      return;
    }
    if (!content) return;
    const resource = resolve(raw, variables, `${file}#${where}`, diagnostics) as Json;
    const name = resourceName(resource);
    const origin = `${file}#${where}`;
    if (content === "rule") {
      const kind = String(resource["kind"] ?? "Scheduled");
      if (kind !== "Scheduled" && kind !== "NRT") {
        diagnostics.push(makeDiagnostic("SC7022", { file }, `${where}: ${kind} rules are not imported (only Scheduled and NRT)`));
        return;
      }
      items.push(item("analytic-rule", ruleYaml(resource, name ?? fallbackId(resource, origin, diagnostics, file)), resource, origin));
    } else if (content === "saved-search") {
      const id = name ?? fallbackId(resource, origin, diagnostics, file);
      items.push(isParser(resource) ? item("parser", parserYaml(resource, id), resource, origin) : item("hunting-query", huntingYaml(resource, id), resource, origin));
    } else {
      const alias = String((resource["properties"] as Json | undefined)?.["watchlistAlias"] ?? lastSegment(String(resource["name"] ?? "")));
      items.push(item("watchlist", watchlistYaml(resource, name ?? alias), resource, origin));
    }
  });
}

/** An imported item, with the fields a template of this toolkit carries in resource metadata restored. */
function item(kind: ImportedItem["kind"], data: Json, resource: Json, origin: string): ImportedItem {
  return { kind, data: withCarriedFields(kind, data, carriedFields(resource)), origin };
}

/** The GUID in a resource's name (`ws/Microsoft.SecurityInsights/<guid>`, `[concat(…,'<guid>')]`), else its plain last segment. */
function resourceName(resource: Json): string | undefined {
  const name = String(resource["name"] ?? "");
  const guid = GUID.exec(name)?.[0] ?? GUID.exec(String((resource["properties"] as Json | undefined)?.["alertRuleTemplateName"] ?? ""))?.[0];
  if (guid) return guid.toLowerCase();
  if (name !== "" && !name.startsWith("[")) return lastSegment(name);
  // [concat(parameters('workspace'), '/name')]: the last literal's last segment, when it is a plain name
  const literal = [...name.replace(/(parameters|variables)\('[^']*'\)/g, "").matchAll(/'([^']*)'/g)].at(-1)?.[1];
  const segment = literal === undefined ? undefined : lastSegment(literal);
  return segment && /^[A-Za-z0-9_.-]+$/.test(segment) ? segment : undefined;
}

function lastSegment(name: string): string {
  return name.split("/").at(-1) ?? name;
}

/** A GUID derived from the display name when the template names the resource only by an expression. */
function fallbackId(resource: Json, origin: string, diagnostics: Diagnostic[], file: string): string {
  const displayName = String((resource["properties"] as Json | undefined)?.["displayName"] ?? origin);
  diagnostics.push(makeDiagnostic("SC7027", { file }, `${origin}: the resource name is an ARM expression; the id is a GUID derived from the display name "${displayName}"`));
  return deterministicGuid(`import|${displayName}`);
}

/** Resolves `[variables('x')]`, unescapes `[[`, and reports every other ARM expression left in a value. */
function resolve(value: unknown, variables: Json, origin: string, diagnostics: Diagnostic[], path = ""): unknown {
  if (typeof value === "string") {
    if (value.startsWith("[[")) return value.slice(1);
    if (!(value.startsWith("[") && value.endsWith("]"))) return value;
    const variable = /^\[variables\('([^']+)'\)\]$/.exec(value);
    if (variable && variables[variable[1] as string] !== undefined && typeof variables[variable[1] as string] !== "string") return variables[variable[1] as string];
    if (variable && typeof variables[variable[1] as string] === "string" && !(variables[variable[1] as string] as string).startsWith("[")) return variables[variable[1] as string];
    if (path !== "name" && path !== "location" && path !== "scope" && !path.startsWith("dependsOn")) {
      diagnostics.push(makeDiagnostic("SC7027", { file: origin.split("#")[0] as string }, `${origin}: ${path} is the ARM expression ${value}, kept as text`));
    }
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => resolve(v, variables, origin, diagnostics, `${path}[${i}]`));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, variables, origin, diagnostics, path ? `${path}.${k}` : k)]));
  return value;
}
