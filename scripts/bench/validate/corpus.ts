// The corpus the validate bench measures: Microsoft's analytic rules under ../shared/corpus/azure-sentinel/rules.
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { collectQuerySites } from "../../../src/kql/index.ts";
import { loadFile, type LoadedFile } from "../../../src/load/index.ts";

/** The corpus root (override with SENTINEL_CORPUS). */
export const CORPUS = path.resolve(process.env["SENTINEL_CORPUS"] ?? "/work/shared/corpus/azure-sentinel");
/** Its analytic rules folder. */
export const RULES = path.join(CORPUS, "rules");

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) return yamlFiles(full);
      return /\.ya?ml$/i.test(name) ? [full] : [];
    });
}

/** Every corpus rule file that loads, in path order. */
export function corpusRules(): LoadedFile[] {
  return yamlFiles(RULES).flatMap((f): LoadedFile[] => {
    const file = loadFile(f, CORPUS, { kind: "analytic-rule" }).file;
    return file ? [file] : [];
  });
}

/** The query text of every corpus rule, in path order. */
export function corpusQueries(): string[] {
  return corpusRules().flatMap((file) => collectQuerySites(file).map((site) => site.query.text));
}
