import { TYPE_OF, WORKSPACE_API_VERSION } from "../api-versions.ts";
import type { BuiltResource } from "../types.ts";
import { SLOT_EXPRESSION as ARM_SLOT_EXPRESSION } from "./arm.ts";
import { deploymentConfig, itemFiles, skippedByRepositories } from "./repositories.ts";
import { pieces, SYMBOLIC_WORKSPACE, type Slot } from "./symbolic.ts";
import type { TargetInput, TargetOutput } from "./target.ts";

/** Bicep has ARM's subscription() and resourceGroup() functions; the workspace and location are its own parameters. */
const SLOT_EXPRESSION: Record<Slot, string> = {
  ...ARM_SLOT_EXPRESSION,
  workspace: "workspace",
  location: "location",
};

/**
 * A Bicep string literal (learn.microsoft.com "Bicep data types", strings): single-quoted with `\\`, `\'`, `\n`,
 * `\r`, `\t` and `\${` escaped; other control characters as `\u{…}`; deploy-time values interpolated as `${workspace}`.
 */
export function bicepString(value: string): string {
  const body = pieces(value)
    .map((p) => ("slot" in p ? `\${${SLOT_EXPRESSION[p.slot]}}` : escapeBicep(p.text)))
    .join("");
  return `'${body}'`;
}

function escapeBicep(text: string): string {
  return text.replace(/[\\'\n\r\t$\u0000-\u001f\u007f]/g, (c) => {
    switch (c) {
      case "\\":
        return "\\\\";
      case "'":
        return "\\'";
      case "\n":
        return "\\n";
      case "\r":
        return "\\r";
      case "\t":
        return "\\t";
      case "$":
        return "\\$";
      default:
        return `\\u{${c.charCodeAt(0).toString(16)}}`;
    }
  });
}

/** A JSON value as a Bicep expression, indented by `indent` (objects and arrays one entry per line). */
export function bicepValue(value: unknown, indent = ""): string {
  if (typeof value === "string") return bicepString(value);
  if (value === null || value === undefined) return "null";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) return value.length === 0 ? "[]" : `[\n${value.map((v) => `${inner}${bicepValue(v, inner)}`).join("\n")}\n${indent}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([k, v]) => `${inner}${bicepKey(k)}: ${bicepValue(v, inner)}`).join("\n")}\n${indent}}`;
}

function bicepKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : bicepString(key);
}

/** One item as a Bicep file: `workspace` (and `location` when used) parameters, the resource scoped to the workspace. */
export function bicepFile(r: BuiltResource): string {
  const type = TYPE_OF[r.kind];
  const lines = [`// ${r.title} (from ${r.source.file})`, "", "@description('Name of the Log Analytics workspace with Microsoft Sentinel.')", "param workspace string"];
  if (JSON.stringify(r.body).includes(SYMBOLIC_WORKSPACE.location)) {
    lines.push("", "@description('Region of resource-group resources (DCRs, workbooks).')", "param location string = resourceGroup().location");
  }
  const onWorkspace = type.startsWith("Microsoft.SecurityInsights/") || type.startsWith("Microsoft.OperationalInsights/workspaces/");
  if (onWorkspace) lines.push("", `resource sentinelWorkspace 'Microsoft.OperationalInsights/workspaces@${WORKSPACE_API_VERSION}' existing = {`, "  name: workspace", "}");
  const head: string[] = [];
  if (type.startsWith("Microsoft.SecurityInsights/")) head.push("  scope: sentinelWorkspace");
  else if (onWorkspace) head.push("  parent: sentinelWorkspace");
  head.push(`  name: ${r.kind === "workbook" ? `guid(resourceGroup().id, workspace, ${bicepString(r.source.contentId.toLowerCase())})` : bicepString(r.name)}`);
  const body = Object.entries(r.body).map(([k, v]) => `  ${bicepKey(k)}: ${bicepValue(v, "  ")}`);
  lines.push("", `resource item '${type}@${r.apiVersion}' = {`, ...head, ...body, "}");
  return `${lines.join("\n")}\n`;
}

/** Bicep for Sentinel Repositories: one file per item, the same items and layout as the `repositories` target. */
export function buildBicepTarget(input: TargetInput): TargetOutput {
  const files = itemFiles(input.resources, "bicep");
  const out = new Map<string, string>();
  for (const [r, file] of files) out.set(file, bicepFile(r));
  out.set("sentinel-deployment.config", deploymentConfig(files));
  return { files: out, built: files.size, skipped: skippedByRepositories(input.resources) };
}
