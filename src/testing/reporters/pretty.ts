import type { CaseResult } from "../verdict.ts";
import { formatDiagnostic, indentBlock } from "./format-diagnostic.ts";
import type { TestReport } from "./report.ts";

const LABEL: Record<CaseResult["status"], string> = { passed: "PASS", failed: "FAIL", error: "ERROR" };

/** Human-readable report: one line per case, failures with positioned messages and table or snapshot diffs, then totals. */
export function formatPretty(report: TestReport, options: { verbose?: boolean } = {}): string {
  const lines: string[] = [];
  for (const result of report.results) {
    if (result.status === "passed" && !options.verbose && !result.live) continue;
    const live = result.live ? (result.live.agreed ? " [live: agrees]" : ` [live: DISAGREES${result.live.message ? `: ${result.live.message}` : ""}]`) : "";
    lines.push(`${LABEL[result.status]} ${result.testsFile} › ${result.name} (${Math.round(result.durationMs)} ms)${live}`);
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
  lines.push(`${passed} passed, ${failed} failed, ${errors} errors (${total} case${total === 1 ? "" : "s"}, ${findings} other error${findings === 1 ? "" : "s"}, ${Math.round(durationMs)} ms)`);
  return lines.join("\n");
}
