// The steps every replay shares, offline or live: the repository loaded once per root, the analytic rules a
// selection names, each prepared to run (or skipped with its reason), and the order results are reported in.
import { existsSync } from "node:fs";
import path from "node:path";
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.ts";
import { isTemplatePath } from "../content/kinds.ts";
import type { LoadedFile } from "../load/index.ts";
import { loadRepository, type Repository } from "../repository/index.ts";
import { buildWorkspace, type Workspace } from "../testing/spec/workspace.ts";
import type { ReplayAlert, ReplayRuleSummary } from "./result.ts";
import { prepareRule, type ReplayRule, type SkippedRule } from "./run-rules.ts";

/** Repositories by root: one process replaying the same repository many times (tests) loads it once. */
const repositoryCache = new Map<string, Promise<Repository>>();
/** Roots whose repository is kept; the least recently loaded is dropped beyond it. */
const MAX_CACHED_REPOSITORIES = 4;

/** The repository under `root`, loaded once per root (the given one when the caller already holds it). */
export function loadContent(root: string, given?: Repository): Promise<Repository> {
  if (given) return Promise.resolve(given);
  let loaded = repositoryCache.get(root);
  if (!loaded) {
    loaded = loadRepository(root);
    repositoryCache.set(root, loaded);
    if (repositoryCache.size > MAX_CACHED_REPOSITORIES) repositoryCache.delete(repositoryCache.keys().next().value as string);
  }
  return loaded;
}

/** The analytic rules of the repository selected by `selection` (files, folders or ids), in file order. */
function selectRules(files: readonly LoadedFile[], root: string, selection: readonly string[] | undefined): { rules: LoadedFile[]; diagnostics: Diagnostic[] } {
  const all = files.filter((f) => f.kind === "analytic-rule" && !isTemplatePath(f.path)).sort((a, b) => a.path.localeCompare(b.path));
  if (!selection || selection.length === 0) return { rules: all, diagnostics: [] };
  const chosen = new Set<LoadedFile>();
  const diagnostics: Diagnostic[] = [];
  for (const entry of selection) {
    const byId = all.filter((f) => String((f.data as Record<string, unknown> | null)?.id ?? "").toLowerCase() === entry.toLowerCase());
    const target = [path.resolve(entry), path.resolve(root, entry)].find((p) => existsSync(p));
    const byPath = target ? all.filter((f) => f.absolutePath === target || f.absolutePath.startsWith(`${target}${path.sep}`)) : [];
    const found = [...byId, ...byPath];
    if (found.length === 0) diagnostics.push(makeDiagnostic("SC5050", { file: entry }, `--rules ${entry}: no analytic rule has this id or lies at this path`));
    for (const file of found) chosen.add(file);
  }
  return { rules: all.filter((f) => chosen.has(f)), diagnostics };
}

/** The rules a replay runs: the repository's workspace, the selected rule files in file order, those ready to run and those skipped. */
export interface SelectedRules {
  workspace: Workspace;
  files: LoadedFile[];
  rules: ReplayRule[];
  skipped: SkippedRule[];
}

/** Loads the repository under `root` (or takes the given one) and prepares the rules `selection` names, or the findings of a selection naming nothing. */
export async function loadSelectedRules(root: string, selection: readonly string[] | undefined, given?: Repository): Promise<SelectedRules | { diagnostics: Diagnostic[] }> {
  const repository = await loadContent(root, given);
  const workspace = buildWorkspace(repository);
  const selected = selectRules(repository.entries, root, selection);
  if (selected.diagnostics.length > 0) return { diagnostics: selected.diagnostics };
  const prepared = selected.rules.map((file) => prepareRule(file, workspace));
  const rules = prepared.filter((r): r is ReplayRule => "settings" in r);
  const skipped = prepared.filter((r): r is SkippedRule => !("settings" in r));
  return { workspace, files: selected.rules, rules, skipped };
}

/** Sorts a replay's summaries into rule file order and its alerts by run time, then rule file order (both in place). */
export function sortInRuleOrder(files: readonly LoadedFile[], summaries: ReplayRuleSummary[], alerts: ReplayAlert[]): { summaries: ReplayRuleSummary[]; alerts: ReplayAlert[] } {
  const order = new Map(files.map((f, i) => [f.path, i]));
  const rank = (file: string) => order.get(file) ?? 0;
  return {
    summaries: summaries.sort((a, b) => rank(a.ruleFile) - rank(b.ruleFile)),
    alerts: alerts.sort((a, b) => a.runTime.localeCompare(b.runTime) || rank(a.ruleFile) - rank(b.ruleFile)),
  };
}
