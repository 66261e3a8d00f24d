// Kusto.Language analyses a thread keeps for a later consumer on the same thread: `check`'s test workers analyse
// validation's queries first, then the engine prepares the same queries for the cases. Where the names a query
// reaches mean the same in both global states (docs/kql-analysis.md), the engine takes the analysis instead of
// parsing and binding the query again.
import { columnsMeaning, functionMeaning, sortedByName, watchlistsInLookupOrder, type FunctionDefinition, type KustoGlobalState } from "./globals.ts";
import type { KustoNamespace } from "./kusto.ts";
import { queryReach } from "./query-words.ts";

/** A kept analysis: Kusto.Language's `KustoCode` and the meaning of every name its query reaches. */
interface KeptAnalysis {
  code: KustoNamespace;
  reached: string;
}

/** The analyses kept on this thread, by query text; empty unless keepAnalyses(true). */
const kept = new Map<string, KeptAnalysis>();
let keeping = false;

/** Starts (true) or stops (false) keeping the analyses this thread makes; those already kept stay until taken. */
export function keepAnalyses(on: boolean): void {
  keeping = on;
}

/** Keeps the analysis of `query` against `globals` (when keeping, and when what the query reaches can be told). */
export function keepAnalysis(query: string, globals: KustoGlobalState, code: KustoNamespace): void {
  if (!keeping) return;
  const reached = reachedMeaning(query, globals);
  if (reached !== undefined) kept.set(query, { code, reached });
}

/** Forgets the kept analyses of queries outside `queries` (those no consumer on this thread will ask for). */
export function keepOnly(queries: ReadonlySet<string>): void {
  for (const query of kept.keys()) if (!queries.has(query)) kept.delete(query);
}

/** How many analyses this thread keeps (for tests). */
export function keptAnalysisCount(): number {
  return kept.size;
}

/**
 * The kept `KustoCode` of `query`, when every name the query reaches means the same in `globals` as in the global
 * state it was analysed against (then Kusto.Language binds it alike); taken once: a second call analyses anew.
 */
export function takeKeptAnalysis(query: string, globals: KustoGlobalState): KustoNamespace | undefined {
  const found = kept.get(query);
  if (!found) return undefined;
  if (reachedMeaning(query, globals) !== found.reached) return undefined;
  kept.delete(query);
  return found.code;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * What the names a query can reach mean in `globals`, as text: equal texts bind the query alike. It holds every table
 * and saved function the query (or a function it calls) spells, with their columns, parameters and bodies, and those
 * whose names are not plain identifiers (a word search cannot see them); the watchlists in full when `_GetWatchlist`
 * is reached (its result depends on the alias). Undefined for a query that can reach tables it does not name.
 */
export function reachedMeaning(query: string, globals: KustoGlobalState): string | undefined {
  const functions = functionList(globals);
  const reach = queryReach(query, functions);
  if (reach.reachesAnyTable) return undefined;
  const named = (name: string): boolean => reach.words.has(name) || !IDENTIFIER.test(name);
  const tables = [...globals.tables.values()].filter((t) => named(t.name)).map((t): [string, unknown] => [t.name, columnsMeaning(t.columns)]);
  const called = functions.filter((f) => named(f.name)).map((f): [string, unknown] => [f.name, functionMeaning(f)]);
  const watchlists = reach.words.has("_GetWatchlist") ? [...globals.watchlists.values()].map((w): [string, unknown] => [w.alias, w.columns]) : [];
  return JSON.stringify([sortedByName(tables), sortedByName(called), watchlistsInLookupOrder(watchlists, ([alias]) => alias)]);
}

/** The functions of a global state as one list per global state (queryReach remembers its results per list). */
const functionLists = new WeakMap<KustoGlobalState["functions"], FunctionDefinition[]>();

function functionList(globals: KustoGlobalState): FunctionDefinition[] {
  let list = functionLists.get(globals.functions);
  if (!list) functionLists.set(globals.functions, (list = [...globals.functions.values()]));
  return list;
}

