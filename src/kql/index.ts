export { loadKusto } from "./kusto.ts";
export type { KustoNamespace } from "./kusto.ts";
export { loadBundledTables, loadBundledFunctions, isKqlScalarType, BUNDLED_TABLES_DIR } from "./tables.ts";
export type { TableSchema, ColumnSchema, KqlScalarType, BundledFunctionSchema } from "./tables.ts";
export { buildGlobals, findWatchlist, WATCHLIST_BASE_COLUMNS } from "./globals.ts";
export type { KustoGlobalState, FunctionDefinition, WatchlistDefinition } from "./globals.ts";
export { analyzeQuery } from "./analyze.ts";
export type { QueryAnalysis, KustoDiagnostic, ResultColumn } from "./analyze.ts";
