import type { FunctionDefinition } from "./globals.ts";

/** The identifiers a query can reach: its own words plus, transitively, those of the saved functions it names. */
export interface QueryReach {
  words: ReadonlySet<string>;
  /** The saved functions named by the query or by the functions it names. */
  functions: readonly FunctionDefinition[];
  /** True when the query may reach tables not named literally (`search`, `find`, `union T*`, `table(...)`, `database(...)`). */
  reachesAnyTable: boolean;
}

const WORD = /[A-Za-z_][A-Za-z0-9_]*/g;
const DYNAMIC_TABLE_REFERENCE = /\b(?:search|find|table|database|cluster)\b|\bunion\b[^|]*?[A-Za-z0-9_]\*/;

/** Finds every identifier reachable from a query through the saved functions it calls. */
export function queryReach(query: string, functions: readonly FunctionDefinition[]): QueryReach {
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
