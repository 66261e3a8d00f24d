import type { CaseResult } from "../verdict/verdict.ts";
import { formatDiagnostic, indentBlock } from "./format-diagnostic.ts";
import type { TestReport } from "./report.ts";

const LABEL: Record<CaseResult["status"], string> = { passed: "PASS", failed: "FAIL", error: "ERROR" };
const LABEL_STYLE: Record<CaseResult["status"], Style> = { passed: "green", failed: "red", error: "red" };

/** A text style the caller may apply (colour on a terminal); plain text by default. */
export type Style = "green" | "red" | "dim" | "bold";

/** Options of the pretty report. */
export interface PrettyOptions {
  /** Also list passing cases. */
  verbose?: boolean;
  /** Applies a style to a piece of text (e.g. ANSI colour); identity by default. */
  style?: (style: Style, text: string) => string;
}

/** Human-readable report: one line per case, failures with positioned messages and table or snapshot diffs, then totals. */
export function formatPretty(report: TestReport, options: PrettyOptions = {}): string {
  const style = options.style ?? ((_: Style, text: string) => text);
  const lines: string[] = [];
  for (const result of report.results) {
    if (result.status === "passed" && !options.verbose && !result.live) continue;
    const live = result.live ? (result.live.agreed ? " [live: agrees]" : ` [live: DISAGREES${result.live.message ? `: ${result.live.message}` : ""}]`) : "";
    lines.push(`${style(LABEL_STYLE[result.status], LABEL[result.status])} ${result.testsFile} › ${result.name} (${Math.round(result.durationMs)} ms)${live}`);
    for (const failure of result.failures) {
      lines.push(formatDiagnostic(failure.diagnostic, "  "));
      if (failure.diff) lines.push(indentBlock(failure.diff, "    "));
    }
  }
  for (const diagnostic of report.diagnostics) lines.push(formatDiagnostic(diagnostic));
  for (const file of report.snapshotsWritten) lines.push(`snapshot written: ${file}`);
  const { passed, failed, errors, durationMs } = report.summary;
  const findings = report.diagnostics.filter((d) => d.severity === "error").length;
  const total = passed + failed + errors;
  const counts = `${style(passed > 0 ? "green" : "dim", `${passed} passed`)}, ${style(failed > 0 ? "red" : "dim", `${failed} failed`)}, ${style(errors > 0 ? "red" : "dim", `${errors} errors`)}`;
  lines.push(`${counts} (${total} case${total === 1 ? "" : "s"}, ${findings} other error${findings === 1 ? "" : "s"}, ${Math.round(durationMs)} ms)`);
  return lines.join("\n");
}
