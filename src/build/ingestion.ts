import { MARKER_NAME, markerValue } from "./marker.ts";
import { workspaceResourceId } from "./workspace.ts";
import { builtResource, type BuildContext, type BuildOutput, type BuiltResource, type Locator } from "./types.ts";
import { hasFailures, makeDiagnostic, type Diagnostic } from "../diagnostics/index.ts";

/** KQL column types → the tables API enum (it has no timespan). */
const TABLE_TYPES: Record<string, string> = {
  string: "string", int: "int", long: "long", real: "real", bool: "boolean", boolean: "boolean", datetime: "dateTime", guid: "guid", dynamic: "dynamic",
};
/** KQL column types → the DCR stream-declaration enum (it has neither timespan nor guid). */
const STREAM_TYPES: Record<string, string> = {
  string: "string", int: "int", long: "long", real: "real", bool: "boolean", boolean: "boolean", datetime: "datetime", dynamic: "dynamic",
};
/** The DCR's name for its one Log Analytics destination. */
export const DCR_DESTINATION = "workspace";

interface Column { name: string; type: string; description?: string }

/** The custom tables and the Direct data collection rule of one ingestion mapping. */
export function buildIngestion(data: Record<string, unknown>, file: string, at: Locator, context: BuildContext): BuildOutput {
  const diagnostics: Diagnostic[] = [];
  const id = String(data["id"] ?? "");
  const tables = records(data["tables"]);
  const resources: BuiltResource[] = tables.map((table, index) => buildTable(table, index, file, id, at, context, diagnostics));
  resources.push(buildDcr(data, file, id, at, context, diagnostics));
  return hasFailures(diagnostics) ? { resources: [], diagnostics } : { resources, diagnostics };
}

function buildTable(table: Record<string, unknown>, index: number, file: string, id: string, at: Locator, context: BuildContext, diagnostics: Diagnostic[]): BuiltResource {
  const name = String(table["name"] ?? "");
  const columns = columnsOf(table["columns"], TABLE_TYPES, ["tables", index, "columns"], "the tables API", at, diagnostics);
  const schema: Record<string, unknown> = { name, columns };
  if (typeof table["description"] === "string") schema["description"] = table["description"].trim();
  const properties: Record<string, unknown> = { plan: table["plan"] ?? "Analytics", schema };
  if (table["retentionInDays"] !== undefined) properties["retentionInDays"] = table["retentionInDays"];
  if (table["totalRetentionInDays"] !== undefined) properties["totalRetentionInDays"] = table["totalRetentionInDays"];
  return builtResource("table", name, context.target, { title: name, body: { properties }, source: { file, contentId: id } });
}

function buildDcr(data: Record<string, unknown>, file: string, id: string, at: Locator, context: BuildContext, diagnostics: Diagnostic[]): BuiltResource {
  const stem = String(data["name"] ?? id);
  const name = `dcr-${stem}-${context.target.workspaceName}`;
  const streamDeclarations: Record<string, unknown> = {};
  records(data["streams"]).forEach((stream, index) => {
    streamDeclarations[String(stream["name"])] = { columns: columnsOf(stream["columns"], STREAM_TYPES, ["streams", index, "columns"], "DCR stream declarations", at, diagnostics).map(({ name: n, type }) => ({ name: n, type })) };
  });
  const dataFlows = records(data["dataFlows"]).map((flow) => {
    const out: Record<string, unknown> = { streams: flow["streams"], destinations: [DCR_DESTINATION], outputStream: flow["outputStream"] };
    if (typeof flow["transformKql"] === "string") out["transformKql"] = flow["transformKql"].trim();
    return out;
  });
  const properties: Record<string, unknown> = {
    streamDeclarations,
    destinations: { logAnalytics: [{ workspaceResourceId: workspaceResourceId(context.target), name: DCR_DESTINATION }] },
    dataFlows,
  };
  if (typeof data["description"] === "string") properties["description"] = data["description"].trim();
  return builtResource("dcr", name, context.target, {
    title: name,
    body: { location: context.target.location, kind: "Direct", tags: { [MARKER_NAME]: markerValue(context.repository, name) }, properties },
    source: { file, contentId: id },
  });
}

function columnsOf(value: unknown, types: Record<string, string>, path: (string | number)[], api: string, at: Locator, diagnostics: Diagnostic[]): Column[] {
  return records(value).map((column, index) => {
    const type = String(column["type"] ?? "");
    const mapped = types[type.toLowerCase()];
    if (!mapped) diagnostics.push(makeDiagnostic("SC6002", at([...path, index, "type"]), `column type "${type}" is not supported by ${api}`));
    const out: Column = { name: String(column["name"]), type: mapped ?? type };
    if (typeof column["description"] === "string") out.description = column["description"];
    return out;
  });
}

function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter((v): v is Record<string, unknown> => v !== null && typeof v === "object") : [];
}
