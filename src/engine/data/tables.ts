import { EngineError } from "../errors.ts";
import { KQL_TYPES, parseDatetime, type Column, type InputTable, type KqlType, type Row, type Value } from "../values.ts";
import { cellValue } from "./cell-value.ts";

/** Plain row objects, keyed by column name. */
export type RowObjects = Record<string, unknown>[];

/** The fixture column that sets a row's ingestion_time(); TimeGenerated is used when it is absent. */
const INGESTION_COLUMN = "_TimeReceived";

/** Columns of tables whose per-resource columns are open-ended (AzureDiagnostics): a typed suffix gives the type. */
const SUFFIX_TYPES: Record<string, KqlType> = { _s: "string", _d: "real", _b: "bool", _g: "guid", _t: "datetime" };

/** A data row that cannot be typed (SC4009): where it is (`file:line:col`, or `table T row 3`) and why. */
export class DataRowError extends EngineError {
  constructor(
    readonly where: string,
    readonly reason: string,
  ) {
    super("SC4009", `${where}: ${reason}`);
  }
}

/** A key of a row that is not a column, or a cell that does not fit its column; the message names table and column. */
export interface RowProblem {
  column: string;
  kind: "unknown-column" | "bad-value";
  message: string;
}

/** A column as schemas describe it (the type is checked to be a KQL type when a row is typed). */
export interface NamedColumn {
  name: string;
  type: string;
}

/** What typeRowObject needs beyond the row: keys to pass over, and whether keys that are not columns are dropped. */
export interface RowTyping {
  /** Keys that are never columns (a fixture's `$profileException`). */
  skip?: ReadonlySet<string>;
  /** Drop keys that are not columns, as the Logs Ingestion API does for a DCR input stream. */
  dropUnknown?: boolean;
}

/**
 * Types one row object by `columns` (the cell rules are in cell-value.ts): values in column order, a column the row
 * leaves out is null ("" for strings). Each key that is not a column and each cell that does not fit is a problem.
 */
export function typeRowObject(table: string, columns: readonly NamedColumn[], index: ReadonlyMap<string, number>, values: Readonly<Record<string, unknown>>, typing: RowTyping = {}): { row: Row; problems: RowProblem[] } {
  const row: Row = columns.map((c) => (c.type === "string" ? "" : null));
  const problems: RowProblem[] = [];
  for (const [key, cell] of Object.entries(values)) {
    if (typing.skip?.has(key)) continue;
    const i = index.get(key);
    if (i === undefined) {
      if (!typing.dropUnknown) problems.push({ column: key, kind: "unknown-column", message: unknownColumn(table, columns, key) });
      continue;
    }
    const column = columns[i] as NamedColumn;
    const typed: { value: Value } | { error: string } = isKqlType(column.type) ? cellValue(cell, column.type) : { error: `column type ${column.type} is not a KQL type` };
    if ("error" in typed) problems.push({ column: key, kind: "bad-value", message: `${table}.${key} is ${column.type}: ${typed.error}` });
    else row[i] = typed.value;
  }
  return { row, problems };
}

/** Each column's position by name, for typeRowObject. */
export function columnIndex(columns: readonly NamedColumn[]): Map<string, number> {
  return new Map(columns.map((c, i) => [c.name, i]));
}

/** The KQL type names, for a per-cell check without a scan of the list. */
const KQL_TYPE_NAMES: ReadonlySet<string> = new Set(KQL_TYPES);

function isKqlType(type: string): type is KqlType {
  return KQL_TYPE_NAMES.has(type);
}

function unknownColumn(table: string, columns: readonly NamedColumn[], key: string): string {
  const near = columns.find((c) => c.name.toLowerCase() === key.toLowerCase());
  return `${table} has no column ${key}${near ? ` (did you mean ${near.name}? column names are case-sensitive)` : ""}`;
}

/** Where a row (and one of its columns) came from, for messages (e.g. "AzureActivity.jsonl:3:15"). */
export type RowOrigin = (index: number, column?: string) => string;

/**
 * Types row objects by `schema` (typed-suffix columns of open tables such as AzureDiagnostics are kept only when the
 * fixture has them, so `column_ifexists` sees the fixture's columns; without a schema the types are inferred from
 * the values). The first problem is thrown as SC4009 at its origin. Each row's ingestion time is its
 * `_TimeReceived`, else its TimeGenerated.
 */
export function typeRows(tableName: string, rows: RowObjects, schema: readonly Column[] | undefined, origin: RowOrigin, options: { openColumns?: boolean } = {}): InputTable {
  const present = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) if (key !== INGESTION_COLUMN) present.add(key);
  const columns = schema ? schemaColumns(schema, present, options.openColumns === true) : [...present].map((name) => ({ name, type: inferType(rows.map((r) => r[name])) }));
  const index = columnIndex(columns);
  const typing = { skip: index.has(INGESTION_COLUMN) ? undefined : new Set([INGESTION_COLUMN]) };
  const ingestionTimes: (bigint | null)[] = [];
  const typed: Row[] = rows.map((obj, i) => {
    const { row, problems } = typeRowObject(tableName, columns, index, obj, typing);
    const problem = problems[0];
    if (problem) throw new DataRowError(origin(i, problem.column), problem.message);
    ingestionTimes.push(ingestionTimeOf(tableName, obj, () => origin(i, INGESTION_COLUMN)));
    return row;
  });
  return { columns, rows: typed, ingestionTimes };
}

/** The schema's columns, with an open table's typed-suffix columns only as the rows have them (plus those the schema lacks). */
function schemaColumns(schema: readonly Column[], present: ReadonlySet<string>, open: boolean): Column[] {
  if (!open) return [...schema];
  const known = new Set(schema.map((c) => c.name));
  const extra: Column[] = [];
  for (const name of present) {
    const suffix = SUFFIX_TYPES[name.slice(-2)];
    if (!known.has(name) && suffix) extra.push({ name, type: suffix });
  }
  return [...schema.filter((c) => !SUFFIX_TYPES[c.name.slice(-2)] || present.has(c.name)), ...extra];
}

/** Infers a column type from sample values (no schema): bool, long, real, datetime (ISO text), string (text), else dynamic. */
function inferType(values: readonly unknown[]): KqlType {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length === 0) return "string";
  if (present.every((v) => typeof v === "boolean")) return "bool";
  if (present.every((v) => typeof v === "number" || typeof v === "bigint")) return present.every((v) => typeof v === "bigint" || Number.isInteger(v)) ? "long" : "real";
  if (!present.every((v) => typeof v === "string")) return "dynamic";
  if (present.every((v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v as string) && parseDatetime(v as string) !== null)) return "datetime";
  return "string";
}

/** A row object's ingestion time (ticks): its `_TimeReceived`, else its TimeGenerated; null when it has neither. */
function ingestionTimeOf(table: string, obj: Readonly<Record<string, unknown>>, where: () => string): bigint | null {
  const ingestion = obj[INGESTION_COLUMN] ?? obj.TimeGenerated;
  const typed = cellValue(ingestion, "datetime");
  if ("error" in typed) throw new DataRowError(where(), `${table}.${INGESTION_COLUMN} is datetime: ${typed.error}`);
  return typeof typed.value === "bigint" ? typed.value : null;
}
