import { messageWithCause, type Diagnostic } from "../diagnostic.ts";
import { summarize } from "./summary.ts";

/** Returns a file's text for code frames (undefined when it cannot be shown). */
export type SourceReader = (file: string) => string | undefined;

/** Options of the human formatter. */
export interface HumanOptions {
  readSource?: SourceReader;
  /** Lines of context above and below the finding. */
  context?: number;
}

/** `file:line:col severity code message`, a code frame with a caret under the position, and the hint; then a summary line. */
export function formatHuman(diagnostics: readonly Diagnostic[], checkedFiles: number, options: HumanOptions = {}): string {
  const cache = new Map<string, string[] | undefined>();
  const linesOf = (file: string): string[] | undefined => {
    if (!cache.has(file)) cache.set(file, options.readSource?.(file)?.split(/\r?\n/));
    return cache.get(file);
  };
  const blocks = diagnostics.map((d) => formatOne(d, linesOf(d.file), options.context ?? 1));
  return [...blocks, formatSummaryLine(diagnostics, checkedFiles)].join("\n\n") + "\n";
}

function formatOne(d: Diagnostic, lines: string[] | undefined, context: number): string {
  const out = [`${escapeControl(d.file)}:${d.line}:${d.col} ${d.severity} ${d.code} ${escapeControl(messageWithCause(d))}`];
  if (lines && d.line >= 1 && d.line <= lines.length) out.push(codeFrame(d, lines, context));
  if (d.hint) out.push(`  hint: ${escapeControl(d.hint)}`);
  return out.join("\n");
}

/**
 * Control characters (C0, DEL, C1, line separators) as visible escapes (`\n`, `\x1b`, `\u2028`), so a
 * file name, key or value cannot start a new line (a CI workflow command such as `::error`) or send terminal escapes.
 */
export function escapeControl(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    if (c === "\t") return "\\t";
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

function codeFrame(d: Diagnostic, lines: string[], context: number): string {
  const first = Math.max(1, d.line - context);
  const last = Math.min(lines.length, d.line + context);
  const width = String(last).length;
  const frame: string[] = [];
  for (let n = first; n <= last; n++) {
    // one character per column: tabs become spaces, control characters (binary files) a replacement mark
    const text = (lines[n - 1] ?? "").replace(/\t/g, " ").replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, "\ufffd");
    frame.push(`${n === d.line ? ">" : " "} ${String(n).padStart(width)} | ${text}`);
    if (n === d.line) frame.push(`  ${" ".repeat(width)} | ${" ".repeat(Math.max(0, d.col - 1))}${"^".repeat(caretWidth(d, text))}`);
  }
  return frame.join("\n");
}

function caretWidth(d: Diagnostic, text: string): number {
  if (d.endLine !== d.line || d.endCol === undefined || d.endCol <= d.col) return 1;
  return Math.max(1, Math.min(d.endCol, text.length + 1) - d.col);
}

/** One closing line: "2 errors, 1 warning in 1 of 5 files" or "no problems in 5 files". */
export function formatSummaryLine(diagnostics: readonly Diagnostic[], checkedFiles: number): string {
  const s = summarize(diagnostics);
  const files = `${checkedFiles} file${checkedFiles === 1 ? "" : "s"}`;
  if (s.errors + s.warnings + s.infos === 0) return `no problems in ${files}`;
  const parts = [plural(s.errors, "error"), plural(s.warnings, "warning"), ...(s.infos ? [plural(s.infos, "info")] : [])];
  return `${parts.join(", ")} in ${s.files} of ${files}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
