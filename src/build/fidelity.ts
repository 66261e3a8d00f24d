import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { ruleProperties } from "./alert-rule.ts";
import { canonicalJson } from "./canonical-json.ts";

/** Properties that differ by design (docs/build-fidelity.md): templates ship disabled, a deployed rule is enabled. */
export const BY_DESIGN = new Set(["enabled"]);

/** The comparison of one YAML → ARM pair. */
export interface PairComparison {
  pair: string;
  /** Properties both bodies carry (and that are compared). */
  compared: string[];
  mismatches: { field: string; ours: unknown; microsoft: unknown }[];
}

/** Builds our properties for `rule.yaml` and compares every property both carry with Microsoft's `arm.json`. */
export function comparePair(dir: string): PairComparison {
  const yaml = parse(readFileSync(path.join(dir, "rule.yaml"), "utf8")) as Record<string, unknown>;
  const arm = JSON.parse(readFileSync(path.join(dir, "arm.json"), "utf8")) as { properties: Record<string, unknown> };
  const ours = ruleProperties(yaml, yaml["kind"] === "NRT" ? "NRT" : "Scheduled", () => ({ file: "rule.yaml" }), [], undefined);
  const compared = Object.keys(arm.properties).filter((field) => ours[field] !== undefined && !BY_DESIGN.has(field)).sort();
  const mismatches = compared
    .filter((field) => canonicalJson(ours[field]) !== canonicalJson(arm.properties[field]))
    .map((field) => ({ field, ours: ours[field], microsoft: arm.properties[field] }));
  return { pair: path.basename(dir), compared, mismatches };
}
