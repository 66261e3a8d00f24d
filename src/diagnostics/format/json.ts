import type { Diagnostic } from "../diagnostic.ts";
import { summarize } from "./summary.ts";

/** Machine-readable output: `{ version: 1, files, summary, diagnostics }`, pretty-printed. */
export function formatJson(diagnostics: readonly Diagnostic[], checkedFiles: number): string {
  return `${JSON.stringify({ version: 1, files: checkedFiles, summary: summarize(diagnostics), diagnostics }, null, 2)}\n`;
}
