import { analyzeQuery, type QueryAnalysis } from "./analyze.ts";
import { buildGlobals, type FunctionDefinition, type KustoGlobalState, type WatchlistDefinition } from "./globals.ts";
import { queryReach } from "./query-words.ts";
import { bundledTableNames, loadBundledTable, loadBundledTables, type TableSchema } from "./tables.ts";

/** What a query may refer to beyond the bundled schemas: plain data, so it can be sent to worker threads. */
export interface AnalysisEnvironment {
  /** Custom tables (they replace bundled tables of the same name). */
  tables: TableSchema[];
  functions: FunctionDefinition[];
  watchlists: WatchlistDefinition[];
  /** Tables whose referenced columns each analysis reports (the custom tables). */
  trackTables: string[];
}

/** One analysis outcome: Kusto's findings, or the message of a failure inside Kusto.Language. */
export type AnalysisOutcome = { ok: true; analysis: QueryAnalysis } | { ok: false; error: string };

/**
 * Returns a function analysing one query against the environment. Each query gets globals holding only the tables
 * it can reach (named in it or in the functions it calls; all of them for `search`, `union T*` and the like):
 * table symbols are built once and shared, and globals are cached per distinct reachable-table set.
 */
export function createAnalyzer(environment: AnalysisEnvironment): (query: string) => AnalysisOutcome {
  const custom = new Map(environment.tables.map((t) => [t.name, t]));
  const bundled = bundledTableNames();
  const trackTables = new Set(environment.trackTables);
  const cache = new Map<string, KustoGlobalState>();
  const globalsFor = (query: string): KustoGlobalState => {
    const reach = queryReach(query, environment.functions);
    const names = reach.reachesAnyTable ? undefined : [...reach.words].filter((word) => custom.has(word) || bundled.has(word)).sort();
    const key = names ? names.join(",") : "*";
    const hit = cache.get(key);
    if (hit) return hit;
    const tables = names
      ? names.flatMap((name) => {
          const table = custom.get(name) ?? loadBundledTable(name);
          return table ? [table] : [];
        })
      : [...[...loadBundledTables().values()].filter((t) => !custom.has(t.name)), ...custom.values()];
    const globals = buildGlobals({ tables, functions: environment.functions, watchlists: environment.watchlists });
    cache.set(key, globals);
    return globals;
  };
  return (query) => {
    try {
      const globals = globalsFor(query);
      return { ok: true, analysis: analyzeQuery(query, globals, { trackTables }) };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  };
}
