// The one set of rules by which a data-file or fixture cell becomes a value of a column type: used by `query --data`,
// rule tests (`test`), `replay`, runQuery's row objects and parse-kv's typed keys. A cell is a JSON value (from
// JSON, JSON Lines or YAML; integers beyond 2^53 as bigint) or text (CSV, or any string). Text is read as Kusto's
// literal of the type reads it; a cell that does not fit is refused with the reason. Kusto's ingestion would store
// null for such a value (https://learn.microsoft.com/azure/data-explorer/ingest-invalid-data: "Value not matching
// the table schema data type … NULL value filled"); a fixture that silently loses a value would test nothing, so
// it is an error here.
import { parseJsonExact } from "../../load/json-exact.ts";
import { decimalFromText } from "../expressions/decimal.ts";
import { fitsLong, normalizeLong, parseDatetime, parseLongText, parseTimespan, TICKS, type JsonValue, type KqlType, type Value } from "../values.ts";

/** A cell's engine value, or why the cell does not fit the column type. */
export type CellResult = { value: Value } | { error: string };

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REAL_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
const REAL_SPECIAL: Readonly<Record<string, number>> = { nan: Number.NaN, inf: Infinity, "+inf": Infinity, infinity: Infinity, "+infinity": Infinity, "-inf": -Infinity, "-infinity": -Infinity };
const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

/** A cell as it appears in messages: text quoted, numbers and objects as JSON. */
function shown(cell: unknown): string {
  if (typeof cell === "bigint") return String(cell);
  if (cell instanceof Date) return cell.toISOString();
  return JSON.stringify(cell, (_key, v: unknown) => (typeof v === "bigint" ? String(v) : v)) ?? String(cell);
}

function refuse(cell: unknown, what: string): CellResult {
  return { error: `${shown(cell)} is not ${what}` };
}

/**
 * The engine value of a cell in a column of `type`. null, a missing cell and empty text are null ("" in a string
 * column: Kusto strings are never null, https://learn.microsoft.com/kusto/query/scalar-data-types/null-values).
 */
export function cellValue(cell: unknown, type: KqlType): CellResult {
  if (cell === null || cell === undefined) return { value: type === "string" ? "" : null };
  if (type === "string") return typeof cell === "string" ? { value: cell } : refuse(cell, "text (a string column: quote the value)");
  if (typeof cell === "string" && cell.trim() === "") return { value: null };
  switch (type) {
    case "int":
    case "long":
      return wholeNumber(cell, type);
    case "real":
    case "decimal":
      return realNumber(cell, type);
    case "bool":
      return boolean(cell);
    case "datetime":
      return datetime(cell);
    case "timespan":
      return timespan(cell);
    case "guid":
      return typeof cell === "string" && GUID_RE.test(cell.trim()) ? { value: cell.trim().toLowerCase() } : refuse(cell, "a GUID such as 6f9619ff-8b86-d011-b42d-00c04fc964ff (guid)");
    case "dynamic":
      return dynamicValue(cell);
  }
}

/**
 * int and long: an integer number, or decimal integer text (`42`, ` -7 `, every digit kept); long is 64-bit, int
 * 32-bit (https://learn.microsoft.com/kusto/query/scalar-data-types/long, …/int). A fraction, a bool or text
 * such as `1e3` is refused; a YAML number beyond 2^53 has already lost digits, so it must be quoted.
 */
function wholeNumber(cell: unknown, type: "int" | "long"): CellResult {
  const what = `${type === "int" ? "a 32-bit" : "a 64-bit"} integer (${type})`;
  let value: number | bigint | null = null;
  if (typeof cell === "bigint") value = fitsLong(cell) ? normalizeLong(cell) : null;
  else if (typeof cell === "string") value = parseLongText(cell);
  else if (typeof cell === "number" && Number.isInteger(cell)) {
    if (!Number.isSafeInteger(cell)) return refuse(cell, `${what} written exactly: a number beyond ±(2^53 − 1) has lost digits; write it as text ("…")`);
    value = cell;
  }
  if (value === null) return refuse(cell, what);
  if (type === "int" && (typeof value === "bigint" || value < INT_MIN || value > INT_MAX)) return refuse(cell, what);
  return { value };
}

/**
 * real and decimal: a number, or decimal number text (`1.5`, `-2e3`) or Kusto's `nan`, `+inf`, `-inf`
 * (https://learn.microsoft.com/kusto/query/scalar-data-types/real); an integer beyond 2^53 becomes the nearest
 * double, as a real column holds it. Hex text and bools are refused. Decimal text keeps its digits, up to the 15
 * significant digits the engine holds exactly (see expressions/decimal.ts).
 */
function realNumber(cell: unknown, type: "real" | "decimal"): CellResult {
  if (typeof cell === "number") return { value: cell };
  if (typeof cell === "bigint") return { value: Number(cell) };
  if (typeof cell === "string") {
    const text = cell.trim();
    const special = REAL_SPECIAL[text.toLowerCase()];
    if (special !== undefined) return { value: special };
    if (REAL_RE.test(text)) return type === "decimal" ? decimalText(text) : { value: Number(text) };
  }
  return refuse(cell, `a number (${type})`);
}

function decimalText(text: string): CellResult {
  try {
    return { value: decimalFromText(text) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** bool: true/false (any case, as JSON or text) and 1/0, as tobool() reads them (https://learn.microsoft.com/kusto/query/tobool-function). */
function boolean(cell: unknown): CellResult {
  if (typeof cell === "boolean") return { value: cell };
  const text = typeof cell === "string" ? cell.trim().toLowerCase() : typeof cell === "number" ? String(cell) : "";
  if (text === "true" || text === "1") return { value: true };
  if (text === "false" || text === "0") return { value: false };
  return refuse(cell, "true, false, 1 or 0 (bool)");
}

/**
 * datetime: text in a form todatetime() reads (https://learn.microsoft.com/kusto/query/scalar-data-types/datetime:
 * ISO 8601 with or without a time zone, which means UTC, up to 7 fraction digits kept; `M/d/yyyy [h:mm[:ss] AM]`;
 * RFC 822/1123). A number is refused: epoch seconds and ticks are not a datetime literal
 * (unixtime_seconds_todatetime() converts them in a query).
 */
function datetime(cell: unknown): CellResult {
  if (cell instanceof Date && !Number.isNaN(cell.getTime())) return { value: BigInt(cell.getTime()) * TICKS.millisecond };
  const ticks = typeof cell === "string" ? parseDatetime(cell) : null;
  return ticks === null ? refuse(cell, "a datetime such as 2026-11-20T12:00:00Z (ISO 8601, UTC when no zone is given)") : { value: ticks };
}

/** timespan: `[-][d.]hh:mm[:ss[.fffffff]]` or a number with a unit (`5m`, `1.5h`, `100ms`) (https://learn.microsoft.com/kusto/query/scalar-data-types/timespan); a bare number has no unit and is refused. */
function timespan(cell: unknown): CellResult {
  const ticks = typeof cell === "string" ? parseTimespan(cell) : null;
  return ticks === null ? refuse(cell, "a timespan such as 00:05:00 or 5m") : { value: ticks };
}

/**
 * dynamic: any JSON value as it is; text holding a JSON object or array is parsed (Log Analytics exports dynamic
 * columns as JSON text), any other text stays a string — text that opens like JSON but does not parse too, as
 * parse_json keeps it (https://learn.microsoft.com/kusto/query/parse-json-function). An integer beyond 2^53
 * anywhere inside is refused (the engine's dynamic numbers are doubles).
 */
function dynamicValue(cell: unknown): CellResult {
  if (typeof cell !== "string") return exactJson(cell);
  const text = cell.trim();
  if (!text.startsWith("{") && !text.startsWith("[")) return { value: cell };
  let parsed: unknown;
  try {
    parsed = parseJsonExact(text);
  } catch {
    return { value: cell };
  }
  return exactJson(parsed);
}

/** A JSON value the engine holds exactly, or the refusal naming the integer that would lose digits. */
function exactJson(cell: unknown): CellResult {
  const unsafe = unsafeInteger(cell);
  if (unsafe !== undefined) return { error: `the integer ${unsafe} inside a dynamic value cannot be held exactly (dynamic numbers are doubles here); write it as text` };
  return { value: plainJson(cell) };
}

function unsafeInteger(cell: unknown): bigint | undefined {
  if (typeof cell === "bigint") return cell;
  if (typeof cell !== "object" || cell === null || cell instanceof Date) return undefined;
  for (const item of Array.isArray(cell) ? cell : Object.values(cell)) {
    const found = unsafeInteger(item);
    if (found !== undefined) return found;
  }
  return undefined;
}

function plainJson(cell: unknown): JsonValue {
  if (cell instanceof Date) return cell.toISOString();
  if (Array.isArray(cell)) return cell.map(plainJson);
  if (typeof cell === "object" && cell !== null) return Object.fromEntries(Object.entries(cell).map(([k, v]) => [k, plainJson(v)]));
  return cell as JsonValue;
}
