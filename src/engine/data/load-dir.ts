import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { loadBundledTable } from "../../kql/tables.ts";
import type { Column, InputTable } from "../values.ts";
import { parseRowFile, rowFileFormat, type FileRow, type RowFileFormat } from "../../load/row-file.ts";
import { DataRowError, typeRows, type RowOrigin } from "./tables.ts";

function fileError(file: string, line: number, col: number, message: string): DataRowError {
  return new DataRowError(`${file}:${line}:${col}`, message);
}

/** Reads the rows of a .json (array), .jsonl/.ndjson (one object per line) or .csv (header row) file, each with its position. */
function readRowFile(file: string, format: RowFileFormat): FileRow[] {
  const parsed = parseRowFile(readFileSync(file, "utf8"), format);
  const problem = parsed.problems[0];
  if (problem) throw fileError(file, problem.line, problem.col, problem.message);
  return parsed.rows;
}

/** `file:line:col` of a row's value (of the row's start when no column is named). */
function originIn(file: string, rows: readonly FileRow[]): RowOrigin {
  return (i, column) => {
    const row = rows[i];
    if (!row) return `${file}:1:1`;
    const { line, col } = column === undefined ? { line: row.line, col: 1 } : row.positionOf(column);
    return `${file}:${line}:${col}`;
  };
}

/** Columns a caller declares for a table file: typed by them (a key they lack is an error, or dropped with `dropUnknown`, as a DCR input stream does). */
export interface DeclaredTable {
  columns: Column[];
  dropUnknown?: boolean;
}

/**
 * Loads every table file (Name.json, Name.jsonl, Name.ndjson, Name.csv) of `dir`, typed by the declared columns of the table
 * when given (custom tables, DCR input streams), else by its bundled schema when known, else inferred from the rows.
 */
export function loadTablesFromDir(dir: string, declared: Readonly<Record<string, DeclaredTable>> = {}): Record<string, InputTable> {
  const out: Record<string, InputTable> = {};
  for (const entry of readdirSync(dir).sort()) {
    const format = rowFileFormat(path.extname(entry));
    if (!format) continue;
    const name = path.basename(entry, path.extname(entry));
    const file = path.join(dir, entry);
    if (out[name]) throw fileError(file, 1, 1, `table ${name} is given by more than one file`);
    const rows = readRowFile(file, format);
    const given = declared[name];
    const known = new Set(given?.columns.map((c) => c.name));
    const objects = rows.map((row) => (given?.dropUnknown ? Object.fromEntries(Object.entries(row.values).filter(([key]) => known.has(key))) : row.values));
    out[name] = typeRows(name, objects, given?.columns ?? loadBundledTable(name)?.columns, originIn(file, rows), { openColumns: name === "AzureDiagnostics" });
  }
  return out;
}
