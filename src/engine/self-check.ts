/**
 * A check of a result without an oracle: its columns (names, order, types) must be the result schema
 * Kusto.Language gives the query, and each cell must be a valid value of its column's type (see values.ts
 * for the representation: a timespan is a bigint of ticks, never a number).
 */
import type { KustoSchema } from "./run-query.ts";
import { MAX_DATETIME, MIN_DATETIME, type KqlType, type Table, type Value } from "./values.ts";

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function integerIn(value: Value, min: bigint, max: bigint): boolean {
  if (typeof value === "bigint") return value >= min && value <= max;
  return typeof value === "number" && Number.isInteger(value) && value >= Number(min) && value <= Number(max);
}

/** True when `value` is a JSON value a dynamic may hold (no bigint, undefined, NaN-free structure is not required). */
function isJson(value: unknown): boolean {
  if (value === null || typeof value === "boolean" || typeof value === "number" || typeof value === "string") return true;
  if (Array.isArray(value)) return value.every(isJson);
  if (typeof value === "object") return Object.getPrototypeOf(value) === Object.prototype && Object.values(value as object).every(isJson);
  return false;
}

/** True when `value` is an exact decimal: a number, a numeric string or bigint, or a decimal object (it has toFixed). */
function isDecimal(value: Value): boolean {
  if (typeof value === "number" || typeof value === "bigint") return true;
  if (typeof value === "string") return value.trim() !== "" && !Number.isNaN(Number(value));
  return typeof value === "object" && value !== null && typeof (value as { toFixed?: unknown }).toFixed === "function";
}

/** True when `value` is a valid cell of a column of `type` (null is valid for every type but string). */
export function isValidCell(value: Value, type: KqlType): boolean {
  if (value === null) return type !== "string";
  switch (type) {
    case "bool":
      return typeof value === "boolean";
    case "int":
      return integerIn(value, BigInt(INT_MIN), BigInt(INT_MAX));
    case "long":
      return integerIn(value, LONG_MIN, LONG_MAX);
    case "real":
      return typeof value === "number";
    case "decimal":
      return isDecimal(value);
    case "string":
      return typeof value === "string";
    case "datetime":
      return typeof value === "bigint" && value >= MIN_DATETIME && value <= MAX_DATETIME;
    case "timespan":
      return typeof value === "bigint";
    case "guid":
      return typeof value === "string" && GUID.test(value);
    case "dynamic":
      return isJson(value);
    default:
      return false;
  }
}

function describeColumns(columns: readonly { name: string; type: string }[]): string {
  return columns.map((c) => `${c.name}:${c.type}`).join(", ");
}

/** The columns of `table` that an open schema leaves out (the known columns must still appear, in order, with their types). */
function knownColumnsOnly(table: Table, schema: KustoSchema): { name: string; type: string }[] {
  if (!schema.open) return table.columns;
  const known = new Set(schema.columns.map((c) => c.name));
  return table.columns.filter((c) => known.has(c.name));
}

/** The problems of `table` against Kusto.Language's result schema: a column difference, or the first invalid cell of each column. */
export function resultProblems(table: Table, schema: KustoSchema): string[] {
  const actual = describeColumns(knownColumnsOnly(table, schema));
  const wanted = describeColumns(schema.columns);
  if (actual !== wanted) return [`columns (${describeColumns(table.columns)}) differ from Kusto.Language's result schema (${wanted}${schema.open ? ", open" : ""})`];
  const problems: string[] = [];
  table.columns.forEach((column, c) => {
    const row = table.rows.findIndex((r) => !isValidCell(r[c] ?? null, column.type));
    if (row < 0) return;
    const cell = table.rows[row]![c];
    const shown = typeof cell === "bigint" ? `${cell}n` : JSON.stringify(cell);
    problems.push(`row ${row + 1}, column ${column.name}: ${shown} (${typeof cell}) is not a valid ${column.type}`);
  });
  return problems;
}
