import { assertNever } from "../../diagnostics/index.ts";
import { carryIngestionTime } from "../planner/ingestion.ts";
import { isBag, parseDatetime, parseTimespan, type JsonValue, type KqlType, type Value } from "../values.ts";

/** How property bags expand: into one-entry bags (`kind=bag`, the default) or `[key, value]` pairs (`kind=array`). */
export type BagExpansion = "bag" | "array";

/** The elements one dynamic value expands to: null gives one null, an empty array or bag none, a scalar itself. */
export function elementsOf(value: Value, mode: BagExpansion): Value[] {
  if (value === null || value === undefined) return [null];
  if (Array.isArray(value)) return value;
  if (isBag(value)) {
    return Object.entries(value).map(([key, item]): JsonValue => (mode === "bag" ? { [key]: item } : [key, item]));
  }
  return [value];
}

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `to typeof(T)` on one element: a cast, not a conversion. Elements that are not of the type become
 * null ("" for string); datetimes, timespans and guids are read from their string form, as dynamic holds them.
 */
export function castElement(value: Value, type: KqlType): Value {
  if (value === null || value === undefined) return type === "string" ? "" : null;
  switch (type) {
    case "dynamic":
      return value;
    case "string":
      return typeof value === "string" ? value : JSON.stringify(value);
    case "bool":
      return typeof value === "boolean" ? value : null;
    case "int":
      return typeof value === "number" && Number.isInteger(value) && value >= -2147483648 && value <= 2147483647 ? value : null;
    case "long":
      return typeof value === "number" && Number.isInteger(value) ? value : null;
    case "real":
    case "decimal":
      return typeof value === "number" ? value : null;
    case "datetime":
      return typeof value === "string" ? parseDatetime(value) : null;
    case "timespan":
      return typeof value === "string" ? parseTimespan(value) : null;
    case "guid":
      return typeof value === "string" && GUID_RE.test(value) ? value.toLowerCase() : null;
    default:
      return assertNever(type, "KQL type");
  }
}

/** One expanded expression: how to read its dynamic value from a row, where the elements go, and their type. */
export interface Expansion {
  read(row: readonly Value[], index: number): Value;
  target: number;
  type: KqlType;
}

/** mv-expand options. */
export interface ExpandOptions {
  mode: BagExpansion;
  /** Most rows one input row may produce. */
  limit: number;
  /** Output position of the `with_itemindex` column, if any. */
  indexColumn?: number;
  /** Width of an output row. */
  width: number;
  /** Called with the running output size; throws when it is over the run's cap. */
  check(count: number): void;
}

/** Expands `rows` "in parallel": each input row yields as many rows as its longest expansion (capped by `limit`), shorter ones padded with null. */
export function expandRows(rows: readonly (readonly Value[])[], expansions: readonly Expansion[], options: ExpandOptions): Value[][] {
  const out: Value[][] = [];
  rows.forEach((row, r) => {
    const lists = expansions.map((e) => elementsOf(e.read(row, r), options.mode));
    const count = Math.min(options.limit, Math.max(0, ...lists.map((l) => l.length)));
    options.check(out.length + count);
    for (let i = 0; i < count; i++) {
      const next: Value[] = row.slice(0, options.width);
      while (next.length < options.width) next.push(null);
      expansions.forEach((e, k) => {
        const list = lists[k] as Value[];
        next[e.target] = castElement(i < list.length ? (list[i] as Value) : null, e.type);
      });
      if (options.indexColumn !== undefined) next[options.indexColumn] = i;
      carryIngestionTime(row as Value[], next);
      out.push(next);
    }
  });
  return out;
}
