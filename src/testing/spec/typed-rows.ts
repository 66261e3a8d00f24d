import { makeDiagnostic, type Diagnostic } from "../../diagnostics/index.ts";
import { PROFILE_EXCEPTION_KEY, type RawRow } from "./fixture-rows.ts";
import { fitsLong, normalizeLong } from "../../engine/index.ts";
import { parseTimespanMs } from "./values.ts";

/** A column as the table schemas and the engine describe it. */
export interface SchemaColumn {
  name: string;
  type: string;
}

/** Rows typed for the engine: values in column order (datetime and timespan as 100-ns ticks, bigint). */
export interface TypedTable {
  name: string;
  columns: SchemaColumn[];
  rows: unknown[][];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7})\d*)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** 100-ns ticks since the Unix epoch of an ISO 8601 datetime (up to 7 fraction digits kept), or undefined. */
export function datetimeTicks(text: string): bigint | undefined {
  const match = ISO.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h = "00", mi = "00", s = "00", fraction = "", zone = "Z"] = match;
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${zone.toUpperCase() === "Z" ? "Z" : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`);
  if (Number.isNaN(ms)) return undefined;
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (check.getUTCDate() !== Number(d)) return undefined;
  return BigInt(ms) * 10_000n + BigInt(fraction.padEnd(7, "0") || "0");
}

/** Why a value does not fit a KQL column type, or the engine value it becomes. */
export function convertValue(value: unknown, type: string, fromCsv: boolean): { value: unknown } | { error: string } {
  if (value === null || value === undefined) return { value: null };
  const shown = typeof value === "bigint" ? String(value) : JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v));
  const wrong = (what: string) => ({ error: `${shown} is not ${what}` });
  switch (type) {
    case "string":
      return typeof value === "string" ? { value } : wrong("a string (quote it in YAML)");
    case "int":
    case "long": {
      const n = fromCsv && typeof value === "string" && /^-?\d+$/.test(value.trim()) ? BigInt(value.trim()) : value;
      if (typeof n === "bigint") return fitsLong(n) ? { value: normalizeLong(n) } : wrong(`a 64-bit integer (${type})`);
      return typeof n === "number" && Number.isInteger(n) ? { value: n } : wrong(`an integer (${type})`);
    }
    case "real":
    case "decimal": {
      const n = typeof value === "bigint" ? Number(value) : fromCsv && typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value)) ? Number(value) : value;
      return typeof n === "number" ? { value: n } : wrong(`a number (${type})`);
    }
    case "bool": {
      const b = fromCsv && typeof value === "string" && /^(true|false)$/i.test(value) ? value.toLowerCase() === "true" : value;
      return typeof b === "boolean" ? { value: b } : wrong("true or false (bool)");
    }
    case "datetime": {
      const ticks = value instanceof Date ? BigInt(value.getTime()) * 10_000n : typeof value === "string" ? datetimeTicks(value) : undefined;
      return ticks === undefined ? wrong("an ISO 8601 datetime such as 2026-11-20T12:00:00Z") : { value: ticks };
    }
    case "timespan": {
      const ms = typeof value === "string" ? parseTimespanMs(value.trim()) : undefined;
      return ms === undefined ? wrong("a timespan such as 00:05:00 or 5m") : { value: BigInt(Math.round(ms * 10_000)) };
    }
    case "guid":
      return typeof value === "string" && GUID.test(value) ? { value: value.toLowerCase() } : wrong("a GUID");
    case "dynamic":
      if (fromCsv && typeof value === "string") {
        try {
          return { value: JSON.parse(value) as unknown };
        } catch {
          return { value };
        }
      }
      return hasUnsafeInteger(value) ? wrong("a dynamic value the engine holds exactly (an integer beyond 2^53 inside it would lose digits)") : { value: toJson(value) };
    default:
      return { error: `column type ${type} is not a KQL type` };
  }
}

/** True when `value` holds an integer a double cannot represent exactly. */
function hasUnsafeInteger(value: unknown): boolean {
  if (typeof value === "bigint") return normalizeLong(value) === value;
  if (Array.isArray(value)) return value.some(hasUnsafeInteger);
  if (typeof value === "object" && value !== null && !(value instanceof Date)) return Object.values(value).some(hasUnsafeInteger);
  return false;
}

function toJson(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "bigint") return Number(value);
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  return value;
}

/**
 * Checks rows against a table's columns and types them for the engine: a key that is not a column (SC5002)
 * or a value of the wrong type (SC5003) is reported where it is written; columns a row leaves out are null.
 * With `ignoreUnknown` (DCR input streams), keys that are not columns are dropped, as the ingestion API does.
 */
export function typeRows(table: string, columns: readonly SchemaColumn[], rows: readonly RawRow[], options: { ignoreUnknown?: boolean } = {}): { table: TypedTable; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const index = new Map(columns.map((c, i) => [c.name, i]));
  const typed: unknown[][] = [];
  for (const row of rows) {
    const out = new Array<unknown>(columns.length).fill(null);
    let ok = true;
    for (const [key, value] of Object.entries(row.values)) {
      if (key === PROFILE_EXCEPTION_KEY) continue;
      const i = index.get(key);
      if (i === undefined && options.ignoreUnknown) continue;
      if (i === undefined) {
        const near = columns.find((c) => c.name.toLowerCase() === key.toLowerCase());
        const hint = near ? ` (did you mean ${near.name}? column names are case-sensitive)` : "";
        diagnostics.push(makeDiagnostic("SC5002", row.at(key), `${table} has no column ${key}${hint}`));
        ok = false;
        continue;
      }
      const column = columns[i] as SchemaColumn;
      const converted = convertValue(value, column.type, row.fromCsv);
      if ("error" in converted) {
        diagnostics.push(makeDiagnostic("SC5003", row.at(key), `${table}.${key} is ${column.type}: ${converted.error}`));
        ok = false;
        continue;
      }
      out[i] = converted.value;
    }
    if (ok) typed.push(out);
  }
  return { table: { name: table, columns: columns.map((c) => ({ name: c.name, type: c.type })), rows: typed }, diagnostics };
}
