/** The Logs Ingestion API accepts at most 1 MB per call; batches stay at or below this many bytes of JSON. */
export const MAX_BATCH_BYTES = 1_000_000;

/** Log Analytics stores at most 64 KB of one value; longer strings are what we may cut. */
export const FIELD_LIMIT_CHARS = 65_536;

/** UTF-8 size of a row as it appears in the JSON array body. */
export function rowBytes(row: unknown): number {
  return Buffer.byteLength(JSON.stringify(row), "utf8");
}

/** UTF-8 size of a JSON array holding rows of the given sizes: brackets plus commas. */
export function arrayBytes(rowSizes: readonly number[]): number {
  if (rowSizes.length === 0) return 2;
  return rowSizes.reduce((a, b) => a + b, 0) + rowSizes.length + 1;
}

function truncateStrings(value: unknown, limit: number): unknown {
  if (typeof value === "string") return value.length > limit ? value.slice(0, limit) : value;
  if (Array.isArray(value)) return value.map((v) => truncateStrings(v, limit));
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = truncateStrings(v, limit);
    return out;
  }
  return value;
}

/**
 * Returns the row unchanged when it fits in one request, else a copy whose strings longer than 64 KB are
 * cut to 64 KB (what Log Analytics would store anyway), or undefined when even that does not fit.
 */
export function fitRow(
  row: Record<string, unknown>,
  maxBytes: number = MAX_BATCH_BYTES,
): { row: Record<string, unknown>; shrunk: boolean } | undefined {
  if (arrayBytes([rowBytes(row)]) <= maxBytes) return { row, shrunk: false };
  const cut = truncateStrings(row, FIELD_LIMIT_CHARS) as Record<string, unknown>;
  return arrayBytes([rowBytes(cut)]) <= maxBytes ? { row: cut, shrunk: true } : undefined;
}

/** Rows collected for one upload, with their total JSON size. */
export class Batch<T> {
  readonly items: T[] = [];
  readonly rows: Record<string, unknown>[] = [];
  #bytes = 2;

  constructor(readonly maxBytes: number = MAX_BATCH_BYTES) {}

  /** JSON size of the array body so far. */
  get bytes(): number {
    return this.#bytes;
  }

  /** True when a row of `size` bytes still fits. */
  fits(size: number): boolean {
    return this.#bytes + size + (this.rows.length > 0 ? 1 : 0) <= this.maxBytes;
  }

  /** Adds a row of `size` bytes (check `fits` first) together with its bookkeeping item. */
  add(row: Record<string, unknown>, size: number, item: T): void {
    this.#bytes += size + (this.rows.length > 0 ? 1 : 0);
    this.rows.push(row);
    this.items.push(item);
  }
}
