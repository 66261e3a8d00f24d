import { availableParallelism } from "node:os";
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.ts";
import { locate, type LoadedFile } from "../load/index.ts";
import {
  analysisEnvironmentOf,
  cacheIsWarm,
  cacheKey,
  collectEnvironment,
  collectQuerySites,
  createAnalyzer,
  loadBundledTables,
  openAnalysisCache,
  reachableTables,
  startAnalysisPool,
  type AnalysisEnvironment,
  type AnalysisPool,
  type AnalysisOutcome,
  type QueryAnalysis,
  type QuerySite,
  type TableSchema,
} from "./index.ts";
import { describeSite, kqlDiagnostics } from "./analysis-diagnostics.ts";
import { transformFeatureFindings } from "./transform-check.ts";
import { transformQueries } from "./query-sites.ts";
import { transformFeaturesKey } from "./analysis-cache.ts";
import { unsupportedTransformFeatures, type UnsupportedFeature } from "./transform-features.ts";
import { checkOutputColumns, checkGroupingFields, ruleColumnReferences } from "./output-columns.ts";
import { checkTransformOutput, checkUnfilledColumns, type FilledColumns } from "./output-columns-ingestion.ts";

/** Options of analyzeContentQueries. */
export interface KqlContentOptions {
  /** Repository root: the cache lives in `<root>/.cache/sentinel-content/`. */
  root: string;
  /** Read and write the analysis cache (default true). */
  cache?: boolean;
  /** Worker threads for uncached queries (default: the available cores, at most 4; 1 = analyse in this thread unless `pool` is given). */
  workers?: number;
  /**
   * The rest of the repository on a partial run (parsers, watchlists, ingestion mappings): their functions, tables and
   * transforms are known to the analysed files, but findings are reported only for `files`.
   */
  contextFiles?: readonly LoadedFile[];
  /**
   * Analysis workers the caller started early (startAnalysisPool), so they load Kusto.Language while it loads the
   * content; used for any number of uncached queries (up to `workers` threads) and left running (the caller closes it).
   */
  pool?: AnalysisPool;
}

/** Below this many uncached queries, starting workers costs more than it saves. */
const MIN_QUERIES_FOR_WORKERS = 48;

/** The worker threads that pay for `queries` analyses: none below the threshold, else one per threshold's worth, at most `workers`. */
function threadsFor(queries: number, workers: number): number {
  return workers > 1 && queries >= MIN_QUERIES_FOR_WORKERS ? Math.min(workers, Math.ceil(queries / MIN_QUERIES_FOR_WORKERS)) : 0;
}

/** The default number of analysis workers: the available cores, at most 4. */
function defaultWorkers(): number {
  return Math.min(4, availableParallelism());
}

/**
 * One analysis worker, started before the content is loaded so that it loads Kusto.Language meanwhile (pass it as
 * `pool`, then close it); undefined when `workers` (default: the available cores, at most 4) keeps the analysis in
 * this thread.
 */
export function startEarlyAnalysisPool(workers?: number): AnalysisPool | undefined {
  return (workers ?? defaultWorkers()) > 1 ? startAnalysisPool(1) : undefined;
}

/** An uncached query: its cache key and the sites that share it. */
interface Job {
  query: string;
  key: string;
  sites: number[];
}

/**
 * Analyses on the pool when there is one (a pool the caller started is used for any number of queries: its workers are
 * already loading Kusto.Language), else in this thread; falls back to this thread if a worker fails.
 */
async function runAnalyses(jobs: readonly Job[], environment: AnalysisEnvironment, pool: AnalysisPool | undefined, threads: number, done: (job: Job, outcome: AnalysisOutcome) => void): Promise<void> {
  if (jobs.length === 0) return;
  if (pool) {
    try {
      await pool.analyze(
        jobs.map((j) => j.query),
        environment,
        Math.max(1, threads),
        (index, outcome) => done(jobs[index] as Job, outcome),
      );
      return;
    } catch {
      // a crashed worker is retried in-process below, where a failure is reported per query
    }
  }
  const analyze = createAnalyzer(environment, reachableTables(jobs.map((j) => j.query), environment));
  for (const job of jobs) done(job, analyze(job.query));
}

/** The indexes of the analysable sites (those reading a declared stream) per distinct query text, in order of first site. */
function sitesByQuery(sites: readonly QuerySite[]): Map<string, number[]> {
  const byQuery = new Map<string, number[]>();
  sites.forEach((site, index) => {
    if (site.undeclaredStream !== undefined) return;
    const indexes = byQuery.get(site.query.text);
    if (indexes) indexes.push(index);
    else byQuery.set(site.query.text, [index]);
  });
  return byQuery;
}

/** Analyses every query once (cache first), returning one outcome per site; sites not analysable get undefined. */
async function analyzeSites(sites: readonly QuerySite[], environment: AnalysisEnvironment, options: KqlContentOptions): Promise<(AnalysisOutcome | undefined)[]> {
  const workers = options.workers ?? defaultWorkers();
  const useCache = options.cache ?? true;
  // without a cache folder every query is analysed: the workers start before the queries are hashed, so they load
  // Kusto.Language meanwhile; with one, most answers are cached and workers start only if enough are not
  const byQuery = sitesByQuery(sites);
  const coldThreads = threadsFor(byQuery.size, workers);
  const coldCache = !cacheIsWarm(options.root, useCache);
  let ownPool = options.pool || !coldCache || coldThreads === 0 ? undefined : startAnalysisPool(coldThreads);
  try {
    const cache = useCache ? openAnalysisCache(options.root) : undefined;
    const outcomes: (AnalysisOutcome | undefined)[] = sites.map(() => undefined);
    // one cache key and one cache read per distinct query, however many sites share it
    const jobs: Job[] = [];
    for (const [query, indexes] of byQuery) {
      const key = cache ? cacheKey(query, environment) : query;
      const cached = cache?.get(key);
      if (cached) for (const index of indexes) outcomes[index] = { ok: true, analysis: cached };
      else jobs.push({ query, key, sites: indexes });
    }
    const threads = threadsFor(jobs.length, workers);
    if (!options.pool && threads > 0) ownPool ??= startAnalysisPool(threads);
    const pool = options.pool ?? (threads > 0 ? ownPool : undefined);
    // each outcome is stored and cached as it arrives, while the workers analyse the rest
    await runAnalyses(jobs, environment, pool, threads, (job, outcome) => {
      if (outcome.ok) cache?.set(job.key, outcome.analysis);
      for (const index of job.sites) outcomes[index] = outcome;
    });
    return outcomes;
  } finally {
    void ownPool?.close();
  }
}

/**
 * The unsupported features of the transform queries of `files`, through the analysis cache (so a warm run does not
 * load Kusto.Language for them); those not cached are found on the caller's pool when there is one (its workers load
 * Kusto.Language anyway, this thread then never does), else in this thread, as is any the pool could not answer.
 */
async function transformFeaturesLookup(files: readonly LoadedFile[], options: KqlContentOptions): Promise<(query: string) => UnsupportedFeature[]> {
  const cache = options.cache === false ? undefined : openAnalysisCache<UnsupportedFeature[]>(options.root);
  const found = new Map<string, UnsupportedFeature[]>();
  const missing: string[] = [];
  for (const query of new Set(files.flatMap((f) => transformQueries(f).map((t) => t.kql)))) {
    const cached = cache?.get(transformFeaturesKey(query));
    if (Array.isArray(cached)) found.set(query, cached);
    else missing.push(query);
  }
  const record = (query: string, features: UnsupportedFeature[]): UnsupportedFeature[] => {
    cache?.set(transformFeaturesKey(query), features);
    found.set(query, features);
    return features;
  };
  const fromPool = await featuresOnPool(missing, options.pool);
  missing.forEach((query, i) => {
    const features = fromPool[i];
    if (features) record(query, features);
  });
  // those the pool did not answer are found here when the findings ask (after the analyses): a failure then ends the
  // run where it would without a pool, not while the pool still analyses
  return (query) => {
    return found.get(query) ?? record(query, unsupportedTransformFeatures(query));
  };
}

/** The queries' unsupported features found on the pool's worker; undefined for each one it did not answer (no pool, a failure). */
async function featuresOnPool(queries: readonly string[], pool: AnalysisPool | undefined): Promise<(UnsupportedFeature[] | undefined)[]> {
  if (queries.length === 0 || !pool?.transformFeatures) return [];
  try {
    return await pool.transformFeatures(queries);
  } catch {
    return []; // a failed worker: this thread finds them
  }
}

function transformTarget(site: QuerySite, custom: ReadonlyMap<string, TableSchema>): TableSchema | undefined {
  if (!site.transform) return undefined;
  if (site.transform.outputStream.startsWith("Custom-")) return custom.get(site.transform.table);
  return custom.get(site.transform.table) ?? loadBundledTables().get(site.transform.table);
}

/** What the transforms write per table; a table with any transform that failed analysis is left out (unknown). */
function filledColumns(sites: readonly QuerySite[], outcomes: readonly (AnalysisOutcome | undefined)[]): FilledColumns {
  const filled = new Map<string, Set<string>>();
  const unknown = new Set<string>();
  sites.forEach((site, i) => {
    const outcome = outcomes[i];
    if (!site.transform) return;
    const analysis = outcome?.ok ? outcome.analysis : undefined;
    if (!analysis?.resultColumns || analysis.diagnostics.some((d) => d.severity === "error")) {
      unknown.add(site.transform.table);
      return;
    }
    const columns = filled.get(site.transform.table) ?? new Set<string>();
    for (const c of analysis.resultColumns) columns.add(c.name);
    filled.set(site.transform.table, columns);
  });
  for (const table of unknown) filled.delete(table);
  return filled;
}

/** The contract checks that need a clean analysis: output columns of rules and transforms, unfilled custom columns. */
function contractDiagnostics(site: QuerySite, analysis: QueryAnalysis, declared: ReadonlyMap<string, TableSchema>, filled: FilledColumns): Diagnostic[] {
  const out = checkUnfilledColumns(site, analysis.referencedColumns ?? [], filled);
  if (analysis.diagnostics.some((d) => d.severity === "error")) return out;
  const columns = analysis.resultColumns;
  if (site.role === "transform") {
    if (columns) out.push(...checkTransformOutput(site, columns, transformTarget(site, declared)));
    return out;
  }
  if (site.role !== "analytic-rule" && site.role !== "hunting-query") return out;
  if (!columns) {
    if (ruleColumnReferences(site.file.data).length > 0) {
      out.push(makeDiagnostic("SC3007", locate(site.file, site.path), `the ${describeSite(site)} does not end in a tabular result, so its mapped columns cannot be checked`));
    }
    return out;
  }
  out.push(...checkOutputColumns(site.file, columns, analysis.resultIsOpen ?? false));
  return out;
}

/**
 * KQL analysis of all content: rule and hunting queries, parsers (also callable from every other query),
 * workbook steps (parameters substituted) and DCR transforms, against the bundled schemas plus the custom tables,
 * parsers and watchlists of `files`; then the output-column contract of rules and transforms.
 */
export async function analyzeContentQueries(files: readonly LoadedFile[], options: KqlContentOptions): Promise<Diagnostic[]> {
  const reported = new Set(files.map((f) => f.path));
  const everything = [...files, ...(options.contextFiles ?? []).filter((f) => !reported.has(f.path))];
  const environment = collectEnvironment(everything);
  const analysisEnvironment = analysisEnvironmentOf(environment);
  const sites = everything.flatMap((f) => collectQuerySites(f));
  // the transforms' features are found while the queries are analysed (on a worker of the pool when there is one)
  const [outcomes, featuresOf] = await Promise.all([analyzeSites(sites, analysisEnvironment, options), transformFeaturesLookup(files, options)]);
  const declared = new Map(environment.declaredTables.map((t) => [t.name, t]));
  const filled = filledColumns(sites, outcomes);
  const diagnostics: Diagnostic[] = files.flatMap((f) => (f.kind === "analytic-rule" ? checkGroupingFields(f) : transformFeatureFindings(f, featuresOf)));
  sites.forEach((site, i) => {
    if (!reported.has(site.file.path)) return;
    const outcome = outcomes[i];
    if (outcome && !outcome.ok) {
      diagnostics.push(makeDiagnostic("SC3099", locate(site.file, site.path), `Kusto.Language failed on this ${describeSite(site)}: ${outcome.error}`));
      return;
    }
    const analysis = outcome?.analysis;
    diagnostics.push(...kqlDiagnostics(site, analysis));
    if (analysis) diagnostics.push(...contractDiagnostics(site, analysis, declared, filled));
  });
  return diagnostics;
}
