import { apiVersionOf, type ResourceKind } from "../build/api-versions.ts";
import { collectionId, type WorkspaceTarget } from "../build/workspace.ts";
import type { ArmClient, ArmResource } from "./arm-client.ts";

/** A resource read from the workspace, with the kind deploy gives it. */
export interface LiveResource {
  kind: ResourceKind;
  resource: ArmResource;
}

/** Reads every collection deploy manages (six list calls, paged), keyed by lower-case resource id. */
export async function readLive(client: ArmClient, target: WorkspaceTarget): Promise<Map<string, LiveResource>> {
  const list = (kind: ResourceKind, query: Record<string, string> = {}) => client.list(collectionId(kind, target), apiVersionOf(kind), query);
  const [rules, watchlists, searches, tables, dcrs, workbooks] = await Promise.all([
    list("alert-rule"),
    list("watchlist"),
    // One savedSearches collection holds both hunting queries and parsers (sorted out below).
    list("hunting-query"),
    list("table"),
    list("dcr"),
    list("workbook", { category: "sentinel", canFetchContent: "true" }),
  ]);
  const live = new Map<string, LiveResource>();
  const add = (kind: ResourceKind, items: ArmResource[]) => {
    for (const resource of items) if (typeof resource["id"] === "string") live.set(resource["id"].toLowerCase(), { kind, resource });
  };
  add("alert-rule", rules);
  add("watchlist", watchlists);
  add("table", tables.filter((t) => String(t["name"] ?? "").endsWith("_CL")));
  add("dcr", dcrs);
  add("workbook", workbooks);
  for (const search of searches) add(savedSearchKind(search), [search]);
  return live;
}

/** Hunting queries are saved searches in category "Hunting Queries"; everything else deploy treats as a function (parser). */
function savedSearchKind(search: ArmResource): ResourceKind {
  const properties = (search["properties"] ?? {}) as Record<string, unknown>;
  return properties["category"] === "Hunting Queries" ? "hunting-query" : "parser";
}

/** Who last changed a live resource and when, as far as the API says (systemData, else lastModifiedUtc). */
export function lastModified(resource: ArmResource): { by?: string; at?: string } {
  const system = (resource["systemData"] ?? {}) as Record<string, unknown>;
  const properties = (resource["properties"] ?? {}) as Record<string, unknown>;
  const out: { by?: string; at?: string } = {};
  if (typeof system["lastModifiedBy"] === "string") out.by = system["lastModifiedBy"];
  const at = system["lastModifiedAt"] ?? properties["lastModifiedUtc"];
  if (typeof at === "string") out.at = at;
  return out;
}
