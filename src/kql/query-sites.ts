import { assertNever } from "../diagnostics/index.ts";
import type { DocPath, LoadedFile } from "../load/index.ts";
import type { FunctionDefinition } from "./globals.ts";
import { readColumns, readParserParameters } from "./content-environment.ts";
import { bracketName, quoteName, QueryTextBuilder, unmappedQuery, type MappedQuery } from "./query-text.ts";
import type { ColumnSchema } from "./tables.ts";
import { isRecord, recordsOf } from "../content/record.ts";
import { workbookItems } from "../content/workbook-items.ts";
import { collectWorkbookParameters, substituteWorkbookParameters, type UnknownParameter } from "./workbook-parameters.ts";

/** What a query is, which decides how it is prepared and checked. */
export type QueryRole = "analytic-rule" | "hunting-query" | "parser" | "workbook-step" | "workbook-parameter" | "transform";

/** A DCR transform's input and output, for the output-column checks. */
export interface TransformTarget {
  /** The data flow's `outputStream`, e.g. `Custom-ChatGPTComplianceEvents_CL` or `Microsoft-CommonSecurityLog`. */
  outputStream: string;
  /** The table the stream writes to (the stream name without its `Custom-`/`Microsoft-` prefix). */
  table: string;
}

/** One KQL text in a content file, prepared for analysis. */
export interface QuerySite {
  file: LoadedFile;
  /** Path of the YAML scalar holding the query. */
  path: DocPath;
  role: QueryRole;
  /** The text Kusto analyses (with parameter values or input declarations) and its map back to the scalar. */
  query: MappedQuery;
  /** Workbook parameters the query uses but the workbook never defines. */
  unknownParameters: UnknownParameter[];
  /** For transforms: where the output goes; undefined when the input stream is not declared (then not analysed). */
  transform?: TransformTarget;
  /** For transforms whose input stream is not declared in the file: its name. */
  undeclaredStream?: string;
}

type Json = Record<string, unknown>;

/** Workbook query types that are Log Analytics KQL (0 = logs; absent means logs too). */
const LOGS_QUERY_TYPE = 0;

/** `let source = datatable(...)[];` declaring a transform's input stream columns. */
function sourceDeclaration(columns: readonly ColumnSchema[]): string {
  return `let source = datatable(${columns.map((c) => `${bracketName(c.name)}:${c.type}`).join(", ")})[];\n`;
}

const TYPED_NULL = new Set(["bool", "int", "long", "real", "decimal", "datetime", "timespan", "guid", "dynamic"]);

/** `let <p> = <default>;` for each parser parameter, so the body can be analysed on its own. */
function parameterDeclarations(parameters: FunctionDefinition["parameters"]): string | undefined {
  const lines: string[] = [];
  for (const p of parameters) {
    const type = p.type.toLowerCase();
    const value = p.default ?? (type === "string" ? '""' : TYPED_NULL.has(type) ? `${type}(null)` : undefined);
    if (value === undefined) return undefined;
    lines.push(`let ${quoteName(p.name)} = ${value};\n`);
  }
  return lines.join("");
}

function prefixed(prefix: string, text: string): MappedQuery {
  return new QueryTextBuilder().insert(prefix, 0).copy(text, 0, text.length).build();
}

function site(file: LoadedFile, path: DocPath, role: QueryRole, query: MappedQuery, extra: Partial<QuerySite> = {}): QuerySite {
  return { file, path, role, query, unknownParameters: [], ...extra };
}

function parserSites(file: LoadedFile, data: Json): QuerySite[] {
  const body = data["ParserQuery"];
  if (typeof body !== "string") return [];
  const declarations = parameterDeclarations(readParserParameters(data));
  return [site(file, ["ParserQuery"], "parser", declarations ? prefixed(declarations, body) : unmappedQuery(body))];
}

/** The transform queries of an ingestion mapping (each data flow's `transformKql`), with their data flow and its index; none for other kinds. */
export function transformQueries(file: LoadedFile): { kql: string; index: number; flow: Json }[] {
  if (file.kind !== "ingestion-mapping" || !isRecord(file.data)) return [];
  const flows = file.data["dataFlows"];
  return (Array.isArray(flows) ? flows : []).flatMap((flow: unknown, index) => {
    const kql = isRecord(flow) ? flow["transformKql"] : undefined;
    return isRecord(flow) && typeof kql === "string" ? [{ kql, index, flow }] : [];
  });
}

function transformSites(file: LoadedFile, data: Json): QuerySite[] {
  const streams = new Map(recordsOf(data["streams"]).map((s) => [String(s["name"]), readColumns(s["columns"])]));
  return transformQueries(file).flatMap(({ kql, index, flow }) => {
    const path = ["dataFlows", index, "transformKql"];
    const input = Array.isArray(flow["streams"]) ? String(flow["streams"][0]) : "";
    const outputStream = typeof flow["outputStream"] === "string" ? flow["outputStream"] : input;
    const transform = { outputStream, table: outputStream.replace(/^(Custom|Microsoft)-/, "") };
    const columns = streams.get(input);
    if (!columns) return [site(file, path, "transform", unmappedQuery(kql), { undeclaredStream: input })];
    return [site(file, path, "transform", prefixed(sourceDeclaration(columns), kql), { transform })];
  });
}

function workbookSites(file: LoadedFile, data: Json): QuerySite[] {
  const content = data["content"];
  const parameters = collectWorkbookParameters(content);
  const sites: QuerySite[] = [];
  const add = (path: DocPath, role: QueryRole, holder: Json): void => {
    const query = holder["query"];
    const queryType = holder["queryType"];
    if (typeof query !== "string" || (queryType !== undefined && queryType !== LOGS_QUERY_TYPE)) return;
    const substituted = substituteWorkbookParameters(query, parameters);
    sites.push(site(file, [...path, "query"], role, substituted.query, { unknownParameters: substituted.unknown }));
  };
  for (const { item, content: body, path } of workbookItems(content)) {
    const at = [...path, "content"];
    if (item["type"] === 3) add(at, "workbook-step", body);
    recordsOf(body["parameters"]).forEach((p, j) => add([...at, "parameters", j], "workbook-parameter", p));
  }
  return sites;
}

/** Every KQL query in a content file: rule and hunting queries, parser bodies, workbook steps and parameters, DCR transforms. */
export function collectQuerySites(file: LoadedFile): QuerySite[] {
  const data = file.data;
  if (!isRecord(data)) return [];
  switch (file.kind) {
    case "analytic-rule":
    case "hunting-query":
      return typeof data["query"] === "string" ? [site(file, ["query"], file.kind, unmappedQuery(data["query"]))] : [];
    case "parser":
      return parserSites(file, data);
    case "workbook":
      return workbookSites(file, data);
    case "ingestion-mapping":
      return transformSites(file, data);
    case "watchlist":
    case "tests":
    case "environments":
      return [];
    default:
      return assertNever(file.kind, "content kind");
  }
}
