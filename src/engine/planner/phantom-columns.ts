import { type KustoSymbol, resultTypeOf, symbolColumns, type SyntaxNode } from "../syntax.ts";

/**
 * Columns Kusto.Language 12.4.1 adds to a result that the service does not return: `scan` without
 * `with_match_id=` is typed with a trailing `match_id` column that the documented output lacks. The engine
 * carries such a column (so every operator's rows keep the model's layout), refuses queries that read it,
 * and drops it from the query's result. Column symbols are compared by identity, so a phantom column keeps
 * its mark through every operator that passes it on.
 */
const phantoms = new WeakSet<object>();

/** Marks a column symbol of the semantic model as absent from the service's result. */
export function markPhantomColumn(symbol: KustoSymbol | undefined): void {
  if (symbol) phantoms.add(symbol);
}

/** True when `symbol` is a column the service does not return (see `markPhantomColumn`). */
export function isPhantomColumn(symbol: KustoSymbol | undefined): boolean {
  return symbol !== undefined && phantoms.has(symbol);
}

/** The positions of the phantom columns in a tabular node's static result. */
export function phantomPositions(node: SyntaxNode): number[] {
  const out: number[] = [];
  symbolColumns(resultTypeOf(node)).forEach((column, i) => {
    if (isPhantomColumn(column)) out.push(i);
  });
  return out;
}
