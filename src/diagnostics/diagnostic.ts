import { codeInfo, type DiagnosticCode } from "./codes.ts";

/** How serious a finding is; only errors fail a run (warnings too under `--strict`). */
export type Severity = "error" | "warning" | "info";

/** Most findings of one code listed for one file; a hostile file with 100,000 unknown keys gets these and a count of the rest. */
export const MAX_FINDINGS_PER_CODE_AND_FILE = 1000;

/** A 1-based position in a file. */
export interface Position {
  line: number;
  col: number;
}

/** One problem found by any stage, pointing at a file, line and column. */
export interface Diagnostic {
  /** Stable code such as "SC2001"; Kusto's own codes (e.g. "KS142") pass through inside SC3 messages. */
  code: DiagnosticCode;
  severity: Severity;
  /** Repo-relative path with POSIX separators (or the path as given, for files outside the repo). */
  file: string;
  line: number;
  col: number;
  endLine?: number;
  endCol?: number;
  message: string;
  /** The underlying error's own text (an exception, a parser's or a server's message), kept apart from `message`. */
  cause?: string;
  hint?: string;
}

/** Where a diagnostic points: a file and, when known, a start (and end) position. */
export interface Location {
  file: string;
  start?: Position;
  end?: Position;
}

/** Builds a diagnostic with the catalog's severity and hint unless overridden. */
export function makeDiagnostic(
  code: DiagnosticCode,
  at: Location,
  message: string,
  extra: { hint?: string; severity?: Severity; cause?: unknown } = {},
): Diagnostic {
  const info = codeInfo(code);
  const diagnostic: Diagnostic = {
    code,
    severity: extra.severity ?? info.severity,
    file: at.file,
    line: at.start?.line ?? 1,
    col: at.start?.col ?? 1,
    message,
  };
  if (at.end) {
    diagnostic.endLine = at.end.line;
    diagnostic.endCol = at.end.col;
  }
  if (extra.cause !== undefined) diagnostic.cause = causeText(extra.cause);
  const hint = extra.hint ?? info.hint;
  if (hint) diagnostic.hint = hint;
  return diagnostic;
}

/** The text of an inner cause: an Error's message, or the value as text. */
export function causeText(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/** The message as one line of output: the message, then its inner cause when there is one. */
export function messageWithCause(diagnostic: Pick<Diagnostic, "message" | "cause">): string {
  return diagnostic.cause === undefined ? diagnostic.message : `${diagnostic.message}: ${diagnostic.cause}`;
}

/** True when any diagnostic fails the run (errors, or warnings when strict). */
export function hasFailures(diagnostics: readonly Diagnostic[], strict = false): boolean {
  return diagnostics.some((d) => d.severity === "error" || (strict && d.severity === "warning"));
}

/** Orders diagnostics by file, line, column and code, for stable output. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.code.localeCompare(b.code),
  );
}
