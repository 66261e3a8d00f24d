import type { ResourceKind } from "./api-versions.ts";
import { assertNever } from "../diagnostics/index.ts";

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

/** The ARM id of the collection a kind's resources live in: what plan lists, and what every resource id extends. */
export function collectionId(kind: ResourceKind, target: WorkspaceTarget): string {
  switch (kind) {
    case "alert-rule":
      return `${sentinelScope(target)}/alertRules`;
    case "watchlist":
      return `${sentinelScope(target)}/watchlists`;
    case "parser":
    case "hunting-query":
      return `${workspaceResourceId(target)}/savedSearches`;
    case "table":
      return `${workspaceResourceId(target)}/tables`;
    case "dcr":
      return `${resourceGroupId(target)}/providers/Microsoft.Insights/dataCollectionRules`;
    case "workbook":
      return `${resourceGroupId(target)}/providers/Microsoft.Insights/workbooks`;
    default:
      return assertNever(kind, "resource kind");
  }
}

/** A placeholder workspace for `build` without an environment (ids stay well-formed; the plan uses the real one). */
export const PLACEHOLDER_WORKSPACE: WorkspaceTarget = {
  subscriptionId: "00000000-0000-0000-0000-000000000000",
  resourceGroup: "resource-group",
  workspaceName: "workspace",
  location: "westeurope",
};
