import path from "node:path";
import type { EngineLimits } from "../../engine/index.ts";
import type { Diagnostic } from "../../diagnostics/index.ts";
import { kindOfPath } from "../../content/kinds.ts";
import { targetPathOf } from "../../content/test-target.ts";
import { loadRepository, type Repository } from "../../repository/index.ts";
import { checkTestCoverage } from "../../checks/test-coverage.ts";
import { keepOnly } from "../../kql/kept-analyses.ts";
import { affectedContent } from "../selection/dependencies.ts";
import { selectionFindings } from "../selection/selection-findings.ts";
import { checkFixtureProfiles } from "../spec/fixture-profiles.ts";
import type { QueryEngine } from "./engine-port.ts";
import { changedSince, defaultBaseRef } from "../selection/git-changes.ts";
import { caseQueries, planFromRepository, type TestPlan } from "./plan.ts";
import type { TestReport } from "../reporters/report.ts";
import { runCasesOnWorkers, type TestWorkers } from "./test-pool.ts";
import { summarize, type CaseResult } from "../verdict/verdict.ts";

/** Options of a content test run. */
export interface TestRunOptions {
  root: string;
  engine: QueryEngine;
  /** Already-loaded content of `root` (`loadRepository`, or a validate run's), used instead of loading it again. */
  repository?: Repository;
  /** Only tests of (or beside) these files and folders, relative to `root`. */
  paths?: string[];
  /** Only content changed since this base ref, plus everything depending on it. */
  changedBase?: string;
  updateSnapshots?: boolean;
  /** Enforce the coverage gate on the selected content (default true). */
  coverage?: boolean;
  /** Called after each case (e.g. live comparison); may attach `live` to the result. */
  afterCase?: (result: CaseResult) => Promise<void> | void;
  /** Worker threads running cases (default 1). Not used with updateSnapshots or afterCase, which need this thread. */
  jobs?: number;
  /** Only the cases with this name (the coverage gate is then skipped: it concerns whole files). */
  caseName?: string;
  /** Hears of each verdict as it arrives, with how many cases there are (for progress display). */
  onCase?: (result: CaseResult, total: number) => void;
  /** The engine's time and memory budgets, for the engines of worker threads (the `engine` above has its own). */
  limits?: Partial<EngineLimits>;
  /** Worker threads started early (startTestWorkers) to run the cases on instead of `jobs` new ones; closed if the run needs none. */
  workers?: TestWorkers;
  /** checkFixtureProfiles' findings over every entry of `repository`, already computed (by validate): used when no selection narrows the run. */
  fixtureProfiles?: Diagnostic[];
}

/** Turns user paths into repo-relative POSIX prefixes. */
function prefixes(root: string, paths: readonly string[]): string[] {
  return paths.map((p) => path.relative(root, path.resolve(root, p)).split(path.sep).join("/").replace(/\/$/, ""));
}

function under(file: string, prefix: string): boolean {
  return prefix === "" || file === prefix || file.startsWith(`${prefix}/`);
}

/** The selection of a run: all tests, tests under given paths, or tests of changed content (and its dependants). */
function selection(
  options: TestRunOptions,
  repository: Repository,
): { select?: (tests: string, target: string) => boolean; describe?: string; changed?: ReadonlySet<string> } {
  const wanted = options.paths && options.paths.length > 0 ? prefixes(options.root, options.paths) : undefined;
  const byPath = wanted ? (tests: string, target: string) => wanted.some((p) => under(tests, p) || under(target, p)) : undefined;
  if (options.changedBase === undefined) return byPath ? { select: byPath } : {};
  const base = options.changedBase === "" ? defaultBaseRef(options.root) : options.changedBase;
  const changes = changedSince(options.root, base);
  const pairs = pairsOf(repository);
  // templates' tests files have no pairing: they are never run, so they affect only themselves
  const affected = affectedContent(repository.entries, changes, (tests) => pairs.targetOf(tests.path));
  return {
    select: (tests, target) => affected.has(target) && (!byPath || byPath(tests, target)),
    describe: `${affected.size} content file(s) affected by ${changes.paths.length} change(s) since ${base}`,
    // with paths too, only the changes under them
    changed: new Set(changes.paths.filter((p) => !wanted || wanted.some((w) => under(p, w)))),
  };
}

/**
 * The repository's tests pairings both ways: a tests file's target (a file that is no tests file is its own; a tests
 * file that did not load, and so has no pairing, targets its sibling with the same stem), a file's tests files.
 */
function pairsOf(repository: Repository): { targetOf(file: string): string; testsOf(file: string): string[] } {
  const targets = new Map(repository.tests.map((pairing) => [pairing.tests.path, pairing.targetPath]));
  const tests = new Map<string, string[]>();
  for (const pairing of repository.tests) tests.set(pairing.targetPath, [...(tests.get(pairing.targetPath) ?? []), pairing.tests.path]);
  const unpaired = (file: string) => (kindOfPath(file) === "tests" && !repository.files.has(file) ? targetPathOf(file, undefined, repository) : file);
  return { targetOf: (file) => targets.get(file) ?? unpaired(file), testsOf: (file) => tests.get(file) ?? [] };
}

/** Runs the selected content tests and the coverage gate; returns verdicts and findings (never throws for content problems). */
export async function runContentTests(options: TestRunOptions): Promise<TestReport & { selection?: string }> {
  const started = performance.now();
  const repository = options.repository ?? (await loadRepository(options.root));
  const { select, describe, changed } = selection(options, repository);
  const plan: TestPlan = planFromRepository(repository, { engine: options.engine, updateSnapshots: options.updateSnapshots === true, ...(select ? { select } : {}) });
  if (options.caseName !== undefined) plan.cases = plan.cases.filter((c) => c.name === options.caseName);
  const total = plan.cases.length;
  const onResult = options.onCase ? (result: CaseResult) => options.onCase?.(result, total) : undefined;
  const jobs = options.jobs ?? 1;
  const parallel = jobs > 1 && plan.cases.length > jobs && !options.updateSnapshots && !options.afterCase;
  if (!parallel) void options.workers?.close();
  const onWorkers = parallel ? runCasesOnWorkers(options.root, plan.cases, jobs, options.limits, onResult, options.workers) : undefined;
  // the checks below need no verdicts: they run while the workers start (each loads Kusto.Language and the content)
  const pairs = pairsOf(repository);
  // a file is selected when it or a tests file paired with it is (a tests file through its target): a given tests file
  // selects its target's findings and coverage, a given content file its tests files' findings and fixtures
  const selected = (file: string) => !select || [file, ...pairs.testsOf(file)].some((tests) => select(tests, pairs.targetOf(tests)));
  // a run over given paths or changes reports the findings about its content and what it depends on, not about
  // unrelated content; a changed file is in scope even when it did not load (so it has no pairing and affects nothing)
  const inScope = select ? { root: options.root, files: repository.entries, selected: (file: string) => selected(file) || changed?.has(file) === true } : undefined;
  const diagnostics: Diagnostic[] = inScope ? selectionFindings(plan.diagnostics, inScope) : [...plan.diagnostics];
  // fixtures of the selected tests files obey the profiles of their sources
  const selectedTests = repository.entries.filter((f) => f.kind === "tests" && selected(f.path));
  diagnostics.push(...(options.fixtureProfiles && !select ? options.fixtureProfiles : checkFixtureProfiles(options.root, selectedTests)));
  // with a selection, the coverage gate covers the selected content only
  if (options.coverage !== false && options.caseName === undefined) diagnostics.push(...checkTestCoverage(repository).filter((d) => selected(d.file)));
  const results: CaseResult[] = onWorkers ? await onWorkers : [];
  // the cases on this thread take its kept analyses (check --jobs 1 keeps validation's) of their own queries only
  if (!onWorkers) keepOnly(caseQueries(plan.cases));
  for (const planned of onWorkers ? [] : plan.cases) {
    const result = planned.run();
    await options.afterCase?.(result);
    onResult?.(result);
    results.push(result);
  }
  const snapshotsWritten = plan.finish();
  const report: TestReport & { selection?: string } = { results, diagnostics, summary: summarize(results, performance.now() - started), snapshotsWritten };
  if (describe) report.selection = describe;
  return report;
}
