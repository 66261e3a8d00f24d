import type { ContentKind } from "../../content/kinds.ts";
import type { IngestionMapping, Parser, Watchlist } from "../../content/generated/index.ts";
import { isRecord } from "../../content/record.ts";
import type { Diagnostic } from "../../diagnostics/index.ts";
import { loadBundledTables, STANDARD_COLUMNS, type FunctionDefinition, type TableSchema, type WatchlistDefinition } from "../../kql/index.ts";
import type { LoadedFile } from "../../load/index.ts";
import { refusalLine, schemaRefusals, valuesOfKind, type ContentEntry, type Repository } from "../../repository/index.ts";

/** A watchlist of the repo: alias, columns, search key and default items. */
export interface WatchlistContent extends WatchlistDefinition {
  searchKey?: string;
  items: Record<string, unknown>[];
}

/** A parser of the repo as a callable function, with the file it came from. */
export interface ParserContent extends FunctionDefinition {
  file: string;
}

/** Everything the repo declares that queries and fixtures can name: tables (bundled and custom), parsers, watchlists. */
export interface Workspace {
  tables: Map<string, TableSchema>;
  /** Custom tables by name → the ingestion-mapping file declaring them. */
  customTableFiles: Map<string, string>;
  functions: Map<string, ParserContent>;
  watchlists: Map<string, WatchlistContent>;
  /** Loaded content by repo-relative path. */
  files: ReadonlyMap<string, ContentEntry>;
  /** The schema errors of the parsers, watchlists and ingestion mappings left out because their schema failed. */
  leftOut: Diagnostic[];
}

/** The kinds whose typed values make up the workspace. */
const WORKSPACE_KINDS = ["ingestion-mapping", "parser", "watchlist"] as const;

/** Builds the workspace model from a repository's typed content: bundled tables plus every ingestion-mapping table, parser and watchlist. */
export function buildWorkspace(repository: Repository): Workspace {
  const tables = new Map(loadBundledTables());
  const customTableFiles = new Map<string, string>();
  for (const { entry, value } of valuesOfKind(repository, "ingestion-mapping")) {
    for (const table of customTables(value)) {
      tables.set(table.name, table);
      customTableFiles.set(table.name, entry.path);
    }
  }
  const functions = new Map(valuesOfKind(repository, "parser").map(({ entry, value }) => [value.ParserName, parserFunction(value, entry.path)] as const));
  const watchlists = new Map(valuesOfKind(repository, "watchlist").map(({ value }) => [value.watchlistAlias, watchlistContent(value)] as const));
  return { tables, customTableFiles, functions, watchlists, files: repository.files, leftOut: schemaRefusals(repository, WORKSPACE_KINDS) };
}

/** An ingestion mapping's custom tables, each with the standard columns every Log Analytics table has (TenantId, _TimeReceived, ...). */
function customTables(mapping: IngestionMapping): TableSchema[] {
  return (mapping.tables ?? []).map((table) => {
    const columns = table.columns.map((c) => ({ name: c.name, type: c.type }));
    const standard = STANDARD_COLUMNS.filter((c) => !columns.some((d) => d.name === c.name));
    return { name: table.name, columns: [...columns, ...standard] };
  });
}

function parserFunction(parser: Parser, file: string): ParserContent {
  const parameters = (parser.ParserParams ?? []).map((p) => ({ name: p.Name, type: p.Type, ...(p.Default === undefined ? {} : { default: String(p.Default) }) }));
  return { name: parser.ParserName, parameters, body: parser.ParserQuery, file };
}

function watchlistContent(watchlist: Watchlist): WatchlistContent {
  // copies, so a caller changing its workspace never changes the repository's documents
  const items = [...(watchlist.items ?? [])];
  const columns = [...(watchlist.columns ?? Object.keys(items[0] ?? {}))];
  return { alias: watchlist.watchlistAlias, columns, items, searchKey: watchlist.itemsSearchKey };
}

/** What a command says about the content its workspace left out: "" when none, else each schema error as file:line:col. */
export function leftOutNote(workspace: Workspace): string {
  if (workspace.leftOut.length === 0) return "";
  const lines = workspace.leftOut.map(refusalLine);
  return `\nleft out because their schema failed (sentinel-content validate shows them too):\n${lines.join("\n")}`;
}


/** The query a content file runs in tests: a rule's or hunting query's `query`, a parser's call. */
export function queryOf(file: LoadedFile): string | undefined {
  const data = isRecord(file.data) ? file.data : {};
  switch (file.kind as ContentKind) {
    case "analytic-rule":
    case "hunting-query":
      return typeof data.query === "string" ? data.query : undefined;
    case "parser":
      // a saved function with parameters (all defaulted) is called with parentheses
      if (typeof data.ParserName !== "string") return undefined;
      return Array.isArray(data.ParserParams) && data.ParserParams.length > 0 ? `${data.ParserName}()` : data.ParserName;
    default:
      return undefined;
  }
}
