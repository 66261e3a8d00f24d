import { analyzeQuery, type QueryAnalysis } from "./analyze.ts";
import { buildGlobals, type FunctionDefinition, type WatchlistDefinition } from "./globals.ts";
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
 * table symbols are built once and shared, so a worker starts without building the whole ~1,100-table bundle.
 */
export function createAnalyzer(environment: AnalysisEnvironment): (query: string) => AnalysisOutcome {
  const custom = new Map(environment.tables.map((t) => [t.name, t]));
  const bundled = bundledTableNames();
  const trackTables = new Set(environment.trackTables);
  const tablesFor = (query: string): TableSchema[] => {
    const reach = queryReach(query, environment.functions);
    if (reach.reachesAnyTable) return [...[...loadBundledTables().values()].filter((t) => !custom.has(t.name)), ...custom.values()];
    return [...reach.words].flatMap((word) => {
      const table = custom.get(word) ?? (bundled.has(word) ? loadBundledTable(word) : undefined);
      return table ? [table] : [];
    });
  };
  return (query) => {
    try {
      const globals = buildGlobals({ tables: tablesFor(query), functions: environment.functions, watchlists: environment.watchlists });
      return { ok: true, analysis: analyzeQuery(query, globals, { trackTables }) };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  };
}
