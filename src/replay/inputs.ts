import { createReadStream, readdirSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseCsvStream } from "csv-parse";
import { isRecord } from "../content/record.ts";
import { makeDiagnostic, type Diagnostic, type DiagnosticCode } from "../diagnostics/index.ts";
import { readJsonLines } from "../ingest/jsonl.ts";

/** One record of an input file: its fields and the line it starts on. */
export interface InputRecord {
  values: Record<string, unknown>;
  line: number;
}

/** A replay input that cannot be read on: the finding says which file, line and why. */
export class ReplayInputError extends Error {
  override name = "ReplayInputError";
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

/** Longest JSON Lines line or CSV record read, in bytes. */
const MAX_RECORD_BYTES = 16 * 1024 * 1024;
/** Largest .json file (read whole: a JSON array or an API list page), in bytes. */
const MAX_JSON_FILE_BYTES = 256 * 1024 * 1024;
/** Most files one folder input may hold (searched recursively). */
const MAX_INPUT_FILES = 10_000;

/** The file name endings replay reads. */
const INPUT_EXTENSIONS = [".jsonl", ".ndjson", ".json", ".csv"] as const;

/** The finding of an input problem at a file (and line). */
export function inputProblem(code: DiagnosticCode, file: string, message: string, line?: number): ReplayInputError {
  return new ReplayInputError(makeDiagnostic(code, line === undefined ? { file } : { file, start: { line, col: 1 } }, message));
}

/**
 * The files of the inputs, in a stable order: each file as given, and under each folder every .jsonl, .ndjson,
 * .json and .csv file (sorted, at most MAX_INPUT_FILES). Throws ReplayInputError (SC5043) for a missing path.
 */
export function listInputFiles(inputs: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && (INPUT_EXTENSIONS as readonly string[]).includes(path.extname(entry.name).toLowerCase())) files.push(full);
      if (files.length > MAX_INPUT_FILES) throw inputProblem("SC5043", dir, `more than ${MAX_INPUT_FILES} input files under ${dir}`);
    }
  };
  for (const input of inputs) {
    let info;
    try {
      info = statSync(input);
    } catch {
      throw inputProblem("SC5043", input, `${input} does not exist`);
    }
    if (info.isDirectory()) walk(input);
    else if (info.isFile()) files.push(input);
    else throw inputProblem("SC5043", input, `${input} is not a regular file or folder`);
  }
  return [...new Set(files)];
}

/** The records of one input file, read as a stream: JSON Lines line by line, CSV record by record, a .json file whole. */
export async function* readInputRecords(file: string, shown: string = file): AsyncGenerator<InputRecord> {
  const extension = path.extname(file).toLowerCase();
  if (extension === ".csv") yield* readCsvRecords(file, shown);
  else if (extension === ".json") yield* await readJsonRecords(file, shown);
  else if (extension === ".jsonl" || extension === ".ndjson") yield* readJsonLineRecords(file, shown);
  else throw inputProblem("SC5043", shown, `${shown}: replay reads ${INPUT_EXTENSIONS.join(", ")} files`);
}

async function* readJsonLineRecords(file: string, shown: string): AsyncGenerator<InputRecord> {
  const stream = createReadStream(file, { highWaterMark: 1024 * 1024 });
  try {
    for await (const line of readJsonLines(stream, MAX_RECORD_BYTES)) {
      if (!line.ok) throw inputProblem("SC5042", shown, `line ${line.lineNo} is ${line.reason}`, line.lineNo);
      yield { values: line.event, line: line.lineNo };
    }
  } finally {
    stream.destroy();
  }
}

/** Log Analytics' CSV export names datetime columns with their time zone (`TimeGenerated [UTC]`); the column is the name before it. */
function csvColumnName(header: string): string {
  return header.trim().replace(/\s*\[UTC\]$/i, "");
}

async function* readCsvRecords(file: string, shown: string): AsyncGenerator<InputRecord> {
  const stream = createReadStream(file);
  const parser = stream.pipe(parseCsvStream({ bom: true, info: true, max_record_size: MAX_RECORD_BYTES, skip_empty_lines: true }));
  let header: string[] | undefined;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { record, info } = item;
      if (!header) {
        header = record.map(csvColumnName);
        const local = record.find((h) => /\[local time\]\s*$/i.test(h));
        if (local) throw inputProblem("SC5042", shown, `column ${JSON.stringify(local)} holds local times; export the rows with times in UTC`, info.lines);
        continue;
      }
      const values: Record<string, unknown> = {};
      header.forEach((name, i) => {
        const value = record[i] ?? "";
        values[name] = value === "" ? null : value;
      });
      yield { values, line: info.lines };
    }
  } catch (error) {
    if (error instanceof ReplayInputError) throw error;
    const line = (error as { lines?: number }).lines;
    throw inputProblem("SC5042", shown, `not valid CSV: ${error instanceof Error ? error.message : String(error)}`, line);
  } finally {
    stream.destroy();
  }
}

/** The lines on which each top-level element of a JSON array (or of a list page's `data` array) starts. */
function elementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectElement = false;
  let dataDepth = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\n") line++;
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"' && depth === 1 && text.startsWith('"data"', i)) dataDepth = 2;
    if (expectElement && c !== undefined && !/[\s,\]]/.test(c)) {
      lines.push(line);
      expectElement = false;
    }
    if (c === '"') inString = true;
    else if (c === "[" || c === "{") {
      depth++;
      if (c === "[" && depth === dataDepth) expectElement = true;
    } else if (c === "]" || c === "}") depth--;
    else if (c === "," && depth === dataDepth) expectElement = true;
  }
  return lines;
}

/** A JSON array of rows (Log Analytics' JSON export), or an OpenAI list page `{"object":"list","data":[…]}`. */
async function readJsonRecords(file: string, shown: string): Promise<InputRecord[]> {
  const size = statSync(file).size;
  if (size > MAX_JSON_FILE_BYTES) throw inputProblem("SC5043", shown, `${shown} is larger than ${MAX_JSON_FILE_BYTES / 1024 / 1024} MB; export JSON Lines (.jsonl), which replay streams`);
  const text = (await readFile(file, "utf8")).replace(/^\uFEFF/, "");
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    const line = position ? text.slice(0, Number(position[1])).split("\n").length : undefined;
    throw inputProblem("SC5042", shown, `not valid JSON: ${message}`, line);
  }
  const page = isRecord(data) ? data : undefined;
  const elements = Array.isArray(data) ? data : page?.object === "list" && Array.isArray(page.data) ? page.data : undefined;
  if (!elements) throw inputProblem("SC5042", shown, 'a .json input must be an array of records or a list page {"object":"list","data":[…]}', 1);
  const lines = elementLines(text);
  return elements.map((value, i) => {
    const line = lines[i] ?? 1;
    if (!isRecord(value)) throw inputProblem("SC5042", shown, `element ${i + 1} is not a JSON object`, line);
    return { values: value, line };
  });
}

/** How a file is shown in findings and the result: relative to the working folder when inside it. */
export function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative.split(path.sep).join("/") : file;
}
