// The corpus the validate bench measures: Microsoft's analytic rules under ../shared/corpus/azure-sentinel/rules.
import path from "node:path";
import { collectQuerySites } from "../../../src/kql/index.ts";
import { loadContentTree, type LoadedFile } from "../../../src/load/index.ts";
import { SHARED_DIR } from "../../shared-dir.ts";

/** The corpus root (override with SENTINEL_CORPUS). */
export const CORPUS = path.resolve(process.env["SENTINEL_CORPUS"] ?? path.join(SHARED_DIR, "corpus/azure-sentinel"));
/** Its analytic rules folder. */
export const RULES = path.join(CORPUS, "rules");

/** Every corpus rule file that loads, in path order. */
export async function corpusRules(): Promise<LoadedFile[]> {
  return (await loadContentTree(CORPUS, [RULES], { kind: "analytic-rule" })).files;
}

/** The query text of every corpus rule, in path order. */
export async function corpusQueries(): Promise<string[]> {
  return (await corpusRules()).flatMap((file) => collectQuerySites(file).map((site) => site.query.text));
}
