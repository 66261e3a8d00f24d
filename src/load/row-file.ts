// Reading rows from data files (JSON lines, a JSON array, CSV with a header), with the position of every row and
// value: the one reader behind test fixtures and `query --data`. Callers turn the problems into their own findings.
import { createRequire } from "node:module";
import { isRecord } from "../content/record.ts";
import { parseJsonExact } from "./json-exact.ts";

// The CSV and YAML parsers load on the first file that needs them: `query` on JSON rows (or on none) never does.
const require = createRequire(import.meta.url);
let csvParser: typeof import("csv-parse/sync") | undefined;
let yamlParser: typeof import("yaml") | undefined;
const csv = () => (csvParser ??= require("csv-parse/sync") as typeof import("csv-parse/sync"));
const yaml = () => (yamlParser ??= require("yaml") as typeof import("yaml"));

/** The data file formats, by file extension. */
export type RowFileFormat = "jsonl" | "json" | "csv";

/** One row of a data file: its values by column, and where the row and each value are written (1-based). */
export interface FileRow {
  values: Record<string, unknown>;
  line: number;
  /** Where a value of the row is written (its key in JSON, its field in CSV); the row's start when unknown. */
  positionOf(name: string): { line: number; col: number };
}

/** A problem found while reading a data file, at a 1-based line and column. */
export interface RowFileProblem {
  line: number;
  col: number;
  message: string;
}

/** The rows of a data file and the problems that kept other rows out. */
export interface RowFile {
  rows: FileRow[];
  problems: RowFileProblem[];
}

const FORMAT_OF: Record<string, RowFileFormat> = { ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv" };

/** The format of a data file from its extension (`.jsonl`/`.ndjson`, `.json`, `.csv`), or undefined. */
export function rowFileFormat(extension: string): RowFileFormat | undefined {
  return FORMAT_OF[extension.toLowerCase()];
}

/**
 * The rows of a data file's text. JSON lines and JSON arrays keep every digit of a long beyond 2^53 (as a bigint);
 * CSV values are strings and an empty field is null (the caller types them by the table's schema).
 */
export function parseRowFile(text: string, format: RowFileFormat): RowFile {
  const body = text.replace(/^\uFEFF/, "");
  if (format === "jsonl") return readJsonLines(body);
  if (format === "json") return readJsonArray(body);
  return readCsv(body);
}

function readJsonLines(text: string): RowFile {
  const rows: FileRow[] = [];
  const problems: RowFileProblem[] = [];
  text.split(/\r?\n/).forEach((source, index) => {
    if (source.trim() === "") return;
    const line = index + 1;
    let value: unknown;
    try {
      value = parseJsonExact(source);
    } catch (error) {
      problems.push({ line, col: 1, message: `line ${line} is not JSON: ${error instanceof Error ? error.message : String(error)}` });
      return;
    }
    if (!isRecord(value)) {
      problems.push({ line, col: 1, message: `line ${line} must be a JSON object (one row)` });
      return;
    }
    rows.push({ values: value, line, positionOf: (name) => ({ line, col: Math.max(1, source.indexOf(JSON.stringify(name)) + 1) }) });
  });
  return { rows, problems };
}

function readJsonArray(text: string): RowFile {
  const { isMap, isScalar, LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  // intAsBigInt keeps every digit of a long beyond 2^53; safe integers are narrowed back to numbers below.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, intAsBigInt: true });
  const position = (offset: number | undefined) => lineCounter.linePos(offset ?? 0);
  const first = doc.errors[0];
  if (first) return { rows: [], problems: [{ ...position(first.pos[0]), message: `not valid JSON: ${first.message.split("\n")[0] ?? ""}` }] };
  const data = narrowSafeIntegers(doc.toJS());
  if (!Array.isArray(data)) return { rows: [], problems: [{ line: 1, col: 1, message: "a .json data file must be an array of row objects" }] };
  const rows: FileRow[] = [];
  const problems: RowFileProblem[] = [];
  data.forEach((value: unknown, i) => {
    const node = doc.getIn([i], true);
    const start = position((node as { range?: [number, number, number] } | undefined)?.range?.[0]);
    if (!isRecord(value)) {
      problems.push({ ...start, message: `element ${i + 1} must be a row object` });
      return;
    }
    const positionOf = (name: string) => {
      const pair = isMap(node) ? node.items.find((p) => isScalar(p.key) && p.key.value === name) : undefined;
      const keyRange = isScalar(pair?.key) ? pair.key.range : undefined;
      return keyRange ? position(keyRange[0]) : start;
    };
    rows.push({ values: value, line: start.line, positionOf });
  });
  return { rows, problems };
}

/** Integers that fit a double become numbers again, as JSON.parse gives them; only longs beyond 2^53 stay bigints. */
function narrowSafeIntegers(value: unknown): unknown {
  if (typeof value === "bigint") return Number.isSafeInteger(Number(value)) ? Number(value) : value;
  if (Array.isArray(value)) return value.map(narrowSafeIntegers);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, narrowSafeIntegers(v)]));
  return value;
}

interface CsvRecord {
  record: string[];
  info: { lines: number };
  raw: string;
}

/** The 1-based line a CSV record starts on: the line it ends on, less the line breaks inside it. */
function recordStartLine(record: CsvRecord): number {
  const inside = record.raw.replace(/^[\r\n]+/, "").replace(/[\r\n]+$/, "");
  return record.info.lines - (inside.match(/\r\n|\r|\n/g)?.length ?? 0);
}

function readCsv(text: string): RowFile {
  const { parse: parseCsvRecords, CsvError } = csv();
  let records: CsvRecord[];
  try {
    records = parseCsvRecords(text, { info: true, raw: true, relax_column_count: true, skip_empty_lines: true, record_delimiter: ["\r\n", "\n", "\r"] }) as unknown as CsvRecord[];
  } catch (error) {
    const lines = error instanceof CsvError ? (error as { lines?: unknown }).lines : undefined;
    const line = typeof lines === "number" ? lines : 1;
    return { rows: [], problems: [{ line, col: 1, message: `not valid CSV: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  const [header, ...body] = records;
  if (!header) return { rows: [], problems: [] };
  const names = header.record.map((name) => name.trim());
  const rows: FileRow[] = [];
  const problems: RowFileProblem[] = [];
  for (const record of body) {
    const line = recordStartLine(record);
    if (record.record.length !== names.length) {
      problems.push({ line, col: 1, message: `record has ${record.record.length} fields, the header has ${names.length}` });
      continue;
    }
    const values: Record<string, unknown> = {};
    names.forEach((name, i) => {
      const value = record.record[i] ?? "";
      values[name] = value === "" ? null : value;
    });
    const positionOf = (name: string) => ({ line, col: record.record.slice(0, Math.max(0, names.indexOf(name))).reduce((n, field) => n + field.length + 1, 1) });
    rows.push({ values, line, positionOf });
  }
  return { rows, problems };
}
