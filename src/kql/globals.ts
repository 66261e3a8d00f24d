import { kustoList, loadKusto, type KustoNamespace } from "./kusto.ts";
import { bracketName, quoteName } from "./query-text.ts";
import { loadBundledFunctions, type BundledFunctionSchema, type ColumnSchema, type TableSchema } from "./tables.ts";

/** A saved KQL function (a parser): callable by name from every other query. */
export interface FunctionDefinition {
  name: string;
  parameters: { name: string; type: string; default?: string }[];
  /** The function's KQL body (a parser's `ParserQuery`), without surrounding braces. */
  body: string;
}

/** A watchlist: `_GetWatchlist('<alias>')` returns the standard columns plus one string column per watchlist column. */
export interface WatchlistDefinition {
  alias: string;
  columns: string[];
}

/** Everything a query can refer to: Kusto.Language's global state plus the plain definitions it was built from. */
export interface KustoGlobalState {
  /** Kusto.Language `GlobalState` (opaque outside src/kql). */
  readonly state: KustoNamespace;
  readonly tables: ReadonlyMap<string, TableSchema>;
  readonly functions: ReadonlyMap<string, FunctionDefinition>;
  readonly watchlists: ReadonlyMap<string, WatchlistDefinition>;
}

/** The columns every `_GetWatchlist()` result has, before the watchlist's own columns. */
export const WATCHLIST_BASE_COLUMNS: readonly ColumnSchema[] = [
  { name: "_DTItemId", type: "string" },
  { name: "LastUpdatedTimeUTC", type: "datetime" },
  { name: "SearchKey", type: "string" },
  { name: "WatchlistItem", type: "dynamic" },
];

// Table symbols are the heavy part (≈30k column symbols for the bundle), so they are built once per schema
// object and reused by every globals built from the same schemas.
const tableSymbols = new WeakMap<TableSchema, KustoNamespace>();
// The table each bundled or declared column symbol belongs to, to tell which table columns a query reads.
const columnTables = new WeakMap<object, string>();

/** The table a Kusto column symbol was declared in, when it comes from a table schema given to buildGlobals. */
export function tableOfColumn(symbol: object): string | undefined {
  return columnTables.get(symbol);
}

function columnSymbols(k: KustoNamespace, columns: readonly ColumnSchema[]): KustoNamespace[] {
  return columns.map((c) => new k.Symbols.ColumnSymbol(c.name, scalarSymbol(k, c.type), null, null, null, null));
}

function scalarSymbol(k: KustoNamespace, type: string): KustoNamespace {
  return k.Symbols.ScalarTypes.GetSymbol(type) ?? k.Symbols.ScalarTypes.Dynamic;
}

/** The value cached for `key`, built and cached on first use. */
function cached<K extends object, V>(cache: WeakMap<K, V>, key: K, build: () => V): V {
  let value = cache.get(key);
  if (value === undefined) {
    value = build();
    cache.set(key, value);
  }
  return value;
}

function tableSymbol(k: KustoNamespace, table: TableSchema): KustoNamespace {
  return cached(tableSymbols, table, () => {
    const columns = columnSymbols(k, table.columns);
    for (const column of columns) columnTables.set(column, table.name);
    return new k.Symbols.TableSymbol.$ctor4(table.name, columns);
  });
}

/** Renders a parameter list such as `(starttime:datetime=datetime(null), n:long=10)`. */
function parameterList(parameters: FunctionDefinition["parameters"]): string {
  const rendered = parameters.map((p) => `${quoteName(p.name)}:${p.type}${p.default === undefined ? "" : `=${p.default}`}`);
  return `(${rendered.join(", ")})`;
}

const userFunctionSymbols = new WeakMap<FunctionDefinition, KustoNamespace>();

function userFunctionSymbol(k: KustoNamespace, fn: FunctionDefinition): KustoNamespace {
  return cached(userFunctionSymbols, fn, () => new k.Symbols.FunctionSymbol.$ctor16(fn.name, parameterList(fn.parameters), `{\n${fn.body}\n}`, null));
}

/** Default literal per parameter type, so a bundled function's optional parameters can be omitted. */
function defaultLiteral(type: string): string {
  return type === "string" ? '""' : `${type}(null)`;
}

const bundledFunctionSymbols = new WeakMap<BundledFunctionSchema, KustoNamespace>();

function bundledFunctionSymbol(k: KustoNamespace, fn: BundledFunctionSchema): KustoNamespace {
  return cached(bundledFunctionSymbols, fn, () => {
    const parameters = fn.parameters.map((p) => ({ name: p.name, type: p.type, ...(p.required ? {} : { default: defaultLiteral(p.type) }) }));
    const schema = fn.columns.map((c) => `${bracketName(c.name)}:${c.type}`).join(", ");
    return new k.Symbols.FunctionSymbol.$ctor16(fn.name, parameterList(parameters), `{ datatable(${schema})[] }`, null);
  });
}

const scalarParameter = (k: KustoNamespace, name: string, type: string, optional: boolean): KustoNamespace =>
  new k.Symbols.Parameter.$ctor3(name, scalarSymbol(k, type), k.Symbols.ArgumentKind.Expression, null, null, false, null, optional ? 0 : 1, 1, null, null);

/**
 * `_GetWatchlist(alias)` whose result depends on the alias: a known watchlist gives its columns (strings, as
 * Sentinel unpacks them); an unknown or non-constant alias gives an open table, so its columns are not checked.
 */
function watchlistFunctionSymbol(k: KustoNamespace, watchlists: ReadonlyMap<string, WatchlistDefinition>): KustoNamespace {
  const S = k.Symbols;
  const resultFor = (alias: unknown): KustoNamespace => {
    const watchlist = typeof alias === "string" ? findWatchlist(watchlists, alias) : undefined;
    if (!watchlist) return new S.TableSymbol.ctor(columnSymbols(k, WATCHLIST_BASE_COLUMNS)).WithIsOpen(true);
    const own = watchlist.columns
      .filter((c) => !WATCHLIST_BASE_COLUMNS.some((b) => b.name === c))
      .map((c): ColumnSchema => ({ name: c, type: "string" }));
    return new S.TableSymbol.ctor(columnSymbols(k, [...WATCHLIST_BASE_COLUMNS, ...own]));
  };
  const customReturnType = (context: KustoNamespace): KustoNamespace => {
    const args = context.Arguments;
    return resultFor(args && args.Count > 0 ? args.getItem(0).ConstantValue : undefined);
  };
  return new S.FunctionSymbol.ctor("_GetWatchlist", customReturnType, S.Tabularity.Tabular, [
    scalarParameter(k, "watchlistAlias", "string", false),
    scalarParameter(k, "keys", "dynamic", true),
  ]);
}

const NO_WATCHLISTS: readonly WatchlistDefinition[] = [];
// The `_GetWatchlist` symbol, shared by every globals built from the same watchlist list.
const watchlistSymbols = new WeakMap<readonly WatchlistDefinition[], KustoNamespace>();

/** Named entries sorted by name: a schema's tables and functions have unique names, so their order means nothing. */
export function sortedByName<T>(entries: [string, T][]): [string, T][] {
  return entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A table's columns as plain data (name, type): columns Kusto.Language binds alike have equal data. */
export function columnsMeaning(columns: readonly { name: string; type: string }[]): [string, string][] {
  return columns.map((c) => [c.name, c.type]);
}

/** A saved function as plain data (name, parameters with types and defaults, body): functions bound alike have equal data. */
export function functionMeaning(fn: FunctionDefinition): unknown[] {
  return [fn.name, fn.parameters.map((p) => [p.name, p.type, p.default ?? null]), fn.body];
}

/**
 * Watchlists in the order findWatchlist's lookup depends on: sorted by alias when no two aliases differ only in case
 * (an exact match decides then), else as given (a case-insensitive match takes the first).
 */
export function watchlistsInLookupOrder<T>(watchlists: T[], aliasOf: (watchlist: T) => string): T[] {
  const lower = new Set(watchlists.map((w) => aliasOf(w).toLowerCase()));
  if (lower.size < watchlists.length) return watchlists;
  return watchlists.sort((a, b) => (aliasOf(a) < aliasOf(b) ? -1 : aliasOf(a) > aliasOf(b) ? 1 : 0));
}

/** Finds a watchlist by alias: exact match first, then case-insensitive (Sentinel aliases are case-insensitive). */
export function findWatchlist(watchlists: ReadonlyMap<string, WatchlistDefinition>, alias: string): WatchlistDefinition | undefined {
  const exact = watchlists.get(alias);
  if (exact) return exact;
  const lower = alias.toLowerCase();
  return [...watchlists.values()].find((w) => w.alias.toLowerCase() === lower);
}

/** Built-in functions whose Kusto.Language signature is stricter than the engine, re-declared as the engine behaves. */
function engineAlignedFunction(k: KustoNamespace, name: string): KustoNamespace | undefined {
  const S = k.Symbols;
  const parameter = (p: string, kind: unknown, argument: unknown): KustoNamespace =>
    new S.Parameter.ctor(p, kind, argument, null, null, false, null, 1, 1, null, null);
  switch (name) {
    // The engine resolves the column at query time: an existing column keeps its own type (Kusto.Language always
    // uses the default's type, so `column_ifexists("Props", "")` on a dynamic column became a string).
    case "column_ifexists":
    case "columnifexists":
      return new S.FunctionSymbol.ctor(
        name,
        (context: KustoNamespace) => {
          const wanted = context.Arguments.getItem(0).ConstantValue;
          const scope = context.RowScope;
          const columns: KustoNamespace[] = scope ? [...kustoList(scope.Columns)] : [];
          const column = columns.find((c) => c.Name === wanted);
          return column ? column.Type : context.ArgumentTypes.getItem(1);
        },
        S.Tabularity.Scalar,
        [parameter("columnName", S.ParameterTypeKind.StringOrDynamic, S.ArgumentKind.Constant), parameter("defaultValue", S.ParameterTypeKind.Scalar, S.ArgumentKind.Expression)],
      );
    // The engine returns a dynamic argument unchanged; Kusto.Language accepts only strings.
    case "parse_json":
    case "todynamic":
    case "toobject":
      return new S.FunctionSymbol.$ctor5(name, S.ScalarTypes.Dynamic, [parameter("json", S.ParameterTypeKind.Scalar, S.ArgumentKind.Expression)]);
    default:
      return undefined;
  }
}

let baseState: KustoNamespace | undefined;

/** Kusto's default global state with the engine-aligned built-in functions (built once per thread). */
function defaultState(k: KustoNamespace): KustoNamespace {
  if (!baseState) {
    const functions = kustoList(k.GlobalState.Default.Functions).map((f) => {
      // keep how the original names its result column (e.g. `mv-expand todynamic(Entities)` yields `Entities`)
      const aligned = engineAlignedFunction(k, String(f.Name));
      return aligned ? aligned.WithResultNameKind(f.ResultNameKind) : f;
    });
    baseState = k.GlobalState.Default.WithFunctions(functions);
  }
  return baseState;
}

/** The globals with Kusto.Language's analysis cache: the saved functions the queries analysed against them call are bound once for all. */
export function withKustoCache(globals: KustoGlobalState): KustoGlobalState {
  return { ...globals, state: globals.state.WithCache() };
}

/** Builds the Kusto globals for the given tables, saved functions (parsers) and watchlists. */
export function buildGlobals(input: {
  tables: readonly TableSchema[];
  functions?: readonly FunctionDefinition[];
  watchlists?: readonly WatchlistDefinition[];
}): KustoGlobalState {
  const k = loadKusto();
  const tables = new Map(input.tables.map((t) => [t.name, t]));
  const functions = new Map((input.functions ?? []).map((f) => [f.name, f]));
  const watchlists = new Map((input.watchlists ?? []).map((w) => [w.alias, w]));
  const members: KustoNamespace[] = [...tables.values()].map((t) => tableSymbol(k, t));
  for (const fn of loadBundledFunctions().values()) {
    if (fn.name === "_GetWatchlist" || functions.has(fn.name) || tables.has(fn.name)) continue;
    members.push(bundledFunctionSymbol(k, fn));
  }
  if (!functions.has("_GetWatchlist")) members.push(cached(watchlistSymbols, input.watchlists ?? NO_WATCHLISTS, () => watchlistFunctionSymbol(k, watchlists)));
  for (const fn of functions.values()) members.push(userFunctionSymbol(k, fn));
  const database = new k.Symbols.DatabaseSymbol.$ctor2("workspace", null, members);
  return { state: defaultState(k).WithDatabase(database), tables, functions, watchlists };
}
