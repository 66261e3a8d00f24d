import { existsSync } from "node:fs";
import path from "node:path";
import type { ContentKind } from "../content/kinds.ts";
import { activeLayout, searchFolders } from "../content/layout.ts";
import { runChecks } from "../checks/index.ts";
import { isRecord } from "../content/record.ts";
import { makeDiagnostic, MAX_FINDINGS_PER_CODE_AND_FILE, sortDiagnostics, type Diagnostic } from "../diagnostics/index.ts";
import type { LoadedFile } from "../load/index.ts";
import { loadRepository, type Repository, type RepositoryOptions } from "../repository/index.ts";
import { applySuppressions } from "./suppressions.ts";
import type { AnalysisPool } from "../kql/analysis-pool.ts";

/** The stages of a validation run, in order. */
export type ValidateStage = "load" | "schema" | "checks" | "kql";

/** What to validate and how. */
export interface ValidateOptions {
  /** Repository (or corpus) root; paths in findings are relative to it. */
  root: string;
  /** Files and folders to validate (default: every content folder). */
  paths?: string[];
  /** Already-loaded content (`loadRepository`) to validate instead of loading `paths` again. */
  repository?: Repository;
  /** Force a kind for every file (for trees without the content folders, e.g. a corpus). */
  kind?: ContentKind;
  /** Run the KQL stage (default true). */
  kql?: boolean;
  /** Let the KQL stage use its content-hash cache (default true). */
  cache?: boolean;
  /** Worker threads for the KQL stage. */
  workers?: number;
  /**
   * KQL analysis workers the caller owns (e.g. `check`'s test workers), used instead of starting any: up to their
   * number of threads, whether the cache is cold or warm. The caller closes them.
   */
  pool?: AnalysisPool;
  /** Progress callback: a stage and how far it is. */
  onProgress?: (stage: ValidateStage, done: number, total: number) => void;
}

/** Every finding of a run (sorted), the files that loaded, and how many files were looked at. */
export interface ValidateResult {
  diagnostics: Diagnostic[];
  files: LoadedFile[];
  /** The content validated, for later stages of the same process (`runContentTests`, the build) to reuse. */
  repository: Repository;
  checkedFiles: number;
  /** Whether the KQL stage ran (false with --no-kql or when the KQL analyser is not available). */
  kqlRan: boolean;
  /** Findings silenced by `# sentinel-content-disable` comments. */
  suppressed: number;
  /** The fixture-vs-profile findings before suppressions, for a test run over the same content to reuse (none with a forced kind). */
  fixtureProfiles?: Diagnostic[];
}

/** load → schema → checks → KQL. Files that fail to load, or whose document is not a mapping, go no further than the schema; nothing here throws on bad content. */
export async function validateContent(options: ValidateOptions): Promise<ValidateResult> {
  const own = options.pool ? undefined : await earlyKqlPool(options);
  try {
    return await validateStages(options, options.pool ?? own);
  } finally {
    void own?.close();
  }
}

/**
 * A KQL worker started first, so it loads Kusto.Language while this thread loads and checks the content; none when the
 * KQL stage is off or cannot run, or when the repository has an analysis cache (most queries are then answered from it,
 * and workers start only if enough are not).
 */
async function earlyKqlPool(options: ValidateOptions): Promise<AnalysisPool | undefined> {
  if (options.kql === false) return undefined;
  try {
    const [kql, { cacheIsWarm }] = await Promise.all([import("../kql/content-analysis.ts"), import("../kql/analysis-cache.ts")]);
    if (cacheIsWarm(options.root, options.cache !== false)) return undefined;
    return kql.startEarlyAnalysisPool(options.workers);
  } catch {
    return undefined; // the KQL stage reports why it cannot run
  }
}

async function validateStages(options: ValidateOptions, pool: AnalysisPool | undefined): Promise<ValidateResult> {
  const progress = options.onProgress;
  const repository = options.repository ?? (await loadRepository(options.root, options.paths, repositoryOptions(options)));
  // the load and schema stages ran once, when the repository was built
  const diagnostics = [...repository.loadDiagnostics, ...repository.entries.flatMap((entry) => entry.diagnostics)];

  // A schema error does not hide the findings of later stages: every file whose document is a mapping goes on
  // (checks and query collection read fields defensively, so a missing or mistyped field is simply not checked).
  const usable = repository.entries.filter(hasUsableDocument);
  const checked = runChecks(usable);
  diagnostics.push(...checked);
  progress?.("checks", usable.length, usable.length);
  // Check findings concern metadata, not the query: every usable file goes on to the KQL stage.
  const kql = options.kql === false ? undefined : await kqlStage(usable, await contextFiles(repository, options), options, pool);
  if (kql) diagnostics.push(...kql);
  // Test-coverage stage (src/checks/test-coverage.ts): rules without a firing and a
  // silent case, hunting queries without a case returning rows, other content without tests. Whole-repo runs
  // only: a partial run may not have loaded the tests files beside the content.
  const wholeRepo = repository.whole;
  if (wholeRepo) diagnostics.push(...(await import("../checks/test-coverage.ts")).checkTestCoverage(repository));
  // Fixture-vs-profile stage (src/testing/spec/fixture-profiles.ts): every fixture row of the loaded tests files obeys
  // the profile of its source (profiles/*.yaml).
  const fixtureProfiles = options.kind ? undefined : (await import("../testing/spec/fixture-profiles.ts")).checkFixtureProfiles(options.root, usable);
  diagnostics.push(...(fixtureProfiles ?? []));

  const ran = (code: string) => (code.startsWith("SC3") || code.startsWith("SC4") ? kql !== undefined : code.startsWith("SC5") ? wholeRepo : true);
  const silenced = applySuppressions(diagnostics, repository.entries, ran);
  const result = { files: repository.entries, repository, checkedFiles: repository.checkedFiles, kqlRan: kql !== undefined, suppressed: silenced.suppressed, ...(fixtureProfiles ? { fixtureProfiles } : {}) };
  return { diagnostics: capPerFile(sortDiagnostics(silenced.diagnostics)), ...result };
}

/** Keeps the first findings of each code in each file (sorted input) and replaces the rest with one finding that counts them. */
function capPerFile(sorted: Diagnostic[]): Diagnostic[] {
  const counts = new Map<string, number>();
  const kept: Diagnostic[] = [];
  const firstDropped = new Map<string, Diagnostic>();
  for (const d of sorted) {
    const key = `${d.file}\u0000${d.code}`;
    const count = (counts.get(key) ?? 0) + 1;
    counts.set(key, count);
    if (count <= MAX_FINDINGS_PER_CODE_AND_FILE) kept.push(d);
    else if (!firstDropped.has(key)) firstDropped.set(key, d);
  }
  for (const [key, first] of firstDropped) {
    const more = (counts.get(key) ?? 0) - MAX_FINDINGS_PER_CODE_AND_FILE;
    const message = `${more.toLocaleString("en-US")} more ${first.code} findings in this file are not listed (the first ${MAX_FINDINGS_PER_CODE_AND_FILE} are)`;
    kept.push(makeDiagnostic(first.code, { file: first.file, start: { line: first.line, col: first.col } }, message, { severity: first.severity }));
  }
  return firstDropped.size === 0 ? kept : sortDiagnostics(kept);
}

/** Whether the later stages can read the file: its document is a mapping (a list, scalar or empty document has no fields to check). */
export function hasUsableDocument(file: LoadedFile): boolean {
  return isRecord(file.data);
}

/** The loader's options and the progress of the load and schema stages, for building the repository. */
function repositoryOptions(options: ValidateOptions): RepositoryOptions {
  const progress = options.onProgress;
  return {
    ...(options.kind ? { kind: options.kind } : {}),
    ...(progress ? { onFile: (done: number, total: number) => progress("load", done, total), onSchema: (done: number, total: number) => progress("schema", done, total) } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// KQL stage (owned by the KQL analyser, src/kql + src/kql/content-analysis.ts): analyses every query of the files
// that passed the stages above, then checks the output-column contract. Imported lazily: only this stage needs it.
// ---------------------------------------------------------------------------------------------------------------

/** Kinds whose content every query may use: on a partial run they are loaded from the whole repo as context. */
const CONTEXT_KINDS: ReadonlySet<ContentKind> = new Set(["parser", "watchlist", "ingestion-mapping"]);

/** On a partial run, the repo's usable parsers, watchlists and ingestion mappings (never reported on). */
async function contextFiles(repository: Repository, options: ValidateOptions): Promise<LoadedFile[]> {
  if (options.kind || repository.whole) return [];
  const folders = searchFolders(activeLayout(), CONTEXT_KINDS).map((f) => path.join(options.root, f)).filter((f) => existsSync(f));
  if (folders.length === 0) return [];
  const context = await loadRepository(options.root, folders);
  return context.entries.filter((f) => CONTEXT_KINDS.has(f.kind) && hasUsableDocument(f));
}

async function kqlStage(files: LoadedFile[], context: LoadedFile[], options: ValidateOptions, pool: AnalysisPool | undefined): Promise<Diagnostic[] | undefined> {
  try {
    const kql = await import("../kql/content-analysis.ts");
    options.onProgress?.("kql", 0, files.length);
    const found = await kql.analyzeContentQueries(files, {
      root: options.root,
      cache: options.cache !== false,
      contextFiles: context,
      ...(pool ? { pool } : {}),
      ...(options.workers !== undefined ? { workers: options.workers } : {}),
    });
    options.onProgress?.("kql", files.length, files.length);
    return found;
  } catch (error) {
    // a failure of the analyser is reported, never a crash of the whole run
    return [makeDiagnostic("SC9001", { file: files[0]?.path ?? "." }, "KQL analysis failed", { cause: error })];
  }
}
