import { TIER_OF, TYPE_OF } from "../api-versions.ts";
import type { BuiltResource } from "../types.ts";
import type { TargetInput } from "./target.ts";
import { SOURCE_METADATA_KEY, sourceOnlyFields } from "./source-fields.ts";
import { mapStrings, pieces, SYMBOLIC_WORKSPACE, type Piece, type Slot } from "./symbolic.ts";

/** The deployment-template schema every ARM file declares (learn.microsoft.com "Template structure and syntax"). */
export const DEPLOYMENT_TEMPLATE_SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";

/** Each deploy-time value as an ARM template expression. */
export const SLOT_EXPRESSION: Record<Slot, string> = {
  subscription: "subscription().subscriptionId",
  resourceGroup: "resourceGroup().name",
  workspace: "parameters('workspace')",
  location: "parameters('location')",
};

/**
 * One built string as an ARM template value: plain text stays text (a leading `[` that would read as an
 * expression is doubled, as the template syntax prescribes), text with deploy-time values becomes
 * `[format('…{0}…', parameters('workspace'))]` (quotes doubled, braces doubled for format()).
 */
export function armString(value: string): string {
  const parts = pieces(value);
  if (parts.length === 1 && "text" in parts[0]!) return value.startsWith("[") && value.endsWith("]") ? `[${value}` : value;
  if (parts.length === 1 && "slot" in parts[0]!) return `[${SLOT_EXPRESSION[parts[0].slot]}]`;
  const args: string[] = [];
  const format = parts.map((p: Piece) => ("text" in p ? p.text.replace(/'/g, "''").replace(/[{}]/g, (b) => b + b) : `{${args.push(SLOT_EXPRESSION[p.slot]) - 1}}`)).join("");
  return `[format('${format}', ${args.join(", ")})]`;
}

/** Every string of a JSON value (keys too) rewritten by armString. */
export function armValue(value: unknown): unknown {
  return mapStrings(value, armString);
}

/** The `workspace` parameter (the one Sentinel Repositories fills in) and, when a resource needs it, `location`. */
export function armParameters(resources: readonly BuiltResource[]): Record<string, unknown> {
  const parameters: Record<string, unknown> = { workspace: { type: "string", metadata: { description: "Name of the Log Analytics workspace with Microsoft Sentinel." } } };
  if (resources.some((r) => JSON.stringify(r.body).includes(SYMBOLIC_WORKSPACE.location))) {
    parameters["location"] = { type: "string", defaultValue: "[resourceGroup().location]", metadata: { description: "Region of the workspace's resource group resources (DCRs, workbooks)." } };
  }
  return parameters;
}

/**
 * One resource as a template resource: type, scope or parent-qualified name, api-version, body, dependsOn, and —
 * given the source YAML — resource `metadata` carrying the fields the body cannot hold (ARM ignores resource
 * metadata; `import arm` restores them).
 */
export function armResource(r: BuiltResource, dependsOn: readonly string[], source?: Record<string, unknown>): Record<string, unknown> {
  const type = TYPE_OF[r.kind];
  const naming: Record<string, string> = type.startsWith("Microsoft.SecurityInsights/")
    ? { type, scope: armString(`Microsoft.OperationalInsights/workspaces/${SYMBOLIC_WORKSPACE.workspaceName}`), name: r.name }
    : type.startsWith("Microsoft.OperationalInsights/workspaces/")
      ? { type, name: armString(`${SYMBOLIC_WORKSPACE.workspaceName}/${r.name}`) }
      : { type, name: r.kind === "workbook" ? workbookName(r) : armString(r.name) };
  const fields = source ? sourceOnlyFields(r.kind, source) : undefined;
  return {
    ...naming,
    apiVersion: r.apiVersion,
    ...(armValue(r.body) as Record<string, unknown>),
    ...(dependsOn.length > 0 ? { dependsOn: dependsOn.map(armString) } : {}),
    ...(fields ? { metadata: { [SOURCE_METADATA_KEY]: { source: r.source.file, fields: armValue(fields) } } } : {}),
  };
}

/**
 * Workbook names are GUIDs derived from the content id and the workspace; a template derives them with ARM's
 * guid() (a different derivation from `deploy`'s, so deploy one workspace's workbooks one way only).
 */
function workbookName(r: BuiltResource): string {
  return `[guid(resourceGroup().id, parameters('workspace'), '${r.source.contentId.toLowerCase().replace(/'/g, "''")}')]`;
}

/** The source YAML of a built resource (by its source file), for the resource metadata. */
export type SourceLookup = (r: BuiltResource) => Record<string, unknown> | undefined;

/** The source document of each resource, from the target input's content items. */
export function sourceLookup(input: TargetInput): SourceLookup {
  const byFile = new Map(input.items.map((i) => [i.file, i.data]));
  return (r) => byFile.get(r.source.file);
}

/** One template holding every resource, each depending on the resources of earlier tiers (apply order). */
export function armTemplate(resources: readonly BuiltResource[], sourceOf: SourceLookup = () => undefined): Record<string, unknown> {
  const earlier = (tier: number) => resources.filter((r) => TIER_OF[r.kind] < tier).map((r) => r.resourceId);
  return {
    $schema: DEPLOYMENT_TEMPLATE_SCHEMA,
    contentVersion: "1.0.0.0",
    parameters: armParameters(resources),
    resources: resources.map((r) => armResource(r, earlier(TIER_OF[r.kind]), sourceOf(r))),
  };
}
