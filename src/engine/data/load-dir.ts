import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { loadBundledTable } from "../../kql/tables.ts";
import { EngineError } from "../errors.ts";
import type { InputTable } from "../values.ts";
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

/** Loads every table file (Name.json, Name.jsonl, Name.ndjson, Name.csv) of `dir`, typed by the bundled schema of the table when known. */
export function loadTablesFromDir(dir: string): Record<string, InputTable> {
  const out: Record<string, InputTable> = {};
  for (const entry of readdirSync(dir).sort()) {
    const format = rowFileFormat(path.extname(entry));
    if (!format) continue;
    const name = path.basename(entry, path.extname(entry));
    const file = path.join(dir, entry);
    if (out[name]) throw fileError(file, 1, `table ${name} is given by more than one file`);
    const { rows, lines } = readRowFile(file, format);
    out[name] = typeRows(name, rows, loadBundledTable(name)?.columns, (i) => `${file}:${lines[i] ?? 1}`, { openColumns: name === "AzureDiagnostics" });
  }
  return out;
}
