// Tables held as segments: consecutive runs of rows whose arrays a caller may give again unchanged (replay's hour
// buckets), so a row-local prefix keeps its output per segment (planner/incremental.ts) and a run costs what is new.
import type { Column, Row, RowSegment, Table } from "./values.ts";

/** A table whose rows are its segments' rows, in order; the flat rows are built only when an operator reads them. */
export interface SegmentedTable extends Table {
  readonly segments: readonly RowSegment[];
}

/** A table over `segments`: `rows` is their concatenation, made on first read. */
export function segmentedTable(columns: Column[], segments: readonly RowSegment[]): SegmentedTable {
  let rows: Row[] | undefined;
  return {
    columns,
    segments,
    get rows(): Row[] {
      rows ??= concatRows(segments);
      return rows;
    },
  };
}

/** True when the table carries segments. */
export function isSegmented(table: Table): table is SegmentedTable {
  return Array.isArray((table as Partial<SegmentedTable>).segments);
}

/** The rows of every segment, in order. */
function concatRows(segments: readonly RowSegment[]): Row[] {
  const rows: Row[] = [];
  for (const segment of segments) for (const row of segment.rows) rows.push(row);
  return rows;
}

/** How many rows a table holds, counted over its segments when it has them (without laying them out). */
export function tableRowCount(table: Table): number {
  return isSegmented(table) ? segmentRowCount(table.segments) : table.rows.length;
}

/** How many rows the segments hold together. */
export function segmentRowCount(segments: readonly RowSegment[]): number {
  let count = 0;
  for (const segment of segments) count += segment.rows.length;
  return count;
}

/** Most partial results kept per stable segment (one per operator that keeps partials over it); past it the oldest goes. */
const MAX_PARTIALS_PER_SEGMENT = 64;

/** Partial results of operators over stable segments: the segment's array → the operator's token → its partial. Weak: an evicted segment's partials go with it. */
const partials = new WeakMap<readonly Row[], Map<object, unknown>>();

/** How many partials were reused and computed, and how many runs found them not mergeable exactly (then computed whole), since the process started (for tests and profiling). */
export const partialCounts = { reused: 0, computed: 0, refused: 0 };

/**
 * An operator's partial result over one segment: for a stable segment (the same array means the same rows), the
 * one kept under `token` or computed once and kept; for any other, computed afresh. `token` names the operator
 * and everything its partial depends on besides the rows.
 */
export function segmentPartial<P>(segment: RowSegment, token: object, compute: (rows: readonly Row[]) => P): P {
  return keptPerSegment(segment, token, compute, partialCounts);
}

/** How many output segments of operators that give segments (union, summarize) were reused and computed since the process started. */
export const segmentOutputCounts = { reused: 0, computed: 0 };

/**
 * An operator's output rows for one segment, kept like a partial (segmentPartial): a stable segment gives the same
 * array at every run, so the stages after the operator keep their outputs for it too.
 */
export function segmentOutput(segment: RowSegment, token: object, compute: (rows: readonly Row[]) => Row[]): Row[] {
  return keptPerSegment(segment, token, compute, segmentOutputCounts);
}

function keptPerSegment<P>(segment: RowSegment, token: object, compute: (rows: readonly Row[]) => P, tally: { reused: number; computed: number }): P {
  if (!segment.stable) return compute(segment.rows);
  let kept = partials.get(segment.rows);
  if (kept?.has(token)) {
    tally.reused++;
    return kept.get(token) as P;
  }
  const partial = compute(segment.rows);
  tally.computed++;
  if (!kept) partials.set(segment.rows, (kept = new Map()));
  if (kept.size >= MAX_PARTIALS_PER_SEGMENT) kept.delete(kept.keys().next().value as object);
  kept.set(token, partial);
  return partial;
}
