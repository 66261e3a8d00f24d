import { Lexer } from "yaml";
import { CODES } from "../diagnostics/codes.ts";
import { makeDiagnostic, type Diagnostic, type DiagnosticCode } from "../diagnostics/index.ts";
import type { LoadedFile } from "../load/index.ts";

/** `# sentinel-content-disable[-file] SC2103, SC2121: reason` (the reason is required). */
const DIRECTIVE = /^#\s*sentinel-content-disable(-file)?\b\s*(.*)$/;
/** Lexer tokens that mark structure without taking any source characters (document start, scalar, flow error end). */
const MARKERS = new Set(["\u0002", "\u001f", "\u0018"]);

/** One suppression comment: the codes it silences, on which line (undefined: the whole file), and where it is written. */
export interface Suppression {
  file: string;
  codes: DiagnosticCode[];
  /** The line whose findings it silences; undefined for `-file`. */
  line?: number;
  /** Where the comment is (for SC9004 and SC9002). */
  at: { line: number; col: number };
  used: boolean;
}

/** The suppression comments of a file (only real YAML comments: a `#` inside a block scalar such as a query is text) and their own findings. */
export function suppressionsOf(file: LoadedFile): { suppressions: Suppression[]; diagnostics: Diagnostic[] } {
  const suppressions: Suppression[] = [];
  const diagnostics: Diagnostic[] = [];
  // only a comment holding the directive's word can be one: most files are never lexed
  if (!file.text.includes("sentinel-content-disable")) return { suppressions, diagnostics };
  const lines = file.text.split("\n");
  let offset = 0;
  for (const token of new Lexer().lex(file.text)) {
    if (MARKERS.has(token)) continue;
    const start = offset;
    offset += token.length;
    const match = token.startsWith("#") ? DIRECTIVE.exec(token.trimEnd()) : null;
    if (!match) continue;
    const at = file.lineCounter.linePos(start);
    const parsed = parseDirective(match[2] ?? "");
    const where = { file: file.path, start: { line: at.line, col: at.col } };
    if (parsed.reason === "") {
      diagnostics.push(makeDiagnostic("SC9002", where, "a suppression needs a reason after the codes (`: why`); it is not applied"));
      continue;
    }
    const unknown = parsed.codes.filter((code) => !(code in CODES));
    for (const code of unknown) diagnostics.push(makeDiagnostic("SC9003", where, `${JSON.stringify(code)} is not a diagnostic code`));
    const codes = parsed.codes.filter((code): code is DiagnosticCode => code in CODES);
    if (codes.length === 0) continue;
    const trailing = (lines[at.line - 1] ?? "").slice(0, at.col - 1).trim() !== "";
    const line = match[1] ? undefined : trailing ? at.line : nextContentLine(lines, at.line);
    suppressions.push({ file: file.path, codes, ...(line === undefined ? {} : { line }), at: { line: at.line, col: at.col }, used: false });
  }
  return { suppressions, diagnostics };
}

function parseDirective(rest: string): { codes: string[]; reason: string } {
  const colon = rest.indexOf(":");
  const codesText = colon < 0 ? rest : rest.slice(0, colon);
  const reason = colon < 0 ? "" : rest.slice(colon + 1).trim();
  return { codes: codesText.split(/[\s,]+/).filter((c) => c !== ""), reason };
}

/** The first line after `line` that is neither blank nor a comment (1-based). */
function nextContentLine(lines: readonly string[], line: number): number {
  for (let n = line + 1; n <= lines.length; n++) {
    const text = (lines[n - 1] ?? "").trim();
    if (text !== "" && !text.startsWith("#")) return n;
  }
  return line + 1;
}

/**
 * Drops the findings the files' suppression comments silence; adds the comments' own findings (no reason, unknown
 * code, matching nothing). Suppression findings themselves cannot be suppressed.
 */
export function applySuppressions(
  diagnostics: readonly Diagnostic[],
  files: readonly LoadedFile[],
  /** Whether this run can produce findings of a code (a --no-kql run cannot judge a suppression of an SC3xxx code as unused). */
  ran: (code: DiagnosticCode) => boolean = () => true,
): { diagnostics: Diagnostic[]; suppressed: number } {
  const byFile = new Map<string, Suppression[]>();
  const own: Diagnostic[] = [];
  for (const file of files) {
    const found = suppressionsOf(file);
    own.push(...found.diagnostics);
    if (found.suppressions.length > 0) byFile.set(file.path, found.suppressions);
  }
  let suppressed = 0;
  const kept = diagnostics.filter((d) => {
    const match = byFile.get(d.file)?.find((s) => s.codes.includes(d.code) && (s.line === undefined || s.line === d.line));
    if (!match) return true;
    match.used = true;
    suppressed++;
    return false;
  });
  for (const list of byFile.values()) {
    for (const s of list.filter((x) => !x.used && x.codes.every(ran))) {
      own.push(makeDiagnostic("SC9004", { file: s.file, start: s.at }, `no ${s.codes.join(", ")} finding ${s.line === undefined ? "in this file" : `on line ${s.line}`} to suppress`));
    }
  }
  return { diagnostics: [...kept, ...own], suppressed };
}
