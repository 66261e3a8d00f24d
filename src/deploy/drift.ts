import path from "node:path";
import { isScalar, parseDocument, Scalar } from "yaml";
import type { ResourceKind } from "../build/api-versions.ts";
import { isoMinutes } from "../build/duration.ts";
import { formatMinutes } from "../content/duration.ts";
import { unmarkDescription } from "../build/marker.ts";
import { assertNever } from "../diagnostics/index.ts";
import { writeFileAtomic } from "../files/write-atomic.ts";
import { DURATION_FIELDS, type FieldChange } from "./normalize.ts";
import { isConflict, type Plan, type PlanItem } from "./plan.ts";

/** One drifted field and what absorbing it would write. */
export interface DriftField {
  change: FieldChange;
  /** The YAML key path it maps to (absent: not absorbable). */
  yamlPath?: string[];
  /** The YAML value to write (undefined with a yamlPath: delete the key). */
  yamlValue?: unknown;
  /** Why it cannot be absorbed. */
  reason?: string;
}

/** A repository-managed resource whose live state differs from the repository. */
export interface DriftItem {
  item: PlanItem;
  fields: DriftField[];
}

const OPERATORS: Record<string, string> = { GreaterThan: "gt", LessThan: "lt", Equal: "eq", NotEqual: "ne" };
/** Rule properties whose live value is written back to the YAML as it is. */
const DIRECT_RULE_FIELDS = new Set(["severity", "enabled", "query", "triggerThreshold", "suppressionEnabled", "tactics", "entityMappings", "customDetails", "alertDetailsOverride", "eventGroupingSettings", "incidentConfiguration"]);

/** The drifted items of a plan (updates), each field mapped back to the YAML where that is lossless. */
export function detectDrift(plan: Plan, overlaid: ReadonlyMap<string, ReadonlySet<string>>): DriftItem[] {
  return plan.items
    // A resource we do not own is a conflict (see the plan), never drift to absorb into our content.
    .filter((item) => item.action === "update" && item.file !== undefined && !isConflict(item))
    .map((item) => ({ item, fields: item.changes.map((change) => mapField(item, change, overlaid.get(item.file as string) ?? new Set())) }));
}

/** Repository items the workspace does not have: deleted there, or never applied (the API cannot tell which). */
export function missingFromWorkspace(plan: Plan): PlanItem[] {
  return plan.items.filter((item) => item.action === "create");
}

function mapField(item: PlanItem, change: FieldChange, overlaid: ReadonlySet<string>): DriftField {
  const live = change.live === undefined ? undefined : (JSON.parse(change.live) as unknown);
  const mapped = yamlMapping(item.kind, change.path, live);
  if (!mapped) return { change, reason: "no lossless YAML form for this field" };
  const dotted = mapped.path.join(".");
  if ([...overlaid].some((o) => o === dotted || dotted.startsWith(`${o}.`) || o.startsWith(`${dotted}.`))) {
    return { change, reason: "set by an environment override (edit environments.yaml instead)" };
  }
  const field: DriftField = { change, yamlPath: mapped.path };
  if (mapped.value !== undefined) field.yamlValue = mapped.value;
  return field;
}

function yamlMapping(kind: ResourceKind, restPath: string, live: unknown): { path: string[]; value: unknown } | undefined {
  const rest = restPath.startsWith("properties.") ? restPath.slice("properties.".length) : undefined;
  if (rest === undefined) return undefined;
  switch (kind) {
    case "alert-rule":
      return ruleMapping(rest, live);
    case "hunting-query":
      if (rest === "displayName") return { path: ["name"], value: live };
      if (rest === "query") return { path: ["query"], value: live };
      return undefined;
    case "parser":
      if (rest === "query") return { path: ["ParserQuery"], value: live };
      if (rest === "displayName") return { path: ["Parser", "Title"], value: live };
      return undefined;
    case "watchlist":
      return rest === "displayName" || rest === "description" ? { path: [rest], value: live } : undefined;
    case "workbook":
      if (rest === "serializedData") return { path: ["content"], value: live };
      return rest === "displayName" || rest === "description" ? { path: [rest], value: live } : undefined;
    case "table":
    case "dcr":
      return undefined;
    default:
      return assertNever(kind, "resource kind");
  }
}

function ruleMapping(rest: string, live: unknown): { path: string[]; value: unknown } | undefined {
  if (rest === "displayName") return { path: ["name"], value: live };
  if (rest === "description") return { path: ["description"], value: typeof live === "string" ? unmarkDescription(live) : live };
  if (rest === "triggerOperator") return { path: ["triggerOperator"], value: OPERATORS[String(live)] ?? live };
  if (DURATION_FIELDS.has(`properties.${rest}`)) {
    const minutes = typeof live === "string" ? isoMinutes(live) : undefined;
    return minutes === undefined || !Number.isInteger(minutes) ? undefined : { path: rest.split("."), value: formatMinutes(minutes) };
  }
  return DIRECT_RULE_FIELDS.has(rest.split(".")[0] as string) ? { path: rest.split("."), value: live } : undefined;
}

/** Writes the absorbable fields back into each content file (comments and layout kept; written atomically). */
export async function absorbDrift(drift: readonly DriftItem[], root: string, readText: (file: string) => Promise<string>): Promise<string[]> {
  const byFile = new Map<string, DriftField[]>();
  for (const entry of drift) {
    const fields = entry.fields.filter((f) => f.yamlPath !== undefined);
    if (fields.length > 0 && entry.item.file) byFile.set(entry.item.file, [...(byFile.get(entry.item.file) ?? []), ...fields]);
  }
  const written: string[] = [];
  for (const [file, fields] of byFile) {
    const text = await readText(file);
    const updated = absorbIntoText(text, fields);
    if (updated === text) continue;
    // Content files keep the mode a plain write gives them.
    await writeFileAtomic(path.join(root, file), updated, 0o666);
    written.push(file);
  }
  return written;
}

/** The YAML text with the fields set (scalar styles such as block literals kept) or removed. */
export function absorbIntoText(text: string, fields: readonly DriftField[]): string {
  const doc = parseDocument(text);
  for (const field of fields) {
    const path = field.yamlPath as string[];
    if (field.yamlValue === undefined) {
      doc.deleteIn(path);
      continue;
    }
    const node = doc.getIn(path, true);
    if (isScalar(node) && typeof field.yamlValue === "string" && typeof node.value === "string") {
      const blockKeep = (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) && node.value.endsWith("\n") && !field.yamlValue.endsWith("\n");
      node.value = blockKeep ? `${field.yamlValue}\n` : field.yamlValue;
    } else if (isScalar(node) && typeof field.yamlValue !== "object") {
      node.value = field.yamlValue;
    } else {
      doc.setIn(path, doc.createNode(field.yamlValue));
    }
  }
  return doc.toString();
}
