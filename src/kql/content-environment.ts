import { assertNever } from "../diagnostics/index.ts";
import { isRecord, recordsOf } from "../content/record.ts";
import type { LoadedFile } from "../load/index.ts";
import type { AnalysisEnvironment } from "./analyzer.ts";
import type { FunctionDefinition, WatchlistDefinition } from "./globals.ts";
import { isKqlScalarType, STANDARD_COLUMNS, type ColumnSchema, type TableSchema } from "./tables.ts";

/** What the repository's own content adds to the bundled schemas: custom tables, parsers and watchlists. */
export interface ContentEnvironment {
  /** Custom tables declared by ingestion mappings, as rules see them (with the standard columns). */
  tables: TableSchema[];
  /** Custom tables exactly as declared (what a transform must produce). */
  declaredTables: TableSchema[];
  functions: FunctionDefinition[];
  watchlists: WatchlistDefinition[];
}

type Json = Record<string, unknown>;

/** Reads `{ name, type }` column lists, keeping only well-formed entries (the schema stage reports the rest). */
export function readColumns(value: unknown): ColumnSchema[] {
  return recordsOf(value).flatMap((c) => {
    const type = typeof c["type"] === "string" ? c["type"].toLowerCase() : "";
    return typeof c["name"] === "string" && isKqlScalarType(type) ? [{ name: c["name"], type }] : [];
  });
}

function withStandardColumns(table: TableSchema): TableSchema {
  const names = new Set(table.columns.map((c) => c.name));
  return { name: table.name, columns: [...table.columns, ...STANDARD_COLUMNS.filter((c) => !names.has(c.name))] };
}

/** A parser's `ParserParams` as function parameters (well-formed entries only). */
export function readParserParameters(data: Json): FunctionDefinition["parameters"] {
  return recordsOf(data["ParserParams"]).flatMap((p) => {
    if (typeof p["Name"] !== "string" || typeof p["Type"] !== "string") return [];
    const fallback = p["Default"];
    return [{ name: p["Name"], type: p["Type"], ...(fallback === undefined || fallback === null ? {} : { default: String(fallback) }) }];
  });
}

function parserFunction(data: Json): FunctionDefinition | undefined {
  const name = data["ParserName"];
  const body = data["ParserQuery"];
  if (typeof name !== "string" || typeof body !== "string") return undefined;
  return { name, parameters: readParserParameters(data), body };
}

function watchlist(data: Json): WatchlistDefinition | undefined {
  const alias = data["watchlistAlias"];
  if (typeof alias !== "string") return undefined;
  const declared = Array.isArray(data["columns"]) ? data["columns"].filter((c): c is string => typeof c === "string") : undefined;
  const first = recordsOf(data["items"])[0];
  return { alias, columns: declared ?? (first ? Object.keys(first) : []) };
}

/** The environment queries are analysed in: the content's tables (each tracked), parsers and watchlists. The one shape the analysis cache keys, so validate and replay fill it for each other. */
export function analysisEnvironmentOf(content: ContentEnvironment): AnalysisEnvironment {
  return { tables: content.tables, functions: content.functions, watchlists: content.watchlists, trackTables: content.tables.map((t) => t.name) };
}

/** Collects the custom tables, parsers (as callable functions) and watchlists defined by the content files. */
export function collectEnvironment(files: readonly LoadedFile[]): ContentEnvironment {
  const environment: ContentEnvironment = { tables: [], declaredTables: [], functions: [], watchlists: [] };
  for (const file of files) {
    const data = file.data;
    if (!isRecord(data)) continue;
    switch (file.kind) {
      case "ingestion-mapping":
        for (const t of recordsOf(data["tables"])) {
          if (typeof t["name"] !== "string") continue;
          const table = { name: t["name"], columns: readColumns(t["columns"]) };
          environment.declaredTables.push(table);
          environment.tables.push(withStandardColumns(table));
        }
        break;
      case "parser": {
        const fn = parserFunction(data);
        if (fn) environment.functions.push(fn);
        break;
      }
      case "watchlist": {
        const w = watchlist(data);
        if (w) environment.watchlists.push(w);
        break;
      }
      case "analytic-rule":
      case "hunting-query":
      case "workbook":
      case "tests":
      case "environments":
        break;
      default:
        assertNever(file.kind, "content kind");
    }
  }
  return environment;
}
