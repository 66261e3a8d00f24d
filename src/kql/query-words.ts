import type { FunctionDefinition } from "./globals.ts";

/** The identifiers a query can reach: its own words plus, transitively, those of the saved functions it names. */
export interface QueryReach {
  words: ReadonlySet<string>;
  /** The saved functions named by the query or by the functions it names. */
  functions: readonly FunctionDefinition[];
  /** True when the query may reach tables not named literally (`search`, `find`, `union *`, `union T*`, `table(...)`, `database(...)`). */
  reachesAnyTable: boolean;
}

const WORD = /[A-Za-z_][A-Za-z0-9_]*/g;
// any `*` after `union` before the next pipe: `union *`, `union T*`, `union withsource=S *E`, and, erring on the
// safe side, a product inside a union's subquery
const DYNAMIC_TABLE_REFERENCE = /\b(?:search|find|table|database|cluster)\b|\bunion\b[^|]*?\*/;

/** Most reaches remembered per list of functions; past it the memo starts over (a run has as many as it has distinct queries). */
const MAX_REMEMBERED = 10_000;
/** Reaches already found, per list of functions (the same array for every query of a run) and query text. */
const remembered = new WeakMap<readonly FunctionDefinition[], Map<string, QueryReach>>();

/**
 * Finds every identifier reachable from a query through the saved functions it calls; found once per query and list
 * of functions (the lists are never changed once built, so a query's reach through the same list never differs).
 */
export function queryReach(query: string, functions: readonly FunctionDefinition[]): QueryReach {
  let known = remembered.get(functions);
  if (!known) remembered.set(functions, (known = new Map()));
  let reach = known.get(query);
  if (!reach) {
    if (known.size >= MAX_REMEMBERED) known.clear();
    reach = findReach(query, functions);
    known.set(query, reach);
  }
  return reach;
}

function findReach(query: string, functions: readonly FunctionDefinition[]): QueryReach {
  const byName = new Map(functions.map((f) => [f.name, f]));
  const words = new Set<string>();
  const reached: FunctionDefinition[] = [];
  const pending = [query];
  let reachesAnyTable = false;
  while (pending.length > 0) {
    const text = pending.pop() as string;
    // Comments often say "find" or "table"; a `//` inside a string only makes this test miss, never the words below.
    if (DYNAMIC_TABLE_REFERENCE.test(text.replace(/\/\/[^\n]*/g, ""))) reachesAnyTable = true;
    for (const word of text.match(WORD) ?? []) {
      if (words.has(word)) continue;
      words.add(word);
      const fn = byName.get(word);
      if (fn) {
        reached.push(fn);
        pending.push(fn.body, ...fn.parameters.map((p) => p.default ?? ""));
      }
    }
  }
  return { words, functions: reached, reachesAnyTable };
}
