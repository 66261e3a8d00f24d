import { toTypedCell, type Cell } from "../spec/values.ts";

/** A query result as the harness compares it: named, typed columns and rows of plain cells. */
export interface ResultTable {
  columns: { name: string; type: string }[];
  rows: Cell[][];
}

/** Builds a result table from any engine's columns and rows, turning each value into a plain cell by its column type. */
export function makeResultTable(columns: readonly { name: string; type: string }[], rows: readonly (readonly unknown[])[]): ResultTable {
  return { columns: columns.map((c) => ({ name: c.name, type: c.type })), rows: rows.map((row) => columns.map((c, i) => toTypedCell(row[i], c.type))) };
}

/** Index of a column by exact name, or -1. */
export function columnIndex(table: ResultTable, name: string): number {
  return table.columns.findIndex((c) => c.name === name);
}

/** The value of a named column in a row (null when the row is missing or the column does not exist). */
export function cellAt(table: ResultTable, row: number, column: string): Cell {
  const index = columnIndex(table, column);
  return index < 0 ? null : (table.rows[row]?.[index] ?? null);
}

/** A table holding only the given rows of `table`, same columns. */
export function selectRows(table: ResultTable, rows: readonly number[]): ResultTable {
  return { columns: table.columns, rows: rows.map((i) => table.rows[i] ?? []) };
}
