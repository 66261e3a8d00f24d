import type { ContentKind } from "../../content/kinds.ts";
import { isTemplatePath } from "../../content/kinds.ts";
import { isRecord } from "../../content/record.ts";
import { loadBundledTables, STANDARD_COLUMNS, type FunctionDefinition, type TableSchema, type WatchlistDefinition } from "../../kql/index.ts";
import type { LoadedFile } from "../../load/index.ts";

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
  files: Map<string, LoadedFile>;
}

type Doc = Record<string, unknown>;

function records(value: unknown): Doc[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

/** Builds the workspace model from loaded content: bundled tables plus every ingestion-mapping table, parser and watchlist. */
export function buildWorkspace(files: readonly LoadedFile[]): Workspace {
  const tables = new Map(loadBundledTables());
  const customTableFiles = new Map<string, string>();
  const functions = new Map<string, ParserContent>();
  const watchlists = new Map<string, WatchlistContent>();
  for (const file of files) {
    if (!isRecord(file.data) || isTemplatePath(file.path)) continue;
    const data = file.data;
    if (file.kind === "ingestion-mapping") {
      for (const table of records(data.tables)) {
        if (typeof table.name !== "string") continue;
        const columns = records(table.columns)
          .filter((c) => typeof c.name === "string" && typeof c.type === "string")
          .map((c) => ({ name: c.name as string, type: (c.type as string).toLowerCase() as TableSchema["columns"][number]["type"] }));
        // every Log Analytics table also has the standard columns (TenantId, _TimeReceived, _ResourceId, ...)
        const standard = STANDARD_COLUMNS.filter((c) => !columns.some((d) => d.name === c.name));
        tables.set(table.name, { name: table.name, columns: [...columns, ...standard] });
        customTableFiles.set(table.name, file.path);
      }
    } else if (file.kind === "parser" && typeof data.ParserName === "string" && typeof data.ParserQuery === "string") {
      const parameters = records(data.ParserParams).map((p) => ({
        name: String(p.Name ?? ""),
        type: String(p.Type ?? "string"),
        ...(p.Default === undefined ? {} : { default: String(p.Default) }),
      }));
      functions.set(data.ParserName, { name: data.ParserName, parameters, body: data.ParserQuery, file: file.path });
    } else if (file.kind === "watchlist" && typeof data.watchlistAlias === "string") {
      const items = records(data.items);
      const columns = Array.isArray(data.columns) ? data.columns.map(String) : Object.keys(items[0] ?? {});
      const watchlist: WatchlistContent = { alias: data.watchlistAlias, columns, items };
      if (typeof data.itemsSearchKey === "string") watchlist.searchKey = data.itemsSearchKey;
      watchlists.set(data.watchlistAlias, watchlist);
    }
  }
  return { tables, customTableFiles, functions, watchlists, files: new Map(files.map((f) => [f.path, f])) };
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
