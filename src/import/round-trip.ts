import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { itemsFromTemplate } from "./arm-template.ts";
import { buildAlertRule } from "../build/alert-rule.ts";
import { armTemplate } from "../build/targets/arm.ts";
import { SYMBOLIC_WORKSPACE } from "../build/targets/symbolic.ts";
import { canonicalJson } from "../build/canonical-json.ts";

/** One field that did not survive build → import unchanged. */
export interface FieldDifference {
  field: string;
  original: unknown;
  imported: unknown;
}

/** The outcome of one round trip: the imported YAML data and every top-level field that differs from the original. */
export interface RoundTrip {
  imported?: Record<string, unknown>;
  /** Why the rule could not be built, when it could not. */
  buildError?: string;
  differences: FieldDifference[];
}

/**
 * Builds a rule into the `arm` target's template, imports the template, and compares field by field with the YAML.
 * With `carry` false the template has no resource metadata: what import gets from the REST body alone (as from a
 * workspace).
 */
export function roundTripRule(original: Record<string, unknown>, file = "rule.yaml", carry = true): RoundTrip {
  const built = buildAlertRule(original, file, () => ({ file }), { target: SYMBOLIC_WORKSPACE, repository: "round-trip" });
  if (built.resources.length === 0) return { buildError: built.diagnostics.map((d) => `${d.code} ${d.message}`).join("; "), differences: [] };
  const template = JSON.parse(JSON.stringify(armTemplate(built.resources, () => (carry ? original : undefined))));
  const imported = itemsFromTemplate(template, "azuredeploy.json").items[0]?.data;
  if (!imported) return { buildError: "the template held no importable rule", differences: [] };
  return { imported, differences: compareFields(original, imported) };
}

/** Top-level fields whose values differ (key order inside values ignored; null and absent are equal). */
export function compareFields(original: Record<string, unknown>, imported: Record<string, unknown>): FieldDifference[] {
  const fields = [...new Set([...Object.keys(original), ...Object.keys(imported)])];
  return fields
    .filter((field) => canonicalJson(original[field] ?? null) !== canonicalJson(imported[field] ?? null))
    .map((field) => ({ field, original: original[field], imported: imported[field] }));
}

/** The round trip of a corpus pair directory's rule.yaml. */
export function roundTripPair(dir: string, carry = true): RoundTrip & { pair: string } {
  const original = parse(readFileSync(path.join(dir, "rule.yaml"), "utf8")) as Record<string, unknown>;
  return { pair: path.basename(dir), ...roundTripRule(original, path.join(path.basename(dir), "rule.yaml"), carry) };
}
