import type { Column, InputTable, KqlType, Row } from "../values.ts";
import { convertRaw, dataError, inferType } from "./convert.ts";

/** Plain row objects, keyed by column name. */
export type RowObjects = Record<string, unknown>[];

/** The fixture column that sets a row's ingestion_time(); TimeGenerated is used when it is absent. */
const INGESTION_COLUMN = "_TimeReceived";

/** Columns of tables whose per-resource columns are open-ended (AzureDiagnostics): a typed suffix gives the type. */
const SUFFIX_TYPES: Record<string, KqlType> = { _s: "string", _d: "real", _b: "bool", _g: "guid", _t: "datetime" };

/** Where each row came from, for messages (e.g. "AzureActivity.jsonl line 3"). */
export type RowOrigin = (index: number) => string;

/**
 * Types row objects by `schema` (columns present in the rows that the schema lacks are an error, except
 * typed-suffix columns of open tables such as AzureDiagnostics, which keep such columns only when the
 * fixture has them, so `column_ifexists` sees the fixture's columns). Each row's ingestion time is its
 * `_TimeReceived`, else its TimeGenerated.
 */
export function typeRows(
  tableName: string,
  rows: RowObjects,
  schema: readonly Column[] | undefined,
  origin: RowOrigin,
  options: { openColumns?: boolean } = {},
): InputTable {
  const present = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) if (key !== INGESTION_COLUMN) present.add(key);
  let columns: Column[];
  if (schema) {
    const known = new Map(schema.map((c) => [c.name, c]));
    const extra: Column[] = [];
    for (const name of present) {
      if (known.has(name)) continue;
      const suffix = SUFFIX_TYPES[name.slice(-2)];
      if (options.openColumns && suffix) {
        extra.push({ name, type: suffix });
        continue;
      }
      const line = rows.findIndex((r) => name in r);
      throw dataError(origin(line), name, new Error(`unknown column for table ${tableName}`));
    }
    // Open tables keep a per-resource (typed-suffix) column only when the fixture has it, as a workspace would.
    const keep = (c: Column): boolean => !options.openColumns || !SUFFIX_TYPES[c.name.slice(-2)] || present.has(c.name);
    columns = [...schema.filter(keep), ...extra];
  } else {
    columns = [...present].map((name) => ({ name, type: inferType(rows.map((r) => r[name])) }));
  }
  const ingestionTimes: (bigint | null)[] = [];
  const typed: Row[] = rows.map((obj, i) => {
    const row = columns.map((c) => {
      try {
        return convertRaw(obj[c.name], c.type);
      } catch (error) {
        throw dataError(origin(i), c.name, error);
      }
    });
    ingestionTimes.push(ingestionTimeOfObject(obj, () => origin(i)));
    return row;
  });
  return { columns, rows: typed, ingestionTimes };
}

/** A row object's ingestion time (ticks): its `_TimeReceived`, else its TimeGenerated; null when it has neither. */
function ingestionTimeOfObject(obj: Record<string, unknown>, where: () => string): bigint | null {
  const ingestion = obj[INGESTION_COLUMN] ?? obj.TimeGenerated;
  if (ingestion === undefined || ingestion === null) return null;
  try {
    const t = convertRaw(ingestion, "datetime");
    return typeof t === "bigint" ? t : null;
  } catch (error) {
    throw dataError(where(), INGESTION_COLUMN, error);
  }
}
