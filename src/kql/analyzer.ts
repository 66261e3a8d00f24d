import { analyzeQuery, type QueryAnalysis } from "./analyze.ts";
import { buildGlobals, withKustoCache, type FunctionDefinition, type KustoGlobalState, type WatchlistDefinition } from "./globals.ts";
import { queryReach, type QueryReach } from "./query-words.ts";
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
 * The tables the given queries can reach by name (custom or bundled), sorted: one analyser's shared globals, so that
 * the queries of a run share one global state and Kusto.Language binds each parser they call once for all of them.
 * Queries that can reach any table (`search`, `union T*`, …) add nothing: they get globals of every table.
 */
export function reachableTables(queries: readonly string[], environment: AnalysisEnvironment): string[] {
  const custom = new Set(environment.tables.map((t) => t.name));
  const bundled = bundledTableNames();
  const names = new Set<string>();
  for (const query of queries) {
    const reach = queryReach(query, environment.functions);
    if (!reach.reachesAnyTable) for (const name of tableNamesOf(reach, custom, bundled)) names.add(name);
  }
  return [...names].sort();
}

/** The table names (custom or bundled) among the words a query reaches, sorted. */
function tableNamesOf(reach: QueryReach, custom: Pick<ReadonlySet<string>, "has">, bundled: Pick<ReadonlySet<string>, "has">): string[] {
  return [...reach.words].filter((word) => custom.has(word) || bundled.has(word)).sort();
}

/**
 * Returns a function analysing one query against the environment. A query whose reachable tables (named in it or in
 * the functions it calls) are all `shared` is analysed against one global state holding the shared tables; any other
 * query gets globals holding only the tables it can reach (all of them for `search`, `union T*` and the like), cached
 * per distinct reachable-table set. Each global state carries Kusto.Language's cache, so a parser is bound once for
 * all the queries sharing it. Both give the same analysis: a query binds only the names it (or a function it calls) spells,
 * so tables it cannot name change nothing.
 */
export function createAnalyzer(environment: AnalysisEnvironment, shared: readonly string[] = []): (query: string) => AnalysisOutcome {
  const custom = new Map(environment.tables.map((t) => [t.name, t]));
  const bundled = bundledTableNames();
  const trackTables = new Set(environment.trackTables);
  const sharedNames = new Set(shared);
  const cache = new Map<string, KustoGlobalState>();
  const tablesNamed = (names: readonly string[]): TableSchema[] =>
    names.flatMap((name) => {
      const table = custom.get(name) ?? loadBundledTable(name);
      return table ? [table] : [];
    });
  const globalsOf = (key: string, tables: () => TableSchema[]): KustoGlobalState => {
    const hit = cache.get(key);
    if (hit) return hit;
    const globals = withKustoCache(buildGlobals({ tables: tables(), functions: environment.functions, watchlists: environment.watchlists }));
    cache.set(key, globals);
    return globals;
  };
  const globalsFor = (query: string): KustoGlobalState => {
    const reach = queryReach(query, environment.functions);
    if (reach.reachesAnyTable) return globalsOf("*", () => [...[...loadBundledTables().values()].filter((t) => !custom.has(t.name)), ...custom.values()]);
    const names = tableNamesOf(reach, custom, bundled);
    if (sharedNames.size > 0 && names.every((name) => sharedNames.has(name))) return globalsOf("\u0000shared", () => tablesNamed(shared));
    return globalsOf(names.join(","), () => tablesNamed(names));
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
