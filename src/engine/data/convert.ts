import { EngineError } from "../errors.ts";
import { fitsLong, normalizeLong, parseDatetime, parseLongText, parseTimespan, TICKS, unsafeLongInDynamic, type JsonValue, type KqlType, type Value } from "../values.ts";

/** Why a raw value could not be converted to a column type. */
class ConversionError extends Error {
  override name = "ConversionError";
}

function fail(raw: unknown, type: KqlType): never {
  throw new ConversionError(`${typeof raw === "bigint" ? String(raw) : JSON.stringify(raw)} is not a valid ${type}`);
}

/** A raw dynamic value as JSON; an integer beyond ±(2^53 − 1) inside it is refused (dynamic numbers are doubles here). */
function exactDynamic(raw: unknown): JsonValue {
  if (typeof raw === "bigint") throw new ConversionError(unsafeLongInDynamic(raw).message);
  if (Array.isArray(raw)) return raw.map(exactDynamic);
  if (typeof raw === "object" && raw !== null) return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, exactDynamic(v)]));
  return raw as JsonValue;
}

/** A raw value as a whole number of `type`, or the conversion error. */
function wholeNumber(raw: unknown, type: KqlType): number {
  const n = toNumber(raw, type);
  return Number.isInteger(n) ? n : fail(raw, type);
}

function toNumber(raw: unknown, type: KqlType): number {
  if (typeof raw === "number") return raw;
  if (typeof raw === "bigint") return Number(raw);
  if (typeof raw === "string") {
    const t = raw.trim();
    if (/^(nan)$/i.test(t)) return NaN;
    if (/^\+?inf(inity)?$/i.test(t)) return Infinity;
    if (/^-inf(inity)?$/i.test(t)) return -Infinity;
    if (t !== "" && !Number.isNaN(Number(t))) return Number(t);
  }
  if (typeof raw === "boolean") return Number(raw);
  return fail(raw, type);
}

/**
 * Converts a raw fixture value (from JSON, JSONL or CSV) to a column of `type` as ingestion would:
 * ISO strings → datetime, numbers/numeric strings → long/real, JSON text or objects → dynamic,
 * "true"/"false" → bool, `[d.]hh:mm:ss` or seconds → timespan. null/undefined/"" (non-string) → null.
 * Throws ConversionError when the value cannot be converted.
 */
export function convertRaw(raw: unknown, type: KqlType): Value {
  if (raw === undefined || raw === null) return type === "string" ? "" : null;
  if (raw === "" && type !== "string" && type !== "dynamic") return null;
  switch (type) {
    case "string":
      return typeof raw === "string" ? raw : typeof raw === "object" ? JSON.stringify(raw) : String(raw);
    case "bool": {
      if (typeof raw === "boolean") return raw;
      if (typeof raw === "number") return raw !== 0;
      const t = String(raw).trim().toLowerCase();
      if (t === "true" || t === "1") return true;
      if (t === "false" || t === "0") return false;
      return fail(raw, type);
    }
    case "long": {
      const exact = typeof raw === "bigint" ? (fitsLong(raw) ? normalizeLong(raw) : null) : typeof raw === "string" ? parseLongText(raw) : undefined;
      if (exact !== undefined) return exact ?? fail(raw, type);
      return wholeNumber(raw, type);
    }
    case "int":
      return wholeNumber(raw, type);
    case "real":
    case "decimal":
      return toNumber(raw, type);
    case "datetime": {
      if (typeof raw === "number") return BigInt(Math.round(raw * 1000)) * TICKS.millisecond / 1000n;
      const t = parseDatetime(String(raw));
      return t === null ? fail(raw, type) : t;
    }
    case "timespan": {
      if (typeof raw === "number") return BigInt(Math.round(raw * 1e7));
      const t = parseTimespan(String(raw));
      return t === null ? fail(raw, type) : t;
    }
    case "guid": {
      const t = String(raw).trim().toLowerCase();
      return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(t) ? t : fail(raw, type);
    }
    case "dynamic": {
      if (typeof raw !== "string") return exactDynamic(raw);
      const t = raw.trim();
      if (t.startsWith("{") || t.startsWith("[")) {
        try {
          return JSON.parse(t) as JsonValue;
        } catch {
          return raw;
        }
      }
      return raw;
    }
  }
}

/** Infers a column type from sample raw values (no schema): bool, long, real, datetime (ISO strings), dynamic (objects) or string. */
export function inferType(values: readonly unknown[]): KqlType {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length === 0) return "string";
  if (present.every((v) => typeof v === "boolean")) return "bool";
  if (present.every((v) => typeof v === "number" || typeof v === "bigint")) return present.every((v) => typeof v === "bigint" || Number.isInteger(v)) ? "long" : "real";
  if (present.every((v) => typeof v === "object")) return "dynamic";
  if (present.every((v) => typeof v === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v) && parseDatetime(v) !== null)) return "datetime";
  return "string";
}

/** Wraps a ConversionError with its location for a data-error diagnostic. */
export function dataError(where: string, column: string, error: unknown): EngineError {
  const message = error instanceof Error ? error.message : String(error);
  return new EngineError("SC4009", `${where}, column '${column}': ${message}`);
}
