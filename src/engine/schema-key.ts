import { columnsMeaning, functionMeaning, sortedByName, watchlistsInLookupOrder, type FunctionDefinition, type WatchlistDefinition } from "../kql/globals.ts";
import type { TableSchema } from "../kql/tables.ts";
import type { WatchlistData } from "./context.ts";
import type { Column, Table } from "./values.ts";

// The key of the schemas a query is analysed against, short and cheap to compute on every run. Each distinct part
// (a table's columns, a function, a watchlist's columns) gets a number the first time its content is seen; the
// number is remembered per object, so a run whose inputs reuse the objects of an earlier run (the same columns
// array, function definition, watchlist columns) does not describe them again. Input tables, functions and
// watchlists are read and never changed, by the engine as by its callers.

/** Most distinct part descriptions remembered; past it they are forgotten (numbers are never reused, so an old number stays exact). */
const MAX_PARTS = 10_000;

const numberOfText = new Map<string, number>();
let nextNumber = 0;

/** The numbers already given, per object, of one kind of part. */
type Remembered = WeakMap<object, number>;
const ofColumns: Remembered = new WeakMap();
const ofFunction: Remembered = new WeakMap();
const ofWatchlistColumns: Remembered = new WeakMap();

/** The number of a part's content (its description starts with its kind): equal contents share one, different contents never do. */
function numberOfContent(numberOfObject: Remembered, owner: object, describe: () => string): number {
  const known = numberOfObject.get(owner);
  if (known !== undefined) return known;
  const text = describe();
  let number = numberOfText.get(text);
  if (number === undefined) {
    if (numberOfText.size >= MAX_PARTS) numberOfText.clear();
    number = nextNumber++;
    numberOfText.set(text, number);
  }
  numberOfObject.set(owner, number);
  return number;
}

// a table's columns and a function are described as check's kept analyses describe them (kql/globals.ts)
const columnsNumber = (columns: readonly Column[]): number => numberOfContent(ofColumns, columns, () => `t${JSON.stringify(columnsMeaning(columns))}`);

const functionNumber = (fn: FunctionDefinition): number => numberOfContent(ofFunction, fn, () => `f${JSON.stringify(functionMeaning(fn))}`);

const watchlistColumnsNumber = (columns: readonly string[]): number => numberOfContent(ofWatchlistColumns, columns, () => `w${JSON.stringify(columns)}`);


/** What a query is analysed against: table schemas, functions and watchlist definitions (not their rows), in a canonical order. */
export interface Schemas {
  tables: TableSchema[];
  functions: readonly FunctionDefinition[];
  watchlists: WatchlistDefinition[];
}

/** A run's schemas and their key: equal keys for schemas Kusto.Language analyses alike, different keys otherwise. */
export interface KeyedSchemas {
  key: string;
  /** The schemas themselves, built only when asked (on a cache miss). */
  schemas(): Schemas;
}

/** The key of the schemas of these tables, watchlists and functions, and a way to build the schemas on demand. */
export function keyedSchemas(tables: ReadonlyMap<string, Table>, watchlists: ReadonlyMap<string, WatchlistData>, functions: readonly FunctionDefinition[] = []): KeyedSchemas {
  // the engine refuses wildcard table names, so cases listing the same tables in another order share one analysis
  const orderedTables = sortedByName([...tables]);
  const ordered = watchlistsInLookupOrder([...watchlists.values()], (w) => w.alias);
  const key = JSON.stringify([
    orderedTables.map(([name, t]) => [name, columnsNumber(t.columns)]),
    functions.map(functionNumber),
    ordered.map((w) => [w.alias, watchlistColumnsNumber(w.columns)]),
  ]);
  return {
    key,
    schemas: () => ({
      tables: orderedTables.map(([name, t]) => ({ name, columns: t.columns.map((c) => ({ name: c.name, type: c.type })) })),
      functions,
      watchlists: ordered.map((w) => ({ alias: w.alias, columns: w.columns })),
    }),
  };
}
