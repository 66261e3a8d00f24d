import { TIER_OF, TYPE_OF } from "../api-versions.ts";
import { NAMESPACE } from "../guid.ts";
import type { BuiltResource } from "../types.ts";
import { mapStrings, pieces, type Slot } from "./symbolic.ts";
import { jsonText, type TargetInput, type TargetOutput } from "./target.ts";


const SLOT_REFERENCE: Record<Slot, string> = {
  subscription: "${var.subscription_id}",
  resourceGroup: "${var.resource_group_name}",
  workspace: "${var.workspace_name}",
  location: "${var.location}",
};

/**
 * A built string as a Terraform JSON-syntax string: in argument values JSON strings are string templates
 * (developer.hashicorp.com "JSON Configuration Syntax"), so literal `${` and `%{` are escaped as `$${` and `%%{`,
 * and deploy-time values become variable references.
 */
export function terraformString(value: string): string {
  return pieces(value)
    .map((p) => ("slot" in p ? SLOT_REFERENCE[p.slot] : p.text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{")))
    .join("");
}

/** Every string of a JSON value (keys too) rewritten by terraformString. */
export function terraformValue(value: unknown): unknown {
  return mapStrings(value, terraformString);
}

/** A unique Terraform resource label per resource: `<kind>_<name>` in the label alphabet. */
export function terraformLabels(resources: readonly BuiltResource[]): Map<BuiltResource, string> {
  const labels = new Map<BuiltResource, string>();
  const taken = new Set<string>();
  for (const r of resources) {
    const base = `${r.kind}_${r.kind === "dcr" ? r.source.contentId : r.name}`.replace(/[^A-Za-z0-9_]+/g, "_").replace(/_+$/g, "").toLowerCase();
    let label = base;
    for (let n = 2; taken.has(label); n++) label = `${base}_${n}`;
    taken.add(label);
    labels.set(r, label);
  }
  return labels;
}

function parentId(r: BuiltResource): string {
  const type = TYPE_OF[r.kind];
  return type.startsWith("Microsoft.SecurityInsights/") || type.startsWith("Microsoft.OperationalInsights/workspaces/") ? "${local.workspace_id}" : "${local.resource_group_id}";
}

function resourceName(r: BuiltResource): string {
  if (r.kind !== "workbook") return terraformString(r.name);
  return `\${uuidv5("${NAMESPACE}", "${r.source.contentId.toLowerCase().replace(/[\\"]/g, "\\$&")}|\${lower(local.workspace_id)}")}`;
}

/** One azapi_resource: type@api-version, name, parent, location and tags as arguments, the rest as body. */
function azapiResource(r: BuiltResource, dependsOn: readonly string[]): Record<string, unknown> {
  const { location, tags, ...body } = r.body as Record<string, unknown>;
  return {
    type: `${TYPE_OF[r.kind]}@${r.apiVersion}`,
    name: resourceName(r),
    parent_id: parentId(r),
    ...(location !== undefined ? { location: terraformValue(location) } : {}),
    ...(tags !== undefined ? { tags: terraformValue(tags) } : {}),
    body: terraformValue(body),
    schema_validation_enabled: false,
    ...(dependsOn.length > 0 ? { depends_on: dependsOn } : {}),
  };
}

/**
 * Terraform (`sentinel.tf.json`): one `azapi_resource` per resource (registry.terraform.io/providers/Azure/azapi,
 * v2: `body` as an object), workspace coordinates as variables, `depends_on` on every resource of earlier tiers
 * (tables → DCRs → parsers and watchlists → rules and hunting queries → workbooks).
 */
export function buildTerraformTarget(input: TargetInput): TargetOutput {
  const labels = terraformLabels(input.resources);
  const reference = (r: BuiltResource) => `azapi_resource.${labels.get(r)}`;
  const resources: Record<string, unknown> = {};
  for (const r of input.resources) {
    const earlier = input.resources.filter((o) => TIER_OF[o.kind] < TIER_OF[r.kind]).map(reference);
    resources[labels.get(r) as string] = azapiResource(r, earlier);
  }
  const variable = (description: string) => ({ type: "string", description });
  const config = {
    terraform: { required_providers: { azapi: { source: "Azure/azapi", version: ">= 2.0.0" } } },
    variable: {
      subscription_id: variable("Subscription of the Sentinel workspace."),
      resource_group_name: variable("Resource group of the Sentinel workspace."),
      workspace_name: variable("Name of the Log Analytics workspace with Microsoft Sentinel."),
      location: variable("Region for resource-group resources (DCRs, workbooks)."),
    },
    locals: {
      resource_group_id: "/subscriptions/${var.subscription_id}/resourceGroups/${var.resource_group_name}",
      workspace_id: "${local.resource_group_id}/providers/Microsoft.OperationalInsights/workspaces/${var.workspace_name}",
    },
    ...(input.resources.length > 0 ? { resource: { azapi_resource: resources } } : {}),
  };
  return { files: new Map([["sentinel.tf.json", jsonText(config)]]), built: input.resources.length, skipped: [] };
}
