/** Every resource kind the build emits, in apply order (see TIER_OF). */
export type ResourceKind = "table" | "dcr" | "parser" | "watchlist" | "alert-rule" | "hunting-query" | "workbook";

/** The one place api-versions are pinned, per Azure resource type (docs/deploy.md explains each choice). */
export const API_VERSIONS = {
  "Microsoft.SecurityInsights/alertRules": "2025-09-01",
  "Microsoft.SecurityInsights/watchlists": "2025-09-01",
  "Microsoft.OperationalInsights/workspaces/savedSearches": "2025-07-01",
  "Microsoft.OperationalInsights/workspaces/tables": "2022-10-01",
  "Microsoft.Insights/dataCollectionRules": "2023-03-11",
  "Microsoft.Insights/workbooks": "2023-06-01",
} as const;

/**
 * The workspace itself (read for its region at plan time; referenced as `existing` by the Bicep target): the
 * OperationalInsights version pinned for savedSearches, which also defines `workspaces` (azure-rest-api-specs,
 * specification/operationalinsights/…/stable/2025-07-01/Workspaces.json).
 */
export const WORKSPACE_API_VERSION = API_VERSIONS["Microsoft.OperationalInsights/workspaces/savedSearches"];

/** NRT is not a kind of any stable alertRules api-version (stable AlertRuleKind: Scheduled, Fusion, MicrosoftSecurityIncidentCreation). */
export const NRT_ALERT_RULE_API_VERSION = "2023-02-01-preview";

/** An Azure resource type this toolkit deploys. */
export type ResourceType = keyof typeof API_VERSIONS;

/** The Azure resource type of each kind. */
export const TYPE_OF: Record<ResourceKind, ResourceType> = {
  table: "Microsoft.OperationalInsights/workspaces/tables",
  dcr: "Microsoft.Insights/dataCollectionRules",
  parser: "Microsoft.OperationalInsights/workspaces/savedSearches",
  watchlist: "Microsoft.SecurityInsights/watchlists",
  "alert-rule": "Microsoft.SecurityInsights/alertRules",
  "hunting-query": "Microsoft.OperationalInsights/workspaces/savedSearches",
  workbook: "Microsoft.Insights/workbooks",
};

/** The pinned api-version of a kind's Azure resource type (NRT alert rules use NRT_ALERT_RULE_API_VERSION instead). */
export function apiVersionOf(kind: ResourceKind): string {
  return API_VERSIONS[TYPE_OF[kind]];
}

/**
 * Apply order: tables, then DCRs (a DCR's output stream must name an existing table), then functions and
 * watchlists, then rules and hunting queries (which call them), then workbooks. Deletes run in reverse.
 */
export const TIER_OF: Record<ResourceKind, number> = {
  table: 0,
  dcr: 1,
  parser: 2,
  watchlist: 2,
  "alert-rule": 3,
  "hunting-query": 3,
  workbook: 4,
};
