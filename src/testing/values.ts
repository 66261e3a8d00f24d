/** A result value in plain, comparable and printable form (datetimes as ISO 8601 strings). */
export type Cell = null | string | number | boolean | Cell[] | { [key: string]: Cell };

const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/i;

/** Turns an engine or YAML value into a plain cell: Date → ISO string, bigint → number, undefined → null. */
export function toCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (Array.isArray(value)) return value.map(toCell);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), toCell(v)]));
  if (typeof value === "object") {
    const out: Record<string, Cell> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toCell(v);
    return out;
  }
  return String(value);
}

/** Epoch milliseconds of an ISO 8601 datetime string (a date alone means midnight UTC), or undefined. */
export function parseDatetime(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value !== "string" || !ISO_DATETIME.test(value.trim())) return undefined;
  const trimmed = value.trim();
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(trimmed) || trimmed.length === 10 ? trimmed : `${trimmed}Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Prints a cell for a table or a message: strings as they are, null as `null`, the rest as JSON. */
export function formatCell(cell: Cell): string {
  if (cell === null) return "null";
  if (typeof cell === "string") return cell;
  return JSON.stringify(cell);
}

/**
 * True when an expected value (from a test file) matches an actual result value. Numbers compare with a
 * relative tolerance of 1e-9, datetimes by instant (any ISO 8601 spelling), an empty string matches null (KQL
 * strings are never null), and objects and arrays compare deeply with the same rules.
 */
export function cellMatches(expected: Cell, actual: Cell): boolean {
  if (expected === null || actual === null) return expected === actual || expected === "" || actual === "";
  if (typeof expected === "number" && typeof actual === "number") {
    return expected === actual || Math.abs(expected - actual) <= 1e-9 * Math.max(1, Math.abs(expected), Math.abs(actual));
  }
  if (typeof expected === "string" && typeof actual === "string") {
    if (expected === actual) return true;
    const e = parseDatetime(expected);
    const a = e === undefined ? undefined : parseDatetime(actual);
    return e !== undefined && a !== undefined && e === a;
  }
  if (Array.isArray(expected) || Array.isArray(actual)) {
    return Array.isArray(expected) && Array.isArray(actual) && expected.length === actual.length && expected.every((e, i) => cellMatches(e, actual[i] ?? null));
  }
  if (typeof expected === "object" && typeof actual === "object") {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    return [...keys].every((k) => cellMatches(expected[k] ?? null, actual[k] ?? null));
  }
  return expected === actual;
}

/** True when a cell counts as empty for Sentinel (null, empty string, empty array or object). */
export function isEmptyCell(cell: Cell): boolean {
  if (cell === null || cell === "") return true;
  if (Array.isArray(cell)) return cell.length === 0;
  return typeof cell === "object" && Object.keys(cell).length === 0;
}
