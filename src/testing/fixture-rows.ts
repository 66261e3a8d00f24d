import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
import { parseJsonExact } from "../engine/data/json-exact.ts";
import { makeDiagnostic, type Diagnostic, type Location } from "../diagnostics/index.ts";
import { locate, locateKey, rootOfLoaded, staysWithin, type LoadedFile } from "../load/index.ts";
import type { RowSource } from "./case-spec.ts";

/** One fixture row before typing: its values by column and where each value is written. */
export interface RawRow {
  values: Record<string, unknown>;
  /** Where the row (no column) or one of its values is. */
  at(column?: string): Location;
  /** True when the values came from CSV text (so numbers, bools and JSON must be parsed from strings). */
  fromCsv: boolean;
}

/** The key by which a fixture row opts out of named profile invariants, with a written reason; never a column. */
export const PROFILE_EXCEPTION_KEY = "$profileException";

/**
 * Largest fixture file read, in bytes, by file type: raw exports (JSON Lines, CSV) may hold a day of a source's
 * events; a .json array is parsed whole as a document (with positions), so it is kept smaller. Content files
 * (YAML) have their own, smaller limit (load/decode.ts).
 */
export const MAX_FIXTURE_BYTES: Readonly<Record<string, number>> = {
  ".jsonl": 64 * 1024 * 1024,
  ".ndjson": 64 * 1024 * 1024,
  ".csv": 64 * 1024 * 1024,
  ".json": 16 * 1024 * 1024,
};

/** Reads the rows of a row source: inline YAML rows, or a .jsonl/.json/.csv file beside the tests file. */
export function readRowSource(source: RowSource, file: LoadedFile): { rows: RawRow[]; diagnostics: Diagnostic[] } {
  if (source.rows) return readInline(source, file);
  const relative = source.file ?? "";
  const fixturePath = path.join(path.dirname(file.absolutePath), relative);
  const shown = path.posix.join(path.posix.dirname(file.path), relative.split(path.sep).join("/"));
  const fail = (message: string) => ({ rows: [], diagnostics: [makeDiagnostic("SC5005", locate(file, source.path), `${source.name}: ${message}`)] });
  if (path.isAbsolute(relative) || !staysWithin(rootOfLoaded(file), fixturePath)) {
    return { rows: [], diagnostics: [makeDiagnostic("SC1014", locate(file, source.path), `${source.name}: fixture path ${JSON.stringify(relative)} leads outside the repository; it is never read`)] };
  }
  if (!existsSync(fixturePath)) return fail(`fixture file ${shown} does not exist`);
  let text: string;
  try {
    // size and type from the file system first: a huge file or a FIFO is never opened
    const info = statSync(fixturePath);
    if (!info.isFile()) return fail(`fixture ${shown} is not a regular file`);
    const limit = MAX_FIXTURE_BYTES[path.extname(relative).toLowerCase()];
    if (limit === undefined) return fail(`fixture file ${shown} must end in .jsonl, .ndjson, .json or .csv`);
    if (info.size > limit) return fail(`fixture file ${shown} is larger than the ${limit / 1024 / 1024} MB allowed for ${path.extname(relative).toLowerCase()} fixtures`);
    const bytes = readFileSync(fixturePath);
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch (error) {
    return fail(`cannot read ${shown}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const extension = path.extname(relative).toLowerCase();
  if (extension === ".jsonl" || extension === ".ndjson") return readJsonLines(text, shown);
  if (extension === ".json") return readJsonArray(text, shown);
  if (extension === ".csv") return readCsv(text, shown);
  return fail(`fixture file ${shown} must end in .jsonl, .ndjson, .json or .csv`);
}

function readInline(source: RowSource, file: LoadedFile): { rows: RawRow[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const rows: RawRow[] = [];
  (source.rows ?? []).forEach((row, i) => {
    const rowPath = [...source.path, i];
    if (typeof row !== "object" || row === null || Array.isArray(row)) {
      diagnostics.push(makeDiagnostic("SC5005", locate(file, rowPath), `${source.name} row ${i + 1} must be a map of column to value`));
      return;
    }
    rows.push({
      values: row as Record<string, unknown>,
      at: (column) => (column === undefined ? locate(file, rowPath) : locateKey(file, [...rowPath, column])),
      fromCsv: false,
    });
  });
  return { rows, diagnostics };
}

function lineLocation(file: string, line: number, col = 1): Location {
  return { file, start: { line, col } };
}

function readJsonLines(text: string, file: string): { rows: RawRow[]; diagnostics: Diagnostic[] } {
  const rows: RawRow[] = [];
  const diagnostics: Diagnostic[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === "") return;
    const at = lineLocation(file, index + 1);
    let value: unknown;
    try {
      value = parseJsonExact(line);
    } catch (error) {
      diagnostics.push(makeDiagnostic("SC5005", at, `line ${index + 1} is not JSON: ${error instanceof Error ? error.message : String(error)}`));
      return;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      diagnostics.push(makeDiagnostic("SC5005", at, `line ${index + 1} must be a JSON object (one row)`));
      return;
    }
    const keyColumn = (column: string) => Math.max(1, line.indexOf(JSON.stringify(column)) + 1);
    rows.push({ values: value as Record<string, unknown>, at: (column) => (column === undefined ? at : lineLocation(file, index + 1, keyColumn(column))), fromCsv: false });
  });
  return { rows, diagnostics };
}

function readJsonArray(text: string, file: string): { rows: RawRow[]; diagnostics: Diagnostic[] } {
  const lineCounter = new LineCounter();
  // intAsBigInt keeps every digit of a long beyond 2^53 (typeRows narrows safe integers back to numbers).
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, intAsBigInt: true });
  const position = (offset: number | undefined): Location => {
    const { line, col } = lineCounter.linePos(offset ?? 0);
    return lineLocation(file, line, col);
  };
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    return { rows: [], diagnostics: [makeDiagnostic("SC5005", position(first?.pos[0]), `not valid JSON: ${first?.message.split("\n")[0] ?? ""}`)] };
  }
  const data: unknown = doc.toJS();
  if (!Array.isArray(data)) return { rows: [], diagnostics: [makeDiagnostic("SC5005", position(0), "a .json fixture must be an array of row objects")] };
  const rows: RawRow[] = [];
  const diagnostics: Diagnostic[] = [];
  data.forEach((value, i) => {
    const node = doc.getIn([i], true) as { range?: [number, number, number] } | undefined;
    const at = position(node?.range?.[0]);
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      diagnostics.push(makeDiagnostic("SC5005", at, `element ${i + 1} must be a row object`));
      return;
    }
    rows.push({
      values: value as Record<string, unknown>,
      at: (column) => {
        if (column === undefined) return at;
        const map = doc.getIn([i], true);
        const pair = isMap(map) ? map.items.find((p) => isScalar(p.key) && p.key.value === column) : undefined;
        const keyRange = isScalar(pair?.key) ? pair.key.range : undefined;
        return keyRange ? position(keyRange[0]) : at;
      },
      fromCsv: false,
    });
  });
  return { rows, diagnostics };
}

/** Splits CSV text (RFC 4180: quoted fields, doubled quotes, newlines inside quotes) into records with their start lines. */
export function parseCsv(text: string): { fields: string[]; line: number }[] | { error: string; line: number } {
  const records: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let fieldStarted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        if (c === "\n") line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (c === ",") {
      fields.push(field);
      field = "";
      fieldStarted = false;
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      fields.push(field);
      if (!(fields.length === 1 && fields[0] === "")) records.push({ fields, line: recordLine });
      fields = [];
      field = "";
      fieldStarted = false;
      line++;
      recordLine = line;
    } else {
      field += c;
      fieldStarted = true;
    }
  }
  if (quoted) return { error: "a quoted field is not closed", line: recordLine };
  if (field !== "" || fields.length > 0) {
    fields.push(field);
    records.push({ fields, line: recordLine });
  }
  return records;
}

function readCsv(text: string, file: string): { rows: RawRow[]; diagnostics: Diagnostic[] } {
  const parsed = parseCsv(text);
  if (!Array.isArray(parsed)) return { rows: [], diagnostics: [makeDiagnostic("SC5005", lineLocation(file, parsed.line), `not valid CSV: ${parsed.error}`)] };
  const [header, ...records] = parsed;
  if (!header) return { rows: [], diagnostics: [] };
  const diagnostics: Diagnostic[] = [];
  const rows: RawRow[] = [];
  for (const record of records) {
    if (record.fields.length !== header.fields.length) {
      diagnostics.push(makeDiagnostic("SC5005", lineLocation(file, record.line), `record has ${record.fields.length} fields, the header has ${header.fields.length}`));
      continue;
    }
    const values: Record<string, unknown> = {};
    header.fields.forEach((name, i) => {
      const value = record.fields[i] ?? "";
      values[name.trim()] = value === "" ? null : value;
    });
    const columnOf = (column: string) => {
      const index = header.fields.findIndex((f) => f.trim() === column);
      return record.fields.slice(0, Math.max(0, index)).reduce((n, f) => n + f.length + 1, 1);
    };
    rows.push({ values, at: (column) => lineLocation(file, record.line, column === undefined ? 1 : columnOf(column)), fromCsv: true });
  }
  return { rows, diagnostics };
}
