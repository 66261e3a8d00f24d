import { TIER_OF, TYPE_OF } from "./api-versions.ts";
import type { BuiltResource } from "./types.ts";
import type { WorkspaceTarget } from "./workspace.ts";

/** One deployment template (resource-group scope) holding every built resource, ordered by dependsOn per tier. */
export function buildArmTemplate(resources: readonly BuiltResource[], target: WorkspaceTarget): Record<string, unknown> {
  const dependsOnOf = dependsOnByTier(resources);
  return {
    $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    contentVersion: "1.0.0.0",
    resources: resources.map((r) => {
      const dependsOn = dependsOnOf.get(TIER_OF[r.kind]) ?? [];
      return { ...templateName(r, target), apiVersion: r.apiVersion, ...r.body, ...(dependsOn.length > 0 ? { dependsOn } : {}) };
    }),
  };
}

/** Per tier, the ids of every resource in an earlier tier (computed once per tier, not per resource). */
function dependsOnByTier(resources: readonly BuiltResource[]): Map<number, string[]> {
  const byTier = new Map<number, string[]>();
  for (const r of resources) {
    const ids = byTier.get(TIER_OF[r.kind]);
    if (ids) ids.push(r.resourceId);
    else byTier.set(TIER_OF[r.kind], [r.resourceId]);
  }
  const tiers = [...byTier.entries()];
  return new Map(tiers.map(([tier]) => [tier, tiers.filter(([t]) => t < tier).flatMap(([, ids]) => ids)]));
}

function templateName(r: BuiltResource, target: WorkspaceTarget): Record<string, string> {
  const type = TYPE_OF[r.kind];
  if (type.startsWith("Microsoft.SecurityInsights/")) {
    return { type, scope: `Microsoft.OperationalInsights/workspaces/${target.workspaceName}`, name: r.name };
  }
  if (type.startsWith("Microsoft.OperationalInsights/workspaces/")) return { type, name: `${target.workspaceName}/${r.name}` };
  return { type, name: r.name };
}
