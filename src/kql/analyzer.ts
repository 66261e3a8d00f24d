import { analyzeQuery, type QueryAnalysis } from "./analyze.ts";
import { buildGlobals, type FunctionDefinition, type WatchlistDefinition } from "./globals.ts";
import { loadBundledTables, type TableSchema } from "./tables.ts";

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

/** Builds the globals for an environment once and returns a function analysing one query against them. */
export function createAnalyzer(environment: AnalysisEnvironment): (query: string) => AnalysisOutcome {
  const custom = new Set(environment.tables.map((t) => t.name));
  const bundled = [...loadBundledTables().values()].filter((t) => !custom.has(t.name));
  const globals = buildGlobals({
    tables: [...bundled, ...environment.tables],
    functions: environment.functions,
    watchlists: environment.watchlists,
  });
  const trackTables = new Set(environment.trackTables);
  return (query) => {
    try {
      return { ok: true, analysis: analyzeQuery(query, globals, { trackTables }) };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  };
}
