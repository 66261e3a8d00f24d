import { TIER_OF, TYPE_OF } from "./api-versions.ts";
import type { BuiltResource } from "./types.ts";
import type { WorkspaceTarget } from "./workspace.ts";

/** One deployment template (resource-group scope) holding every built resource, ordered by dependsOn per tier. */
export function buildArmTemplate(resources: readonly BuiltResource[], target: WorkspaceTarget): Record<string, unknown> {
  const byTier = new Map<number, string[]>();
  for (const r of resources) byTier.set(TIER_OF[r.kind], [...(byTier.get(TIER_OF[r.kind]) ?? []), r.resourceId]);
  const earlier = (tier: number) => [...byTier.entries()].filter(([t]) => t < tier).flatMap(([, ids]) => ids);
  return {
    $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    contentVersion: "1.0.0.0",
    resources: resources.map((r) => {
      const dependsOn = earlier(TIER_OF[r.kind]);
      return { ...templateName(r, target), apiVersion: r.apiVersion, ...r.body, ...(dependsOn.length > 0 ? { dependsOn } : {}) };
    }),
  };
}

function templateName(r: BuiltResource, target: WorkspaceTarget): Record<string, string> {
  const type = TYPE_OF[r.kind];
  if (type.startsWith("Microsoft.SecurityInsights/")) {
    return { type, scope: `Microsoft.OperationalInsights/workspaces/${target.workspaceName}`, name: r.name };
  }
  if (type.startsWith("Microsoft.OperationalInsights/workspaces/")) return { type, name: `${target.workspaceName}/${r.name}` };
  return { type, name: r.name };
}
