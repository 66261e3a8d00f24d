/**
 * Compares our alertRules bodies with the ARM Microsoft's own converter generated for the same YAML, over every
 * pair: every property both carry must be equal. Prints the matched count and each differing field with its pairs.
 * Usage: tsx scripts/arm-fidelity.ts [pairs dir] [--json]   (default: ../shared/corpus/azure-sentinel/arm-pairs beside the repository)
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { comparePair } from "../src/build/fidelity.ts";
import { SHARED_DIR } from "./shared-dir.ts";

const args = process.argv.slice(2);
const root = args.find((a) => !a.startsWith("--")) ?? path.join(SHARED_DIR, "corpus/azure-sentinel/arm-pairs");
const results = readdirSync(root).filter((d) => /^\d+$/.test(d)).sort().map((p) => comparePair(path.join(root, p)));
const matched = results.filter((r) => r.mismatches.length === 0).length;
if (args.includes("--json")) {
  process.stdout.write(`${JSON.stringify({ pairs: results.length, matched, differing: results.filter((r) => r.mismatches.length > 0) }, null, 2)}\n`);
} else {
  const byField = new Map<string, string[]>();
  for (const r of results) for (const m of r.mismatches) byField.set(m.field, [...(byField.get(m.field) ?? []), r.pair]);
  const fields = results.reduce((n, r) => n + r.compared.length, 0);
  process.stdout.write(`${matched} of ${results.length} pairs match field for field (${fields} fields compared; "enabled" differs by design).\n`);
  for (const [field, pairs] of [...byField.entries()].sort((a, b) => b[1].length - a[1].length)) process.stdout.write(`  ${field}: ${pairs.length} pair(s): ${pairs.join(", ")}\n`);
}
