import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { loadBundledTable } from "../../kql/tables.ts";
import { EngineError } from "../errors.ts";
import type { Column, Table } from "../values.ts";
import { parseJsonExact } from "./json-exact.ts";
import { typeRows, type RowObjects } from "./tables.ts";

/** Splits one CSV record list (RFC 4180: quotes, doubled quotes, newlines inside quotes). Returns records with their 1-based start lines. */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === "\n") line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field === "") quoted = true;
    else if (ch === ",") {
      fields.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      fields.push(field);
      if (fields.length > 1 || fields[0] !== "") records.push({ line: start, fields });
      fields = [];
      field = "";
      line++;
      start = line;
    } else field += ch;
  }
  if (field !== "" || fields.length > 0) {
    fields.push(field);
    records.push({ line: start, fields });
  }
  return records;
}

function fileError(file: string, line: number, message: string): EngineError {
  return new EngineError("SC4009", `${file}:${line}: ${message}`);
}

/** Reads row objects from a .json (array), .jsonl (one object per line) or .csv (header row) file, with each row's line. */
function readRowFile(file: string): { rows: RowObjects; lines: number[] } {
  const text = readFileSync(file, "utf8").replace(/^\uFEFF/, "");
  const ext = path.extname(file).toLowerCase();
  if (ext === ".jsonl") {
    const rows: RowObjects = [];
    const lines: number[] = [];
    text.split(/\r?\n/).forEach((raw, i) => {
      if (raw.trim() === "") return;
      let value: unknown;
      try {
        value = parseJsonExact(raw);
      } catch (error) {
        throw fileError(file, i + 1, `invalid JSON (${(error as Error).message})`);
      }
      if (typeof value !== "object" || value === null || Array.isArray(value)) throw fileError(file, i + 1, "each line must be a JSON object");
      rows.push(value as Record<string, unknown>);
      lines.push(i + 1);
    });
    return { rows, lines };
  }
  if (ext === ".json") {
    let value: unknown;
    try {
      value = parseJsonExact(text);
    } catch (error) {
      throw fileError(file, 1, `invalid JSON (${(error as Error).message})`);
    }
    if (!Array.isArray(value) || value.some((r) => typeof r !== "object" || r === null || Array.isArray(r))) {
      throw fileError(file, 1, "a .json table file must hold an array of row objects");
    }
    return { rows: value as RowObjects, lines: value.map((_r, i) => i + 1) };
  }
  const records = parseCsv(text);
  const header = records.shift();
  if (!header) return { rows: [], lines: [] };
  const rows = records.map((r) => {
    if (r.fields.length !== header.fields.length) throw fileError(file, r.line, `expected ${header.fields.length} fields, found ${r.fields.length}`);
    const obj: Record<string, unknown> = {};
    header.fields.forEach((name, i) => {
      const v = r.fields[i]!;
      if (v !== "") obj[name] = v;
    });
    return obj;
  });
  return { rows, lines: records.map((r) => r.line) };
}

/** Columns a caller declares for a table file: typed by them (a key they lack is an error, or dropped with `dropUnknown`, as a DCR input stream does). */
export interface DeclaredTable {
  columns: Column[];
  dropUnknown?: boolean;
}

/**
 * Loads every table file (Name.json, Name.jsonl, Name.csv) of `dir`, typed by the declared columns of the table
 * when given (custom tables, DCR input streams), else by its bundled schema when known, else inferred from the rows.
 */
export function loadTablesFromDir(dir: string, declared: Readonly<Record<string, DeclaredTable>> = {}): Record<string, Table> {
  const out: Record<string, Table> = {};
  for (const entry of readdirSync(dir).sort()) {
    const ext = path.extname(entry).toLowerCase();
    if (![".json", ".jsonl", ".csv"].includes(ext)) continue;
    const name = path.basename(entry, path.extname(entry));
    const file = path.join(dir, entry);
    if (out[name]) throw fileError(file, 1, `table ${name} is given by more than one file`);
    const { rows, lines } = readRowFile(file);
    const given = declared[name];
    const kept = given?.dropUnknown ? rows.map((row) => Object.fromEntries(Object.entries(row).filter(([key]) => given.columns.some((c) => c.name === key)))) : rows;
    out[name] = typeRows(name, kept, given?.columns ?? loadBundledTable(name)?.columns, (i) => `${file}:${lines[i] ?? 1}`, { openColumns: name === "AzureDiagnostics" });
  }
  return out;
}
