import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { loadBundledTable } from "../../kql/tables.ts";
import { EngineError } from "../errors.ts";
import type { Column, InputTable } from "../values.ts";
import { parseRowFile, rowFileFormat, type RowFileFormat } from "../../load/row-file.ts";
import { typeRows, type RowObjects } from "./tables.ts";

function fileError(file: string, line: number, message: string): EngineError {
  return new EngineError("SC4009", `${file}:${line}: ${message}`);
}

/** Reads the row objects of a .json (array), .jsonl/.ndjson (one object per line) or .csv (header row) file, with each row's line. */
function readRowFile(file: string, format: RowFileFormat): { rows: RowObjects; lines: number[] } {
  const parsed = parseRowFile(readFileSync(file, "utf8"), format);
  const problem = parsed.problems[0];
  if (problem) throw fileError(file, problem.line, problem.message);
  return { rows: parsed.rows.map((r) => r.values), lines: parsed.rows.map((r) => r.line) };
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
    if (out[name]) throw fileError(file, 1, `table ${name} is given by more than one file`);
    const { rows, lines } = readRowFile(file, format);
    const given = declared[name];
    const known = new Set(given?.columns.map((c) => c.name));
    const kept = given?.dropUnknown ? rows.map((row) => Object.fromEntries(Object.entries(row).filter(([key]) => known.has(key)))) : rows;
    out[name] = typeRows(name, kept, given?.columns ?? loadBundledTable(name)?.columns, (i) => `${file}:${lines[i] ?? 1}`, { openColumns: name === "AzureDiagnostics" });
  }
  return out;
}
