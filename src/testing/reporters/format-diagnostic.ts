import type { Diagnostic } from "../../diagnostics/index.ts";

/** One diagnostic as `file:line:col severity CODE message`, with its hint on the next line. */
export function formatDiagnostic(d: Diagnostic, indent = ""): string {
  const head = `${indent}${d.file}:${d.line}:${d.col} ${d.severity} ${d.code} ${d.message}`;
  return d.hint ? `${head}\n${indent}  hint: ${d.hint}` : head;
}

/** Indents every line of a block of text. */
export function indentBlock(text: string, indent: string): string {
  return text
    .split("\n")
    .map((line) => `${indent}${line}`.trimEnd())
    .join("\n");
}
