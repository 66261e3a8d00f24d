import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { QueryAnalysis } from "./analyze.ts";
import type { AnalysisEnvironment } from "./analyzer.ts";
import { queryReach } from "./query-words.ts";
import { BUNDLED_TABLES_DIR } from "./tables.ts";
import { writeFileAtomicSync } from "../files/write-atomic.ts";

/** Bumped when the cached value's shape changes. */
const CACHE_FORMAT = "kql-analysis/1";
const HERE = path.dirname(fileURLToPath(import.meta.url));
/** `.ts` in the sources, `.js` in the compiled package. */
const MODULE_EXTENSION = path.extname(fileURLToPath(import.meta.url));
/** The modules whose code decides an analysis result: any change to them invalidates the cache. */
const ANALYSIS_SOURCES = ["analyze", "analyzer", "re2", "globals", "tables", "kusto", "query-words", "query-text", "transform-features"].map((name) => `${name}${MODULE_EXTENSION}`);
/** Data files whose contents decide a cached result: the transformations' KQL allow-list. */
const ANALYSIS_DATA = [path.resolve(HERE, "../../data/dcr-transform-kql.json")];

/** The folder of the KQL analysis cache under a repository root. */
export function cacheDir(root: string): string {
  return path.join(root, ".cache", "sentinel-content", "kql");
}

/** True when a run uses the analysis cache and the repository has one: most queries are then answered from it. */
export function cacheIsWarm(root: string, useCache = true): boolean {
  return useCache && existsSync(cacheDir(root));
}

let fingerprint: string | undefined;

/**
 * A hash of everything besides the query that decides an analysis: the toolkit's and Kusto.Language's versions,
 * the analysis code and the bundled table schemas (names and contents).
 */
export function toolFingerprint(): string {
  if (fingerprint) return fingerprint;
  const hash = createHash("sha256").update(CACHE_FORMAT);
  const require = createRequire(import.meta.url);
  for (const pkg of ["../../package.json", "@kusto/language-service-next/package.json"]) {
    const json = JSON.parse(readFileSync(require.resolve(pkg), "utf8")) as { name?: string; version?: string };
    hash.update(`\0${json.name}@${json.version}`);
  }
  for (const file of ANALYSIS_SOURCES) hash.update(`\0${file}\0`).update(readFileSync(path.join(HERE, file)));
  for (const file of ANALYSIS_DATA) hash.update(`\0${path.basename(file)}\0`).update(readFileSync(file));
  for (const dir of [BUNDLED_TABLES_DIR, path.join(BUNDLED_TABLES_DIR, "functions")]) {
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
      hash.update(`\0${file}\0`).update(readFileSync(path.join(dir, file)));
    }
  }
  fingerprint = hash.digest("hex");
  return fingerprint;
}

/**
 * The parts of the repository's environment a query can depend on: custom tables, functions and watchlists
 * whose names occur in the query or, transitively, in the bodies of the functions it names (all custom tables
 * when the query can reach tables it does not name).
 */
export function referencedEnvironment(query: string, environment: AnalysisEnvironment): unknown[] {
  const reach = queryReach(query, environment.functions);
  const lowerWords = new Set([...reach.words].map((w) => w.toLowerCase()));
  const named = (name: string): boolean => reach.reachesAnyTable || reach.words.has(name);
  return [
    environment.tables.filter((t) => named(t.name)),
    reach.functions,
    environment.watchlists.filter((w) => lowerWords.has(w.alias.toLowerCase())),
    environment.trackTables.filter(named),
  ];
}

/** The cache key of one query's analysis. */
export function cacheKey(query: string, environment: AnalysisEnvironment): string {
  return createHash("sha256")
    .update(toolFingerprint())
    .update("\0")
    .update(query)
    .update("\0")
    .update(JSON.stringify(referencedEnvironment(query, environment)))
    .digest("hex");
}

/** The cache key of a transform query's unsupported features (transform-features.ts). */
export function transformFeaturesKey(query: string): string {
  return createHash("sha256").update(toolFingerprint()).update("\0transform-features\0").update(query).digest("hex");
}

/** A persistent store of query analyses (or other per-query results, e.g. transform features) by cache key. */
export interface AnalysisCache<T = QueryAnalysis> {
  get(key: string): T | undefined;
  /** Stores an analysis atomically (temp file + rename); failures to write are ignored (the cache is an optimisation). */
  set(key: string, analysis: T): void;
}

/** Opens (creating on first write) the analysis cache of a repository root. */
export function openAnalysisCache<T = QueryAnalysis>(root: string): AnalysisCache<T> {
  const dir = cacheDir(root);
  const fileOf = (key: string): string => path.join(dir, key.slice(0, 2), `${key}.json`);
  return {
    get(key) {
      try {
        return JSON.parse(readFileSync(fileOf(key), "utf8")) as T;
      } catch {
        return undefined;
      }
    },
    set(key, analysis) {
      const file = fileOf(key);
      try {
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileAtomicSync(file, JSON.stringify(analysis));
      } catch {
        // not cached: the next run analyses this query again
      }
    },
  };
}
