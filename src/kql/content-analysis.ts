import { availableParallelism } from "node:os";
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.ts";
import { locate, type LoadedFile } from "../load/index.ts";
import {
  analyzeOnWorkers,
  cacheKey,
  collectEnvironment,
  collectQuerySites,
  createAnalyzer,
  loadBundledTables,
  openAnalysisCache,
  type AnalysisEnvironment,
  type AnalysisOutcome,
  type QueryAnalysis,
  type QuerySite,
  type TableSchema,
} from "./index.ts";
import { describeSite, kqlDiagnostics } from "./analysis-diagnostics.ts";
import { transformFeatureFindings } from "./transform-check.ts";
import { checkOutputColumns, checkGroupingFields, ruleColumnReferences } from "./output-columns.ts";
import { checkTransformOutput, checkUnfilledColumns, type FilledColumns } from "./output-columns-ingestion.ts";

/** Options of analyzeContentQueries. */
export interface KqlContentOptions {
  /** Repository root: the cache lives in `<root>/.cache/sentinel-content/`. */
  root: string;
  /** Read and write the analysis cache (default true). */
  cache?: boolean;
  /** Worker threads for uncached queries (default: the available cores, at most 4; 1 = analyse in this thread). */
  workers?: number;
  /**
   * The rest of the repository on a partial run (parsers, watchlists, ingestion mappings): their functions, tables and
   * transforms are known to the analysed files, but findings are reported only for `files`.
   */
  contextFiles?: readonly LoadedFile[];
}

/** Below this many uncached queries, starting workers costs more than it saves. */
const MIN_QUERIES_FOR_WORKERS = 48;

/** Analyses with workers when it pays, else in this thread; falls back to this thread if a worker fails. */
async function runAnalyses(queries: readonly string[], environment: AnalysisEnvironment, workers: number): Promise<AnalysisOutcome[]> {
  if (queries.length === 0) return [];
  if (workers > 1 && queries.length >= MIN_QUERIES_FOR_WORKERS) {
    try {
      return await analyzeOnWorkers(queries, environment, Math.min(workers, Math.ceil(queries.length / MIN_QUERIES_FOR_WORKERS)));
    } catch {
      // a crashed worker is retried in-process below, where a failure is reported per query
    }
  }
  const analyze = createAnalyzer(environment);
  return queries.map((q) => analyze(q));
}

/** Analyses every query once (cache first), returning one outcome per site; sites not analysable get undefined. */
async function analyzeSites(sites: readonly QuerySite[], environment: AnalysisEnvironment, options: KqlContentOptions): Promise<(AnalysisOutcome | undefined)[]> {
  const useCache = options.cache ?? true;
  const cache = useCache ? openAnalysisCache(options.root) : undefined;
  const outcomes: (AnalysisOutcome | undefined)[] = sites.map(() => undefined);
  const missing = new Map<string, { query: string; key: string; sites: number[] }>();
  sites.forEach((site, index) => {
    if (site.undeclaredStream !== undefined) return;
    const query = site.query.text;
    const key = cache ? cacheKey(query, environment) : query;
    const cached = cache?.get(key);
    if (cached) {
      outcomes[index] = { ok: true, analysis: cached };
      return;
    }
    const entry = missing.get(key) ?? { query, key, sites: [] };
    entry.sites.push(index);
    missing.set(key, entry);
  });
  const jobs = [...missing.values()];
  const workers = options.workers ?? Math.min(4, availableParallelism());
  const results = await runAnalyses(
    jobs.map((j) => j.query),
    environment,
    workers,
  );
  jobs.forEach((job, i) => {
    const outcome = results[i] as AnalysisOutcome;
    if (outcome.ok) cache?.set(job.key, outcome.analysis);
    for (const index of job.sites) outcomes[index] = outcome;
  });
  return outcomes;
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
  const analysisEnvironment: AnalysisEnvironment = {
    tables: environment.tables,
    functions: environment.functions,
    watchlists: environment.watchlists,
    trackTables: environment.tables.map((t) => t.name),
  };
  const sites = everything.flatMap((f) => collectQuerySites(f));
  const outcomes = await analyzeSites(sites, analysisEnvironment, options);
  const declared = new Map(environment.declaredTables.map((t) => [t.name, t]));
  const filled = filledColumns(sites, outcomes);
  const diagnostics: Diagnostic[] = files.flatMap((f) => (f.kind === "analytic-rule" ? checkGroupingFields(f) : transformFeatureFindings(f)));
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
