import path from "node:path";
import type { ResourceKind } from "../api-versions.ts";
import type { BuiltResource } from "../types.ts";
import { armTemplate, sourceLookup } from "./arm.ts";
import { fileStem, jsonText, type Skipped, type TargetInput, type TargetOutput } from "./target.ts";

/**
 * The folders of the kinds Sentinel Repositories deploys (learn.microsoft.com "Manage content as code with
 * Microsoft Sentinel repositories": analytics rules, automation rules, hunting queries, parsers, playbooks,
 * workbooks), in the order they are listed in `sentinel-deployment.config` (parsers before the rules calling them).
 */
export const REPOSITORY_FOLDERS: Partial<Record<ResourceKind, string>> = {
  parser: "Parsers",
  "alert-rule": "AnalyticsRules",
  "hunting-query": "HuntingQueries",
  workbook: "Workbooks",
};

/** Why a kind cannot go through Repositories, and how to deploy it instead. */
export const NOT_IN_REPOSITORIES: Partial<Record<ResourceKind, string>> = {
  watchlist: "Sentinel Repositories does not deploy watchlists; deploy them with `sentinel-content deploy`, the `arm` template or the `terraform` target",
  table: "Sentinel Repositories does not deploy custom tables; deploy them with `sentinel-content deploy`, the `arm` template or the `terraform` target",
  dcr: "Sentinel Repositories does not deploy data collection rules; deploy them with `sentinel-content deploy`, the `arm` template or the `terraform` target",
};

/** The relative file of each resource a per-item target writes (`<Folder>/<source file stem>.<ext>`, made unique). */
export function itemFiles(resources: readonly BuiltResource[], extension: string): Map<BuiltResource, string> {
  const files = new Map<BuiltResource, string>();
  const taken = new Set<string>();
  for (const r of resources) {
    const folder = REPOSITORY_FOLDERS[r.kind];
    if (!folder) continue;
    const stem = fileStem(path.posix.basename(r.source.file).replace(/\.(ya?ml|json)$/i, ""));
    let file = `${folder}/${stem}.${extension}`;
    if (taken.has(file.toLowerCase())) file = `${folder}/${stem}-${fileStem(r.name)}.${extension}`;
    taken.add(file.toLowerCase());
    files.set(r, file);
  }
  return files;
}

/** The resources a per-item target leaves out, with the reason. */
export function skippedByRepositories(resources: readonly BuiltResource[]): Skipped[] {
  return resources.flatMap((r) => {
    const reason = NOT_IN_REPOSITORIES[r.kind];
    return reason ? [{ item: r.key, reason }] : [];
  });
}

/**
 * `sentinel-deployment.config` (learn.microsoft.com "Customize repository deployments"): parsers are listed in
 * `prioritizedcontentfiles`, because Repositories deploys files independently and a rule calling a parser that
 * does not exist yet is rejected.
 */
export function deploymentConfig(files: Map<BuiltResource, string>): string {
  const parsers = [...files.entries()].filter(([r]) => r.kind === "parser").map(([, f]) => f);
  return jsonText({ prioritizedcontentfiles: parsers, excludecontentfiles: [], parameterfilemappings: {} });
}

/** Sentinel Repositories: one ARM template per item, a `workspace` parameter, nothing environment-specific. */
export function buildRepositoriesTarget(input: TargetInput): TargetOutput {
  const files = itemFiles(input.resources, "json");
  const out = new Map<string, string>();
  const sourceOf = sourceLookup(input);
  for (const [r, file] of files) out.set(file, jsonText(armTemplate([r], sourceOf)));
  out.set("sentinel-deployment.config", deploymentConfig(files));
  return { files: out, built: files.size, skipped: skippedByRepositories(input.resources) };
}
