import { apiVersionOf, TIER_OF, WORKSPACE_API_VERSION, type ResourceKind } from "../build/api-versions.ts";
import { ownershipOf, type Ownership } from "../build/marker.ts";
import { resourceKey, type BuiltResource } from "../build/types.ts";
import { workspaceResourceId, type WorkspaceTarget } from "../build/workspace.ts";
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.ts";
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
  /** Whose the live resource is (creates have none). */
  ownership?: Ownership;
}

/** Default delete guard: more deletes than this needs --allow-mass-delete. */
export const DEFAULT_MAX_DELETES = 5;
/** Default delete guard: deleting more than this fraction of what the repository owns (and more than one) needs --allow-mass-delete. */
export const DEFAULT_MAX_DELETE_FRACTION = 0.25;

/** The delete guard's verdict on a plan. */
export interface DeleteGuard {
  deletes: number;
  /** Resources of prunable kinds the repository owns in the workspace (bound or legacy marker). */
  owned: number;
  maxDeletes: number;
  maxFraction: number;
  /** True when the deletes exceed either limit: apply refuses without --allow-mass-delete. */
  tripped: boolean;
}

/** A whole plan: items in apply order, and repo-owned resources that only --prune would delete. */
export interface Plan {
  items: PlanItem[];
  /** Marked as ours, gone from the repository, not deleted because --prune is off. */
  orphans: PlanItem[];
  prune: boolean;
  /** Creates/updates whose name is taken by a resource we do not own: apply refuses them unless --adopt. */
  conflicts: PlanItem[];
  /** Not in the repository and carrying our marker, but not provably ours (portal copies, legacy markers): prune never deletes them. */
  leftAlone: PlanItem[];
  guard: DeleteGuard;
  /** Plan-time findings about what the workspace would refuse: a DCR outside the workspace's region (SC7040, apply refuses), a region that could not be read (SC7041). */
  findings: Diagnostic[];
}

/** Options of `planDeployment`. */
export interface PlanOptions {
  client: ArmClient;
  target: WorkspaceTarget;
  resources: readonly BuiltResource[];
  repository: string;
  prune: boolean;
  /** Delete guard limits (defaults DEFAULT_MAX_DELETES, DEFAULT_MAX_DELETE_FRACTION). */
  maxDeletes?: number;
  maxDeleteFraction?: number;
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
    items.push(compare(resource, live.get(id), options.repository));
  }
  const deletions: PlanItem[] = [];
  const leftAlone: PlanItem[] = [];
  let owned = 0;
  for (const [id, entry] of live) {
    if (!isPrunable(entry.kind)) continue;
    const ownership = ownershipOf(entry.kind, entry.resource, liveName(entry), options.repository);
    if (ownership === "owned" || ownership === "legacy") owned++;
    if (wanted.has(id)) continue;
    const item = deletion(entry, ownership);
    if (ownership === "owned") deletions.push(item);
    else if (ownership === "copied" || ownership === "legacy") leftAlone.push(item);
  }
  deletions.sort((a, b) => TIER_OF[b.kind] - TIER_OF[a.kind] || a.key.localeCompare(b.key));
  const conflicts = items.filter((i) => isConflict(i));
  const guard = deleteGuard(deletions.length, owned, options.maxDeletes ?? DEFAULT_MAX_DELETES, options.maxDeleteFraction ?? DEFAULT_MAX_DELETE_FRACTION);
  const findings = await regionFindings(options);
  const common = { conflicts, leftAlone, guard, findings };
  return options.prune ? { items: [...items, ...deletions], orphans: [], prune: true, ...common } : { items, orphans: deletions, prune: false, ...common };
}


/** An Azure region name in one spelling: "West Europe", "west-europe" and "westeurope" are one region. */
export function normalizeRegion(location: string): string {
  return location.toLowerCase().replace(/[\s_-]/g, "");
}

/**
 * A DCR that sends to a Log Analytics workspace is created in the workspace's region (Microsoft Learn, "Collect
 * text logs with Azure Monitor Agent": "Create the data collection rule in the same region as your Log Analytics
 * workspace"): each DCR whose `location` is another region is an SC7040 finding. The workspace's region is read
 * from ARM once, only when the plan holds a DCR; when it cannot be read, SC7041 says the check did not run.
 */
async function regionFindings(options: PlanOptions): Promise<Diagnostic[]> {
  const dcrs = options.resources.filter((r) => r.kind === "dcr");
  if (dcrs.length === 0) return [];
  const workspaceId = workspaceResourceId(options.target);
  let region: string | undefined;
  let reason = "the workspace has no location";
  try {
    const workspace = await options.client.get(workspaceId, WORKSPACE_API_VERSION);
    if (!workspace) reason = "the workspace was not found";
    else if (typeof workspace["location"] === "string" && workspace["location"] !== "") region = workspace["location"];
  } catch (error) {
    reason = `reading the workspace failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (region === undefined) {
    return [makeDiagnostic("SC7041", { file: dcrs[0]?.source.file ?? "deploy" }, `the region of workspace ${options.target.workspaceName} could not be read (${reason}); the locations of ${dcrs.length} DCR(s) were not checked against it`)];
  }
  const workspaceRegion = region;
  return dcrs.flatMap((dcr) => {
    const location = typeof dcr.body["location"] === "string" ? dcr.body["location"] : "";
    if (normalizeRegion(location) === normalizeRegion(workspaceRegion)) return [];
    return [makeDiagnostic("SC7040", { file: dcr.source.file }, `DCR "${dcr.title}" would be created in ${location || "no region"}, but workspace ${options.target.workspaceName} is in ${workspaceRegion}`)];
  });
}

/** True for a create/update/no-op whose live resource we do not own (tables carry no marker and are exempt). */
export function isConflict(item: PlanItem): boolean {
  return item.kind !== "table" && item.ownership !== undefined && item.ownership !== "owned" && item.ownership !== "legacy" && item.action !== "delete";
}

/** The delete guard: trips above `maxDeletes` deletes, or above `maxFraction` of what we own when more than one is deleted. */
export function deleteGuard(deletes: number, owned: number, maxDeletes: number, maxFraction: number): DeleteGuard {
  const tripped = deletes > maxDeletes || (deletes > 1 && deletes > maxFraction * owned);
  return { deletes, owned, maxDeletes, maxFraction, tripped };
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

function compare(resource: BuiltResource, entry: LiveResource | undefined, repository: string): PlanItem {
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
  const item: PlanItem = { ...base, action: changes.length > 0 ? "update" : "noop", changes, ownership: ownershipOf(resource.kind, entry.resource, resource.name, repository) };
  if (typeof entry.resource["etag"] === "string") item.etag = entry.resource["etag"];
  return withModified(item, entry);
}

/** A live resource's name: its `name`, else the last segment of its id. */
function liveName(entry: LiveResource): string {
  return String(entry.resource["name"] ?? String(entry.resource["id"]).split("/").at(-1));
}

function deletion(entry: LiveResource, ownership: Ownership): PlanItem {
  const id = String(entry.resource["id"]);
  const name = liveName(entry);
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
    ownership,
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
