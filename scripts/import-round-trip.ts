/**
 * Round trip over the YAML → ARM corpus pairs: each rule.yaml is built into the `arm` target's template and
 * imported back (`import arm`); prints how many give back the same YAML data and, per field, which pairs differ.
 * --body-only: the template without resource metadata (what a REST body alone gives back, as from a workspace).
 * Usage: tsx scripts/import-round-trip.ts [pairs dir] [--json] [--body-only]   (default: ../shared/corpus/azure-sentinel/arm-pairs beside the repository)
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { roundTripPair } from "../src/import/round-trip.ts";
import { SHARED_DIR } from "./shared-dir.ts";

const args = process.argv.slice(2);
const root = args.find((a) => !a.startsWith("--")) ?? path.join(SHARED_DIR, "corpus/azure-sentinel/arm-pairs");
const carry = !args.includes("--body-only");
const results = readdirSync(root).filter((d) => /^\d+$/.test(d)).sort().map((p) => roundTripPair(path.join(root, p), carry));
const exact = results.filter((r) => !r.buildError && r.differences.length === 0);
if (args.includes("--json")) {
  process.stdout.write(`${JSON.stringify({ pairs: results.length, exact: exact.length, results: results.filter((r) => r.buildError || r.differences.length > 0) }, null, 2)}\n`);
} else {
  process.stdout.write(`${exact.length} of ${results.length} rules round-trip exactly (YAML → build --target arm${carry ? "" : " without resource metadata"} → import arm → same YAML data).\n`);
  const unbuilt = results.filter((r) => r.buildError);
  if (unbuilt.length > 0) process.stdout.write(`  not built: ${unbuilt.map((r) => `${r.pair} (${r.buildError})`).join(", ")}\n`);
  const byField = new Map<string, string[]>();
  for (const r of results) for (const d of r.differences) byField.set(d.field, [...(byField.get(d.field) ?? []), r.pair]);
  for (const [field, pairs] of [...byField.entries()].sort((a, b) => b[1].length - a[1].length)) process.stdout.write(`  ${field}: ${pairs.length} pair(s): ${pairs.join(", ")}\n`);
}
