import { QueryTextBuilder, type MappedQuery } from "./query-text.ts";
import { isRecord, recordsOf } from "../content/record.ts";
import { workbookItems } from "../content/workbook-items.ts";

/** What the analyser needs of one workbook parameter to give it a typed placeholder value. */
export interface WorkbookParameter {
  name: string;
  /** The workbook parameter type number (1 text, 2 drop-down, 4 time range, 5 resource, 6 subscription, 7 resource type, 8 location, …); undefined for parameters exported by links and grids. */
  type: number | undefined;
  multiSelect: boolean;
  quote: string;
  delimiter: string;
  /** The parameter's default value(s), when the workbook gives one. */
  values: string[];
}

/** A `{Name}` or `{Name:format}` reference to a parameter no item of the workbook defines. */
export interface UnknownParameter {
  name: string;
  /** Offset of the `{` in the source query. */
  offset: number;
  length: number;
}

const EXAMPLE_WORKSPACE =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/example-rg/providers/microsoft.operationalinsights/workspaces/example-workspace";
const EXAMPLE_BY_TYPE: Readonly<Record<number, string>> = {
  5: EXAMPLE_WORKSPACE,
  6: "/subscriptions/00000000-0000-0000-0000-000000000000",
  7: "microsoft.operationalinsights/workspaces",
  8: "eastus",
};
const TIME_RANGE = 4;
const REFERENCE = /\{([A-Za-z_][A-Za-z0-9_]*)(?::([^{}\r\n]*))?\}/g;

type Json = Record<string, unknown>;

/** Collects every parameter a workbook defines: parameter items, link/tab targets and grid exports, in all groups. */
export function collectWorkbookParameters(content: unknown): Map<string, WorkbookParameter> {
  const parameters = new Map<string, WorkbookParameter>();
  const add = (p: WorkbookParameter): void => {
    if (!parameters.has(p.name)) parameters.set(p.name, p);
  };
  for (const { content: body } of workbookItems(content)) {
    for (const p of recordsOf(body["parameters"])) if (typeof p["name"] === "string") add(declaredParameter(p));
    for (const link of recordsOf(body["links"])) exported(link["cellValue"], add);
    exported(body["exportParameterName"], add);
    for (const e of recordsOf(body["exportedParameters"])) exported(e["parameterName"], add);
    for (const e of recordsOf(body["exportParameterNames"])) exported(e["parameterName"], add);
  }
  return parameters;
}


function exported(name: unknown, add: (p: WorkbookParameter) => void): void {
  if (typeof name === "string" && name !== "") add({ name, type: undefined, multiSelect: false, quote: "'", delimiter: ",", values: [] });
}

function declaredParameter(p: Json): WorkbookParameter {
  return {
    name: String(p["name"]),
    type: typeof p["type"] === "number" ? p["type"] : undefined,
    multiSelect: p["multiSelect"] === true,
    quote: typeof p["quote"] === "string" ? p["quote"] : "'",
    delimiter: typeof p["delimiter"] === "string" ? p["delimiter"] : ",",
    values: defaultValues(p),
  };
}

/** The parameter's default: its `value` (unless a `value::` selector), else the selected or first `jsonData` entry. */
function defaultValues(p: Json): string[] {
  const value = p["value"];
  const list = (Array.isArray(value) ? value : [value]).filter((v): v is string | number => typeof v === "string" || typeof v === "number");
  const usable = list.map(String).filter((v) => !v.startsWith("value::"));
  if (usable.length > 0) return usable;
  const data = parseJsonData(p["jsonData"]);
  const chosen = data.find((d) => isRecord(d) && d["selected"] === true) ?? data[0];
  if (typeof chosen === "string" || typeof chosen === "number") return [String(chosen)];
  if (isRecord(chosen) && (typeof chosen["value"] === "string" || typeof chosen["value"] === "number")) return [String(chosen["value"])];
  return [];
}

function parseJsonData(jsonData: unknown): unknown[] {
  if (Array.isArray(jsonData)) return jsonData;
  if (typeof jsonData !== "string") return [];
  try {
    const parsed: unknown = JSON.parse(jsonData);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

/** The typed placeholder text for `{name:format}`, as the workbook would expand it. */
export function placeholderValue(p: WorkbookParameter, format: string | undefined): string {
  if (p.type === TIME_RANGE) return timeRangeValue(format);
  const example = p.type === undefined ? undefined : EXAMPLE_BY_TYPE[p.type];
  const values = p.values.length > 0 ? p.values : [example ?? "value"];
  const first = values[0] as string;
  switch (format) {
    case "label":
    case "name":
      return example && p.values.length === 0 ? (first.split("/").at(-1) ?? first) : first;
    case undefined:
    case "value":
    case "id":
    case "escape":
      return p.multiSelect ? values.map((v) => `${p.quote}${v}${p.quote}`).join(p.delimiter) : first;
    default:
      return first;
  }
}

function timeRangeValue(format: string | undefined): string {
  switch (format) {
    case undefined:
    case "query":
      return ">= ago(1d)";
    case "start":
      return "2026-01-01T00:00:00.000Z";
    case "end":
      return "2026-01-02T00:00:00.000Z";
    case "grain":
      return "1h";
    case "label":
      return "Last 24 hours";
    case "value":
      return "86400000";
    default:
      return "1d";
  }
}

/** One `{Name}` or `{Name:format}` reference in a workbook query. */
export interface ParameterReference {
  name: string;
  format: string | undefined;
  /** Offset of the `{` in the source query. */
  offset: number;
  length: number;
}

/** Replaces every parameter reference in a workbook query with the text `replace` gives for it; offsets map back to the source. */
export function replaceParameterReferences(query: string, replace: (reference: ParameterReference) => string): MappedQuery {
  const builder = new QueryTextBuilder();
  let last = 0;
  for (const match of query.matchAll(REFERENCE)) {
    const reference: ParameterReference = { name: match[1] as string, format: match[2], offset: match.index, length: match[0].length };
    builder.copy(query, last, reference.offset).insert(replace(reference), reference.offset);
    last = reference.offset + reference.length;
  }
  return builder.copy(query, last, query.length).build();
}

/** Replaces every parameter reference in a workbook query with a typed placeholder value. */
export function substituteWorkbookParameters(
  query: string,
  parameters: ReadonlyMap<string, WorkbookParameter>,
): { query: MappedQuery; unknown: UnknownParameter[] } {
  const unknown: UnknownParameter[] = [];
  const substituted = replaceParameterReferences(query, ({ name, format, offset, length }) => {
    const parameter = parameters.get(name) ?? findIgnoringCase(parameters, name);
    // An undefined parameter is reported by the caller and still replaced, so the rest of the query is analysed.
    if (!parameter) unknown.push({ name, offset, length });
    return parameter ? placeholderValue(parameter, format) : "value";
  });
  return { query: substituted, unknown };
}

function findIgnoringCase(parameters: ReadonlyMap<string, WorkbookParameter>, name: string): WorkbookParameter | undefined {
  const lower = name.toLowerCase();
  return [...parameters.values()].find((p) => p.name.toLowerCase() === lower);
}
