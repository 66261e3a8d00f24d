import { apiVersionOf, TIER_OF, type ResourceKind } from "../build/api-versions.ts";
import { markedRepository } from "../build/marker.ts";
import { resourceKey, type BuiltResource } from "../build/types.ts";
import type { WorkspaceTarget } from "../build/workspace.ts";
import type { ArmClient } from "./arm-client.ts";
import { lastModified, readLive, type LiveResource } from "./live.ts";
import { diffBodies, isPrunable, type FieldChange } from "./normalize.ts";

/** What apply would do to one resource. */
export type PlanAction = "create" | "update" | "delete" | "noop";

/** One line of a plan. */
export interface PlanItem {
  action: PlanAction;
  kind: ResourceKind;
  key: string;
  name: string;
  title: string;
  resourceId: string;
  apiVersion: string;
  /** The content file (creates, updates, no-ops). */
  file?: string;
  /** Field-level differences (updates). */
  changes: FieldChange[];
  /** The PUT body (creates and updates). */
  body?: Record<string, unknown>;
  /** The live etag (updates and deletes). */
  etag?: string;
  /** Who and when the live resource last changed, when the API says. */
  lastModifiedBy?: string;
  lastModifiedAt?: string;
}

/** A whole plan: items in apply order, and repo-owned resources that only --prune would delete. */
export interface Plan {
  items: PlanItem[];
  /** Marked as ours, gone from the repository, not deleted because --prune is off. */
  orphans: PlanItem[];
  prune: boolean;
}

/** Options of `planDeployment`. */
export interface PlanOptions {
  client: ArmClient;
  target: WorkspaceTarget;
  resources: readonly BuiltResource[];
  repository: string;
  prune: boolean;
}

/** Reads the workspace and compares it with the built resources: create, update (with field diffs), no-op, delete. */
export async function planDeployment(options: PlanOptions): Promise<Plan> {
  const live = await readLive(options.client, options.target);
  await fetchUnlisted(options, live);
  const items: PlanItem[] = [];
  const wanted = new Set<string>();
  for (const resource of options.resources) {
    const id = resource.resourceId.toLowerCase();
    wanted.add(id);
    items.push(compare(resource, live.get(id)));
  }
  const deletions: PlanItem[] = [];
  for (const [id, entry] of live) {
    if (wanted.has(id) || !isPrunable(entry.kind)) continue;
    if (markedRepository(entry.kind, entry.resource) !== options.repository) continue;
    deletions.push(deletion(entry));
  }
  deletions.sort((a, b) => TIER_OF[b.kind] - TIER_OF[a.kind] || a.key.localeCompare(b.key));
  return options.prune ? { items: [...items, ...deletions], orphans: [], prune: true } : { items, orphans: deletions, prune: false };
}

/**
 * Resources the lists may not show, read one by one: NRT rules (a preview api-version kind) and workbooks
 * outside category "sentinel" (the workbook list is filtered by category).
 */
async function fetchUnlisted(options: PlanOptions, live: Map<string, LiveResource>): Promise<void> {
  const unlisted = (r: BuiltResource) =>
    (r.kind === "alert-rule" && r.apiVersion !== apiVersionOf("alert-rule")) ||
    (r.kind === "workbook" && (r.body["properties"] as Record<string, unknown>)["category"] !== "sentinel");
  for (const resource of options.resources.filter((r) => unlisted(r) && !live.has(r.resourceId.toLowerCase()))) {
    const query: Record<string, string> = resource.kind === "workbook" ? { canFetchContent: "true" } : {};
    const found = await options.client.get(resource.resourceId, resource.apiVersion, query);
    if (found) live.set(resource.resourceId.toLowerCase(), { kind: resource.kind, resource: found });
  }
}

function compare(resource: BuiltResource, entry: LiveResource | undefined): PlanItem {
  const base: PlanItem = {
    action: "create",
    kind: resource.kind,
    key: resource.key,
    name: resource.name,
    title: resource.title,
    resourceId: resource.resourceId,
    apiVersion: resource.apiVersion,
    file: resource.source.file,
    changes: [],
    body: resource.body,
  };
  if (!entry) return base;
  const changes = diffBodies(resource.kind, resource.body, entry.resource);
  const item: PlanItem = { ...base, action: changes.length > 0 ? "update" : "noop", changes };
  if (typeof entry.resource["etag"] === "string") item.etag = entry.resource["etag"];
  return withModified(item, entry);
}

function deletion(entry: LiveResource): PlanItem {
  const id = String(entry.resource["id"]);
  const name = String(entry.resource["name"] ?? id.split("/").at(-1));
  const properties = (entry.resource["properties"] ?? {}) as Record<string, unknown>;
  const item: PlanItem = {
    action: "delete",
    kind: entry.kind,
    key: resourceKey(entry.kind, name),
    name,
    title: String(properties["displayName"] ?? name),
    resourceId: id,
    apiVersion: apiVersionOf(entry.kind),
    changes: [],
  };
  if (typeof entry.resource["etag"] === "string") item.etag = entry.resource["etag"];
  return withModified(item, entry);
}

function withModified(item: PlanItem, entry: LiveResource): PlanItem {
  const modified = lastModified(entry.resource);
  if (modified.by) item.lastModifiedBy = modified.by;
  if (modified.at) item.lastModifiedAt = modified.at;
  return item;
}

/** Counts per action. */
export function summarizePlan(plan: Plan): Record<PlanAction, number> {
  const counts: Record<PlanAction, number> = { create: 0, update: 0, delete: 0, noop: 0 };
  for (const item of plan.items) counts[item.action]++;
  return counts;
}
