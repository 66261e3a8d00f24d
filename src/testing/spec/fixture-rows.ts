import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { makeDiagnostic, type Diagnostic, type Location } from "../../diagnostics/index.ts";
import { locate, locateKey, rootOfLoaded, staysWithin, type LoadedFile } from "../../load/index.ts";
import { parseRowFile, rowFileFormat, type RowFileFormat } from "../../load/row-file.ts";
import type { RowSource } from "./case-spec.ts";

/** One fixture row before typing: its values by column and where each value is written. */
export interface RawRow {
  values: Record<string, unknown>;
  /** Where the row (no column) or one of its values is. */
  at(column?: string): Location;
}

/** The key by which a fixture row opts out of named profile invariants, with a written reason; never a column. */
export const PROFILE_EXCEPTION_KEY = "$profileException";

/**
 * Largest fixture file read, in bytes, by file type: raw exports (JSON Lines, CSV) may hold a day of a source's
 * events; a .json array is parsed whole as a document (with positions), so it is kept smaller. Content files
 * (YAML) have their own, smaller limit (load/decode.ts).
 */
const MAX_FIXTURE_BYTES: Readonly<Record<RowFileFormat, number>> = {
  jsonl: 64 * 1024 * 1024,
  csv: 64 * 1024 * 1024,
  json: 16 * 1024 * 1024,
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
  const extension = path.extname(relative).toLowerCase();
  const format = rowFileFormat(extension);
  let text: string;
  try {
    // size and type from the file system first: a huge file or a FIFO is never opened
    const info = statSync(fixturePath);
    if (!info.isFile()) return fail(`fixture ${shown} is not a regular file`);
    if (!format) return fail(`fixture file ${shown} must end in .jsonl, .ndjson, .json or .csv`);
    const limit = MAX_FIXTURE_BYTES[format];
    if (info.size > limit) return fail(`fixture file ${shown} is larger than the ${limit / 1024 / 1024} MB allowed for ${extension} fixtures`);
    const bytes = readFileSync(fixturePath);
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    return fail(`cannot read ${shown}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return readFileRows(text, format, shown);
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
    });
  });
  return { rows, diagnostics };
}

function lineLocation(file: string, line: number, col = 1): Location {
  return { file, start: { line, col } };
}

/** The rows of a fixture file's text, each value located in the file; read problems as SC5005 findings. */
function readFileRows(text: string, format: RowFileFormat, file: string): { rows: RawRow[]; diagnostics: Diagnostic[] } {
  const parsed = parseRowFile(text, format);
  const rows = parsed.rows.map((row): RawRow => ({
    values: row.values,
    at: (column) => {
      if (column === undefined) return lineLocation(file, row.line);
      const { line, col } = row.positionOf(column);
      return lineLocation(file, line, col);
    },
  }));
  return { rows, diagnostics: parsed.problems.map((p) => makeDiagnostic("SC5005", lineLocation(file, p.line, p.col), p.message)) };
}
