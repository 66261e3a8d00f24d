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

const TICKS_PER_MS = 10_000n;

/** Turns a value of a known KQL column type into a cell: datetime and timespan ticks (bigint, 100 ns) become text. */
export function toTypedCell(value: unknown, type: string): Cell {
  if (typeof value === "bigint" && type === "datetime") return formatTicksAsDatetime(value);
  if (typeof value === "bigint" && type === "timespan") return formatTicksAsTimespan(value);
  return toCell(value);
}

/** Formats 100-ns ticks since the Unix epoch as ISO 8601 UTC, with a 7-digit fraction only when non-zero (as Kusto prints). */
export function formatTicksAsDatetime(ticks: bigint): string {
  const ms = ticks / TICKS_PER_MS - (ticks % TICKS_PER_MS < 0n ? 1n : 0n);
  const rest = ticks - ms * TICKS_PER_MS;
  const date = new Date(Number(ms));
  if (Number.isNaN(date.getTime())) return String(ticks);
  const fraction = BigInt(date.getUTCMilliseconds()) * TICKS_PER_MS + rest;
  const base = date.toISOString().slice(0, 19);
  return fraction === 0n ? `${base}Z` : `${base}.${fraction.toString().padStart(7, "0")}Z`;
}

/** Formats 100-ns ticks as a Kusto timespan: `[-][d.]hh:mm:ss[.fffffff]`. */
export function formatTicksAsTimespan(ticks: bigint): string {
  const negative = ticks < 0n;
  let t = negative ? -ticks : ticks;
  const unit = (size: bigint): bigint => {
    const count = t / size;
    t %= size;
    return count;
  };
  const days = unit(864_000_000_000n);
  const clock = [unit(36_000_000_000n), unit(600_000_000n), unit(10_000_000n)].map((n) => n.toString().padStart(2, "0")).join(":");
  const fraction = t === 0n ? "" : `.${t.toString().padStart(7, "0")}`;
  return `${negative ? "-" : ""}${days > 0n ? `${days}.` : ""}${clock}${fraction}`;
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

const TIMESPAN_CLOCK = /^(-)?(?:(\d+)\.)?(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/;
const TIMESPAN_UNIT = /^(-)?(\d+(?:\.\d+)?)(d|h|m|s|ms)$/;
const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };

/** Milliseconds of a timespan written as Kusto prints it (`1.02:03:04.5`) or with a unit (`90m`), or undefined. */
function parseTimespanMs(text: string): number | undefined {
  const clock = TIMESPAN_CLOCK.exec(text);
  if (clock) {
    const [, negative, days, hours, minutes, seconds, fraction] = clock;
    const ms = Number(days ?? 0) * 86_400_000 + Number(hours) * 3_600_000 + Number(minutes) * 60_000 + Number(seconds) * 1_000 + Number(`0.${fraction ?? 0}`) * 1_000;
    return negative ? -ms : ms;
  }
  const unit = TIMESPAN_UNIT.exec(text);
  if (!unit) return undefined;
  const ms = Number(unit[2]) * (UNIT_MS[unit[3] as string] as number);
  return unit[1] ? -ms : ms;
}

/** Prints a cell for a table or a message: strings as they are, null as `null`, the rest as JSON. */
export function formatCell(cell: Cell): string {
  if (cell === null) return "null";
  if (typeof cell === "string") return cell;
  return JSON.stringify(cell);
}

/**
 * True when an expected value (from a test file) matches an actual result value. Numbers compare with a
 * relative tolerance of 1e-9, datetimes by instant (any ISO 8601 spelling), timespans by length (`00:05:00` =
 * `5m`), an empty string matches null (KQL
 * strings are never null), and objects and arrays compare deeply with the same rules.
 */
export function cellMatches(expected: Cell, actual: Cell): boolean {
  if (expected === null || actual === null) return expected === actual || expected === "" || actual === "";
  if (typeof expected === "number" && typeof actual === "number") {
    return expected === actual || Math.abs(expected - actual) <= 1e-9 * Math.max(1, Math.abs(expected), Math.abs(actual));
  }
  if (typeof expected === "string" && typeof actual === "string") {
    if (expected === actual) return true;
    const e = parseDatetime(expected) ?? parseTimespanMs(expected);
    const a = e === undefined ? undefined : (parseDatetime(actual) ?? parseTimespanMs(actual));
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
