import { randomBytes } from "node:crypto";
import { closeSync, openSync, readSync, unlinkSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { getHeapStatistics } from "node:v8";
import { StringPool } from "../engine/index.ts";
import type { RowTiming } from "../testing/simulation/scheduler.ts";
import type { SchemaColumn } from "../testing/spec/typed-rows.ts";
import { keptIndexes, type KeptColumns } from "./columns.ts";
import { inputProblem } from "./inputs.ts";

/** Rows are spooled in buckets of this much ingestion time, and loaded a bucket at a time. */
export const BUCKET_MS = 3_600_000;
/** Encoded rows a bucket buffers in memory before they are written as one chunk of its table's file. */
const FLUSH_ROWS = 512;
/** Encoded rows all buckets together buffer before every bucket is written (a week of hours × tables is ~700 buckets). */
const FLUSH_ALL_ROWS = 16_384;

const NO_TIME = "none";
/** How far the clock moves between two eviction passes over a window. */
const EVICT_STEP_MS = 15 * 60_000;

/** A typed row (cells in its table's column order) with its timing. */
export interface TimedRow {
  cells: unknown[];
  timing: RowTiming;
}

function bucketOf(timing: RowTiming): string {
  return Number.isFinite(timing.ingested) ? String(Math.floor(timing.ingested / BUCKET_MS)) : NO_TIME;
}

/** A cell as JSON: top-level bigints (datetime and timespan ticks, long values beyond 2^53) as text. */
function encodeCell(value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}

function decodeCell(value: unknown, type: string): unknown {
  if (typeof value !== "string") return value;
  if (type === "datetime" || type === "timespan" || type === "long" || type === "int") return BigInt(value);
  return value;
}

/** JSON text of a row; bigints nested in a dynamic value become numbers (as the engine's JSON does). */
function encodeRow(row: TimedRow): string {
  const { timeGenerated, ingested } = row.timing;
  const items = [Number.isFinite(ingested) ? ingested : null, timeGenerated ?? null, ...row.cells.map(encodeCell)];
  try {
    return JSON.stringify(items);
  } catch {
    // only a bigint inside a dynamic value makes JSON.stringify throw: the slower replacer is needed then alone
    return JSON.stringify(items, (_key, v: unknown) => (typeof v === "bigint" ? Number(v) : v));
  }
}

function decodeRow(line: string, columns: readonly SchemaColumn[], pool: StringPool): TimedRow {
  const [ingested, timeGenerated, ...cells] = JSON.parse(line) as [number | null, number | null, ...unknown[]];
  const timing: RowTiming = { ingested: ingested ?? Number.NEGATIVE_INFINITY };
  if (timeGenerated !== null) timing.timeGenerated = timeGenerated;
  return { cells: cells.map((c, i) => pool.intern(decodeCell(c, columns[i]?.type ?? "dynamic"))), timing };
}

/** Where a bucket's rows lie in its table's file: chunks of encoded rows, in the order they were written. */
interface BucketChunks {
  chunks: { offset: number; bytes: number }[];
  bytes: number;
}

/** A table's spool file: an open descriptor (the file itself already unlinked where the system allows it). */
interface TableFile {
  fd: number;
  size: number;
  /** The file's path while it still has one (systems that cannot unlink an open file), removed on dispose. */
  path?: string;
}

/** Spool files not yet removed, so an exit that skips dispose() (process.exit) still removes them. */
const openFiles = new Set<TableFile>();
let exitHookInstalled = false;

function closeAndRemove(file: TableFile): void {
  openFiles.delete(file);
  try {
    closeSync(file.fd);
  } catch {
    // already closed
  }
  if (file.path !== undefined) {
    try {
      unlinkSync(file.path);
    } catch {
      // already gone
    }
  }
}

/** A new spool file in `folder`, unlinked at once: it lives only as long as its descriptor. */
function createTableFile(folder: string): TableFile {
  if (!exitHookInstalled) {
    process.once("exit", () => [...openFiles].forEach(closeAndRemove));
    exitHookInstalled = true;
  }
  const name = path.join(folder, `sentinel-replay-${process.pid}-${randomBytes(6).toString("hex")}.jsonl`);
  const file: TableFile = { fd: openSync(name, "wx+"), size: 0, path: name };
  try {
    // on Linux and macOS the data stays reachable through the descriptor and is freed when it closes, however the
    // process ends (also on SIGINT or SIGKILL); Windows refuses to unlink an open file, so it is removed on dispose
    unlinkSync(name);
    delete file.path;
  } catch {
    // kept by name: removed by dispose() or at exit
  }
  openFiles.add(file);
  return file;
}

/** The most encoded bytes of one bucket replay loads: a quarter of the heap's limit. */
export function defaultMaxBucketBytes(): number {
  return Math.floor(getHeapStatistics().heap_size_limit / 4);
}

/** How a spool is set up. */
export interface RowSpoolOptions {
  /** The columns kept of each table (every column of every table when absent); a table it does not list is not kept. */
  kept?: KeptColumns;
  /** The most encoded bytes of one bucket that may be loaded (default defaultMaxBucketBytes()). */
  maxBucketBytes?: number;
  /** The folder the spool's files are made in (default the system's temporary folder). */
  folder?: string;
}

/**
 * Rows of every table, spooled to temporary files in chunks per table and hour of ingestion time, so a replay holds
 * in memory only the buckets its runs still look at, however large the input. Each table's file is unlinked as soon
 * as it is created, so nothing is left on disk however the process ends.
 */
export class RowSpool {
  readonly #columns = new Map<string, SchemaColumn[]>();
  /** Per table, the indexes of the added rows' cells that are kept; none for a table no rule reads. */
  readonly #kept = new Map<string, number[] | undefined>();
  readonly #files = new Map<string, TableFile>();
  readonly #pending = new Map<string, string[]>();
  #pendingRows = 0;
  readonly #buckets = new Map<string, Map<string, BucketChunks>>();
  readonly #pools = new Map<string, StringPool>();
  readonly #maxBucketBytes: number;

  constructor(readonly options: RowSpoolOptions = {}) {
    this.#maxBucketBytes = options.maxBucketBytes ?? defaultMaxBucketBytes();
  }

  /** Adds a row of a table (its columns are fixed by the first row added); a table no rule reads is not kept. */
  add(table: string, columns: readonly SchemaColumn[], row: TimedRow): void {
    if (!this.#kept.has(table)) this.#open(table, columns);
    const kept = this.#kept.get(table);
    if (!kept) return;
    const cells = kept.length < columns.length ? kept.map((i) => row.cells[i]) : row.cells;
    const bucket = bucketOf(row.timing);
    const buckets = this.#buckets.get(table) as Map<string, BucketChunks>;
    if (!buckets.has(bucket)) buckets.set(bucket, { chunks: [], bytes: 0 });
    const key = `${table}\u0000${bucket}`;
    const lines = this.#pending.get(key) ?? [];
    lines.push(encodeRow({ cells, timing: row.timing }));
    this.#pending.set(key, lines);
    this.#pendingRows++;
    if (lines.length >= FLUSH_ROWS) this.#flush(key);
    else if (this.#pendingRows >= FLUSH_ALL_ROWS) this.flush();
  }

  /** Writes every buffered row to its table's file. */
  flush(): void {
    for (const key of [...this.#pending.keys()]) this.#flush(key);
  }

  /** The tables holding rows, with their (kept) columns. */
  tables(): ReadonlyMap<string, readonly SchemaColumn[]> {
    return this.#columns;
  }

  /** A table's buckets in time order: the start of each (ms; -Infinity for rows without a time) and a reader of its rows. */
  buckets(table: string): { start: number; read: () => TimedRow[] }[] {
    const columns = this.#columns.get(table) ?? [];
    return [...(this.#buckets.get(table)?.keys() ?? [])]
      .map((bucket) => ({ bucket, start: bucket === NO_TIME ? Number.NEGATIVE_INFINITY : Number(bucket) * BUCKET_MS }))
      .sort((a, b) => a.start - b.start)
      .map(({ bucket, start }) => ({ start, read: () => this.#read(table, bucket, columns) }));
  }

  /** Closes (and so frees) the spool's files. */
  dispose(): void {
    for (const file of this.#files.values()) closeAndRemove(file);
    this.#files.clear();
  }

  #open(table: string, columns: readonly SchemaColumn[]): void {
    const kept = this.options.kept ? keptIndexes(this.options.kept, table, columns) : columns.map((_, i) => i);
    this.#kept.set(table, kept);
    if (!kept) return;
    this.#columns.set(table, kept.map((i) => columns[i] as SchemaColumn));
    this.#buckets.set(table, new Map());
  }

  #flush(key: string): void {
    const lines = this.#pending.get(key);
    if (!lines || lines.length === 0) return;
    this.#pending.delete(key);
    this.#pendingRows -= lines.length;
    const [table, bucket] = key.split("\u0000") as [string, string];
    let file = this.#files.get(table);
    if (!file) this.#files.set(table, (file = createTableFile(this.options.folder ?? tmpdir())));
    const data = Buffer.from(`${lines.join("\n")}\n`);
    for (let written = 0; written < data.length; ) written += writeSync(file.fd, data, written, data.length - written, file.size + written);
    const chunks = this.#buckets.get(table)?.get(bucket) as BucketChunks;
    chunks.chunks.push({ offset: file.size, bytes: data.length });
    chunks.bytes += data.length;
    file.size += data.length;
  }

  #read(table: string, bucket: string, columns: readonly SchemaColumn[]): TimedRow[] {
    this.#flush(`${table}\u0000${bucket}`);
    const chunks = this.#buckets.get(table)?.get(bucket);
    const file = this.#files.get(table);
    if (!chunks || !file) return [];
    if (chunks.bytes > this.#maxBucketBytes) {
      const hour = bucket === NO_TIME ? "rows without a time" : `the hour from ${new Date(Number(bucket) * BUCKET_MS).toISOString()}`;
      const mb = (n: number) => `${Math.ceil(n / 1024 ** 2)} MB`;
      throw inputProblem("SC5063", table, `${table}: ${hour} holds ${mb(chunks.bytes)} of rows (as spooled), more than replay loads at once (${mb(this.#maxBucketBytes)}, a quarter of the heap limit); give Node more memory (NODE_OPTIONS=--max-old-space-size=…) or replay fewer inputs at once`);
    }
    const rows: TimedRow[] = [];
    const pool = this.#pools.get(table) ?? new StringPool();
    this.#pools.set(table, pool);
    for (const { offset, bytes } of chunks.chunks) {
      const data = Buffer.allocUnsafe(bytes);
      for (let read = 0; read < bytes; ) {
        const n = readSync(file.fd, data, read, bytes - read, offset + read);
        if (n === 0) throw new Error(`the spool file of ${table} ended early`);
        read += n;
      }
      for (const line of data.toString("utf8").split("\n")) if (line !== "") rows.push(decodeRow(line, columns, pool));
    }
    return rows;
  }
}

/** The bounds of a segment's timings, so a run decides most segments without reading their rows. */
export interface SegmentRange {
  minIngested: number;
  maxIngested: number;
  /** Over the rows with a TimeGenerated (Infinity and -Infinity when none has one). */
  minTimeGenerated: number;
  maxTimeGenerated: number;
  /** True when some row has no TimeGenerated. */
  untimed: boolean;
}

/** The range of some timings (computed once per segment, when it is loaded or split). */
export function segmentRange(timings: readonly RowTiming[]): SegmentRange {
  const range: SegmentRange = { minIngested: Infinity, maxIngested: -Infinity, minTimeGenerated: Infinity, maxTimeGenerated: -Infinity, untimed: false };
  for (const t of timings) {
    range.minIngested = Math.min(range.minIngested, t.ingested);
    range.maxIngested = Math.max(range.maxIngested, t.ingested);
    if (t.timeGenerated === undefined) range.untimed = true;
    else {
      range.minTimeGenerated = Math.min(range.minTimeGenerated, t.timeGenerated);
      range.maxTimeGenerated = Math.max(range.maxTimeGenerated, t.timeGenerated);
    }
  }
  return range;
}

/** A segment of a window: one spool bucket's rows still held (the same array while the bucket loses none of them). */
export interface WindowSegment {
  rows: unknown[][];
  timings: RowTiming[];
  range: SegmentRange;
}

/**
 * The rows of one table the runs around a moment still need (the same row objects from load to eviction, never
 * changed in between): buckets are loaded as the clock reaches them (less Sentinel's five-minute ingestion grace),
 * and rows are evicted once their event and ingestion times are both older than the table's lookback (the longest
 * query period, or an NRT window, of the rules reading it). Each loaded bucket is a segment, whose rows array keeps
 * its identity until eviction takes rows from it (a bucket wholly expired is dropped, one partly expired is
 * replaced by the array of its survivors), so the engine may keep results per segment.
 */
export class TableWindow {
  /** The loaded buckets' rows still held, oldest first. */
  segments: WindowSegment[] = [];
  #next = 0;
  #peak = 0;
  #evictedAt = Number.NaN;
  readonly #buckets: { start: number; read: () => TimedRow[] }[];
  readonly #strings: number[];

  constructor(
    readonly name: string,
    readonly columns: readonly SchemaColumn[],
    spool: RowSpool,
    readonly lookbackMs: number,
    readonly graceMs: number,
  ) {
    this.#buckets = spool.buckets(name);
    this.#strings = columns.flatMap((c, i) => (c.type === "string" ? [i] : []));
  }

  /** Loads the buckets the clock has reached and evicts the rows no later run can see. */
  advance(clock: number): void {
    while (this.#next < this.#buckets.length && (this.#buckets[this.#next] as { start: number }).start <= clock + this.graceMs) {
      this.#load((this.#buckets[this.#next] as { read: () => TimedRow[] }).read());
      this.#next++;
    }
    // evicting is a pass over the rows: done once per EVICT_STEP_MS of clock, so at most that much extra is held
    const step = Math.floor(clock / EVICT_STEP_MS);
    if (step !== this.#evictedAt) this.#evict(clock - this.lookbackMs);
    this.#evictedAt = step;
    this.#peak = Math.max(this.#peak, this.heldRows);
  }

  /** The rows held now. */
  get heldRows(): number {
    return this.segments.reduce((n, s) => n + s.rows.length, 0);
  }

  /** The most rows held at once. */
  get peakRows(): number {
    return this.#peak;
  }

  #load(bucket: readonly TimedRow[]): void {
    const rows: unknown[][] = [];
    const timings: RowTiming[] = [];
    for (const row of bucket) {
      // a Kusto string is never null: filled once here, so the engine is given the same row objects every run
      for (const i of this.#strings) row.cells[i] ??= "";
      rows.push(row.cells);
      timings.push(row.timing);
    }
    if (rows.length > 0) this.segments.push({ rows, timings, range: segmentRange(timings) });
  }

  /** Drops the rows whose event and ingestion times are both at or before `horizon`. */
  #evict(horizon: number): void {
    const dead = (t: RowTiming) => t.timeGenerated !== undefined && t.timeGenerated <= horizon && t.ingested <= horizon;
    const kept: WindowSegment[] = [];
    for (const segment of this.segments) {
      if (!segment.timings.some(dead)) {
        kept.push(segment);
        continue;
      }
      const alive = segment.timings.map((t) => !dead(t));
      const rows = segment.rows.filter((_, i) => alive[i]);
      const timings = segment.timings.filter((_, i) => alive[i]);
      if (rows.length > 0) kept.push({ rows, timings, range: segmentRange(timings) });
    }
    this.segments = kept;
  }
}
