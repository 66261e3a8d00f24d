import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { RowTiming } from "../testing/simulation/scheduler.ts";
import type { SchemaColumn } from "../testing/spec/typed-rows.ts";

/** Rows are spooled in buckets of this much ingestion time, and loaded a bucket at a time. */
export const BUCKET_MS = 3_600_000;
/** Encoded rows a bucket buffers in memory before they are appended to its file. */
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
  return JSON.stringify([Number.isFinite(ingested) ? ingested : null, timeGenerated ?? null, ...row.cells.map(encodeCell)], (_key, v: unknown) => (typeof v === "bigint" ? Number(v) : v));
}

function decodeRow(line: string, columns: readonly SchemaColumn[]): TimedRow {
  const [ingested, timeGenerated, ...cells] = JSON.parse(line) as [number | null, number | null, ...unknown[]];
  const timing: RowTiming = { ingested: ingested ?? Number.NEGATIVE_INFINITY };
  if (timeGenerated !== null) timing.timeGenerated = timeGenerated;
  return { cells: cells.map((c, i) => decodeCell(c, columns[i]?.type ?? "dynamic")), timing };
}

/**
 * Rows of every table, spooled to a temporary folder in one file per table and hour of ingestion time, so a
 * replay holds in memory only the buckets its runs still look at, however large the input.
 */
export class RowSpool {
  readonly #dir = mkdtempSync(path.join(tmpdir(), "sentinel-replay-"));
  readonly #columns = new Map<string, SchemaColumn[]>();
  readonly #pending = new Map<string, string[]>();
  #pendingRows = 0;
  readonly #buckets = new Map<string, Set<string>>();
  #tableFiles = new Map<string, string>();

  /** Adds a row of a table (its columns are fixed by the first row added). */
  add(table: string, columns: readonly SchemaColumn[], row: TimedRow): void {
    if (!this.#columns.has(table)) {
      this.#columns.set(table, [...columns]);
      this.#tableFiles.set(table, String(this.#tableFiles.size));
      this.#buckets.set(table, new Set());
    }
    const bucket = bucketOf(row.timing);
    (this.#buckets.get(table) as Set<string>).add(bucket);
    const file = this.#file(table, bucket);
    const lines = this.#pending.get(file) ?? [];
    lines.push(encodeRow(row));
    this.#pending.set(file, lines);
    this.#pendingRows++;
    if (lines.length >= FLUSH_ROWS) this.#flush(file);
    else if (this.#pendingRows >= FLUSH_ALL_ROWS) this.flush();
  }

  /** Writes every buffered row to its bucket file. */
  flush(): void {
    for (const file of [...this.#pending.keys()]) this.#flush(file);
  }

  /** The tables holding rows, with their columns. */
  tables(): ReadonlyMap<string, readonly SchemaColumn[]> {
    return this.#columns;
  }

  /** A table's buckets in time order: the start of each (ms; -Infinity for rows without a time) and a reader of its rows. */
  buckets(table: string): { start: number; read: () => TimedRow[] }[] {
    const columns = this.#columns.get(table) ?? [];
    return [...(this.#buckets.get(table) ?? [])]
      .map((key) => ({ key, start: key === NO_TIME ? Number.NEGATIVE_INFINITY : Number(key) * BUCKET_MS }))
      .sort((a, b) => a.start - b.start)
      .map(({ key, start }) => ({ start, read: () => this.#read(this.#file(table, key), columns) }));
  }

  /** Removes the temporary folder. */
  dispose(): void {
    rmSync(this.#dir, { recursive: true, force: true });
  }

  #file(table: string, bucket: string): string {
    return path.join(this.#dir, `${this.#tableFiles.get(table) ?? "x"}-${bucket}.jsonl`);
  }

  #flush(file: string): void {
    const lines = this.#pending.get(file);
    if (!lines || lines.length === 0) return;
    appendFileSync(file, `${lines.join("\n")}\n`);
    this.#pending.delete(file);
    this.#pendingRows -= lines.length;
  }

  #read(file: string, columns: readonly SchemaColumn[]): TimedRow[] {
    this.#flush(file);
    if (!existsSync(file)) return [];
    return readFileSync(file, "utf8")
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => decodeRow(line, columns));
  }
}

/** A segment of a window: one spool bucket's rows still held (the same array while the bucket loses none of them). */
export interface WindowSegment {
  /** Index of its first row in the window's `rows`. */
  start: number;
  rows: unknown[][];
  timings: RowTiming[];
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
  /** Every segment's rows, in order. */
  rows: unknown[][] = [];
  /** Every row's timing, in the order of `rows`. */
  timings: RowTiming[] = [];
  segments: WindowSegment[] = [];
  /** Bumped whenever the rows change, so memoized results keyed by row indexes are dropped. */
  epoch = 0;
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
    let changed = false;
    while (this.#next < this.#buckets.length && (this.#buckets[this.#next] as { start: number }).start <= clock + this.graceMs) {
      this.#load((this.#buckets[this.#next] as { read: () => TimedRow[] }).read());
      this.#next++;
      changed = true;
    }
    // evicting is a pass over the rows: done once per EVICT_STEP_MS of clock, so at most that much extra is held
    const step = Math.floor(clock / EVICT_STEP_MS);
    if (step !== this.#evictedAt) changed = this.#evict(clock - this.lookbackMs) || changed;
    this.#evictedAt = step;
    if (changed) {
      this.#flatten();
      this.epoch++;
    }
    this.#peak = Math.max(this.#peak, this.rows.length);
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
    if (rows.length > 0) this.segments.push({ start: 0, rows, timings });
  }

  /** Drops the rows whose event and ingestion times are both at or before `horizon`; true when any was dropped. */
  #evict(horizon: number): boolean {
    const dead = (t: RowTiming) => t.timeGenerated !== undefined && t.timeGenerated <= horizon && t.ingested <= horizon;
    let changed = false;
    const kept: WindowSegment[] = [];
    for (const segment of this.segments) {
      if (!segment.timings.some(dead)) {
        kept.push(segment);
        continue;
      }
      changed = true;
      const alive = segment.timings.map((t) => !dead(t));
      const rows = segment.rows.filter((_, i) => alive[i]);
      if (rows.length > 0) kept.push({ start: 0, rows, timings: segment.timings.filter((_, i) => alive[i]) });
    }
    this.segments = kept;
    return changed;
  }

  /** Rebuilds the flat rows and timings (and each segment's start) from the segments. */
  #flatten(): void {
    this.rows = [];
    this.timings = [];
    for (const segment of this.segments) {
      segment.start = this.rows.length;
      for (const row of segment.rows) this.rows.push(row);
      for (const timing of segment.timings) this.timings.push(timing);
    }
  }
}
