import type { CaseResult } from "../verdict/verdict.ts";
import type { TestReport } from "./report.ts";
import type { Diagnostic } from "../../diagnostics/index.ts";
import { azureIssue } from "../../diagnostics/format/azure-devops.ts";
import { markdownCell } from "../../diagnostics/format/ci-commands.ts";
import { githubAnnotation } from "../../diagnostics/format/github.ts";
import { SUMMARY_ROW_LIMIT } from "../../diagnostics/format/job-summary.ts";

/** The CI hosts `test --format` can annotate for. */
export type CiHost = "github" | "azure-devops";

/**
 * CI annotations for a test run: one per failure of a failing case (pointing at the failure's file and line, the
 * case name first in the message) and one per finding outside cases, then the totals line.
 */
export function formatCi(host: CiHost, report: TestReport): string {
  const lines: string[] = [];
  for (const result of report.results) {
    for (const failure of result.failures) lines.push(annotateOne(host, inCase(failure.diagnostic, result)));
  }
  for (const d of report.diagnostics) lines.push(annotateOne(host, d));
  lines.push(testTotalsLine(report));
  return lines.join("\n");
}

function inCase(d: Diagnostic, result: CaseResult): Diagnostic {
  return { ...d, message: `${result.name}: ${d.message}` };
}

function annotateOne(host: CiHost, d: Diagnostic): string {
  return host === "github" ? githubAnnotation(d) : azureIssue(d);
}

/** The one-line totals of a test run (`3 passed, 1 failed, 0 errors`). */
export function testTotalsLine(report: TestReport): string {
  const { passed, failed, errors } = report.summary;
  return `${passed} passed, ${failed} failed, ${errors} errors`;
}

/** A Markdown job summary of a test run: totals, then a table of the failing cases (first SUMMARY_ROW_LIMIT). */
export function testSummaryMarkdown(report: TestReport): string {
  const { passed, failed, errors, durationMs } = report.summary;
  const findings = report.diagnostics.filter((d) => d.severity === "error");
  const bad = report.results.filter((r) => r.status !== "passed");
  const icon = bad.length + findings.length > 0 ? "❌" : "✅";
  const out = [`### ${icon} sentinel-content test`, "", `| passed | failed | errors | other errors | time |`, "|---:|---:|---:|---:|---:|", `| ${passed} | ${failed} | ${errors} | ${findings.length} | ${(durationMs / 1000).toFixed(1)} s |`];
  if (bad.length + findings.length > 0) {
    out.push("", "| status | case | location | first failure |", "|---|---|---|---|");
    const rows = [
      ...bad.map((r) => [r.status, r.name, `${r.testsFile}:${r.line}`, r.failures[0] ? `${r.failures[0].diagnostic.code} ${r.failures[0].diagnostic.message}` : ""]),
      ...findings.map((d) => ["error", "(outside cases)", `${d.file}:${d.line}:${d.col}`, `${d.code} ${d.message}`]),
    ];
    for (const [status, name, where, first] of rows.slice(0, SUMMARY_ROW_LIMIT)) {
      out.push(`| ${status} | ${markdownCell(name ?? "")} | ${markdownCell(where ?? "")} | ${markdownCell(first ?? "")} |`);
    }
    if (rows.length > SUMMARY_ROW_LIMIT) out.push("", `…and ${rows.length - SUMMARY_ROW_LIMIT} more (see the annotations or the log).`);
  }
  return `${out.join("\n")}\n`;
}
