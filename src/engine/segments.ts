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

/** How many rows the segments hold together. */
export function segmentRowCount(segments: readonly RowSegment[]): number {
  let count = 0;
  for (const segment of segments) count += segment.rows.length;
  return count;
}
