import { makeDiagnostic, type Diagnostic, type DiagnosticCode } from "../diagnostics/index.ts";
import { isRecord } from "../content/record.ts";
import { locate, locateInScalar, type DocPath, type LoadedFile } from "../load/index.ts";
import type { ResultColumn } from "./index.ts";

/** A place in a rule that names a result column. */
interface ColumnReference {
  column: string;
  path: DocPath;
  /** Offset of the name inside the scalar at `path` (for `{{Column}}` placeholders). */
  offset?: number;
  /** How the field is described in messages, e.g. "entityMappings[0].fieldMappings[1].columnName". */
  field: string;
  code: DiagnosticCode;
}

type Json = Record<string, unknown>;
const objects = (v: unknown): [Json, number][] =>
  Array.isArray(v) ? v.flatMap((x, i): [Json, number][] => (isRecord(x) ? [[x, i]] : [])) : [];
/** Suffixes `union` gives same-named columns of different types (`X_string`, `X_dynamic`, …). */
const TYPE_SUFFIXES = new Set(["bool", "int", "long", "real", "decimal", "string", "datetime", "timespan", "guid", "dynamic"]);
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

function entityReferences(data: Json): ColumnReference[] {
  return objects(data["entityMappings"]).flatMap(([entity, i]) =>
    objects(entity["fieldMappings"]).flatMap(([field, j]): ColumnReference[] =>
      typeof field["columnName"] === "string"
        ? [{ column: field["columnName"], path: ["entityMappings", i, "fieldMappings", j, "columnName"], field: `entityMappings[${i}].fieldMappings[${j}].columnName`, code: "SC3010" }]
        : [],
    ),
  );
}

function customDetailReferences(data: Json): ColumnReference[] {
  const details = data["customDetails"];
  if (!isRecord(details)) return [];
  return Object.entries(details).flatMap(([key, column]): ColumnReference[] =>
    typeof column === "string" ? [{ column, path: ["customDetails", key], field: `customDetails.${key}`, code: "SC3011" }] : [],
  );
}

function placeholderReferences(text: unknown, path: DocPath, field: string): ColumnReference[] {
  if (typeof text !== "string") return [];
  return [...text.matchAll(PLACEHOLDER)].map((m) => ({
    column: m[1] as string,
    path,
    offset: m.index + m[0].indexOf(m[1] as string),
    field: `${field} placeholder`,
    code: "SC3012" as const,
  }));
}

/** A column-name field that may also be written as a `{{Column}}` placeholder. */
function columnNameReference(text: unknown, path: DocPath, field: string): ColumnReference[] {
  if (typeof text !== "string") return [];
  const placeholders = placeholderReferences(text, path, field);
  if (placeholders.length > 0) return placeholders;
  return text.trim() === "" ? [] : [{ column: text.trim(), path, field, code: "SC3012" }];
}

function overrideReferences(data: Json): ColumnReference[] {
  const o = data["alertDetailsOverride"];
  if (!isRecord(o)) return [];
  const base = ["alertDetailsOverride"];
  return [
    ...placeholderReferences(o["alertDisplayNameFormat"], [...base, "alertDisplayNameFormat"], "alertDisplayNameFormat"),
    ...placeholderReferences(o["alertDescriptionFormat"], [...base, "alertDescriptionFormat"], "alertDescriptionFormat"),
    ...columnNameReference(o["alertTacticsColumnName"], [...base, "alertTacticsColumnName"], "alertTacticsColumnName"),
    ...columnNameReference(o["alertSeverityColumnName"], [...base, "alertSeverityColumnName"], "alertSeverityColumnName"),
    ...objects(o["alertDynamicProperties"]).flatMap(([p, i]) =>
      columnNameReference(p["value"], [...base, "alertDynamicProperties", i, "value"], `alertDynamicProperties[${i}].value`),
    ),
  ];
}

/** Every result column a rule's mappings name: entity mappings, custom details and alert details overrides. */
export function ruleColumnReferences(data: unknown): ColumnReference[] {
  if (!isRecord(data)) return [];
  return [...entityReferences(data), ...customDetailReferences(data), ...overrideReferences(data)];
}

function where(file: LoadedFile, ref: ColumnReference) {
  if (ref.offset === undefined) return locate(file, ref.path);
  const start = locateInScalar(file, ref.path, ref.offset);
  const end = locateInScalar(file, ref.path, ref.offset + ref.column.length);
  return { file: file.path, start, end };
}

function listColumns(columns: readonly ResultColumn[]): string {
  const names = columns.map((c) => c.name);
  const shown = names.slice(0, 12).join(", ");
  return names.length > 12 ? `${shown}, … (${names.length} columns)` : shown;
}

/**
 * The output-column contract: every column a rule's entity mappings, custom details and alert details override
 * name must be a column of the query's result, with exactly that case.
 */
export function checkOutputColumns(file: LoadedFile, columns: readonly ResultColumn[], resultIsOpen = false): Diagnostic[] {
  const exact = new Set(columns.map((c) => c.name));
  const byLower = new Map(columns.map((c) => [c.name.toLowerCase(), c.name]));
  const out: Diagnostic[] = [];
  for (const ref of ruleColumnReferences(file.data)) {
    if (exact.has(ref.column)) continue;
    const other = byLower.get(ref.column.toLowerCase());
    if (other !== undefined) {
      out.push(
        makeDiagnostic("SC3013", where(file, ref), `${ref.field} '${ref.column}' matches the result column '${other}' only when case is ignored`, {
          hint: `did you mean '${other}'?`,
        }),
      );
      continue;
    }
    if (resultIsOpen) continue;
    const split = columns.filter((c) => c.name.startsWith(`${ref.column}_`) && TYPE_SUFFIXES.has(c.name.slice(ref.column.length + 1)));
    const hint =
      split.length > 0
        ? { hint: `union branches give '${ref.column}' different types, so the result has ${split.map((c) => c.name).join(" and ")} instead; convert it to one type in every branch` }
        : {};
    out.push(makeDiagnostic(ref.code, where(file, ref), `${ref.field} '${ref.column}' is not a column of the query result (${listColumns(columns)})`, hint));
  }
  return out;
}

/** Grouping settings must name defined custom details and mapped entity types. */
export function checkGroupingFields(file: LoadedFile): Diagnostic[] {
  const data = file.data;
  if (!isRecord(data)) return [];
  const incident = data["incidentConfiguration"];
  const grouping = isRecord(incident) ? incident["groupingConfiguration"] : undefined;
  if (!isRecord(grouping)) return [];
  const base = ["incidentConfiguration", "groupingConfiguration"];
  const details = isRecord(data["customDetails"]) ? new Set(Object.keys(data["customDetails"])) : new Set<string>();
  const entities = new Set(objects(data["entityMappings"]).map(([e]) => String(e["entityType"])));
  const out: Diagnostic[] = [];
  const check = (key: string, defined: ReadonlySet<string>, what: string): void => {
    const list = grouping[key];
    if (!Array.isArray(list)) return;
    list.forEach((name, i) => {
      if (typeof name !== "string" || defined.has(name)) return;
      const near = [...defined].find((d) => d.toLowerCase() === name.toLowerCase());
      out.push(
        makeDiagnostic("SC3014", locate(file, [...base, key, i]), `${key} '${name}' is not ${what}`, near ? { hint: `did you mean '${near}'?` } : {}),
      );
    });
  };
  check("groupByCustomDetails", details, "a key of customDetails");
  check("groupByEntities", entities, "an entity type mapped in entityMappings");
  return out;
}
