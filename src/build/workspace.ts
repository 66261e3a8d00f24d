/** The Log Analytics workspace (with Sentinel) a build targets. */
export interface WorkspaceTarget {
  subscriptionId: string;
  resourceGroup: string;
  workspaceName: string;
  location: string;
  workspaceId?: string;
}

/** The ARM id of the resource group. */
export function resourceGroupId(target: WorkspaceTarget): string {
  return `/subscriptions/${target.subscriptionId}/resourceGroups/${target.resourceGroup}`;
}

/** The ARM id of the workspace. */
export function workspaceResourceId(target: WorkspaceTarget): string {
  return `${resourceGroupId(target)}/providers/Microsoft.OperationalInsights/workspaces/${target.workspaceName}`;
}

/** The ARM id prefix of Sentinel resources (an extension of the workspace). */
export function sentinelScope(target: WorkspaceTarget): string {
  return `${workspaceResourceId(target)}/providers/Microsoft.SecurityInsights`;
}

/** A placeholder workspace for `build` without an environment (ids stay well-formed; the plan uses the real one). */
export const PLACEHOLDER_WORKSPACE: WorkspaceTarget = {
  subscriptionId: "00000000-0000-0000-0000-000000000000",
  resourceGroup: "resource-group",
  workspaceName: "workspace",
  location: "westeurope",
};
