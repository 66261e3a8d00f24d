import type { CaseResult } from "../verdict/verdict.ts";
import { formatDiagnostic } from "./format-diagnostic.ts";
import type { TestReport } from "./report.ts";

function escapeXml(text: string): string {
  return (
    text
      // characters XML 1.0 cannot hold at all
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "\ufffd")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
  );
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function testcase(result: CaseResult): string {
  const open = `    <testcase classname="${escapeXml(result.target)}" name="${escapeXml(result.name)}" file="${escapeXml(result.testsFile)}" line="${result.line}" time="${seconds(result.durationMs)}"`;
  if (result.status === "passed") return `${open}/>`;
  const tag = result.status === "failed" ? "failure" : "error";
  const first = result.failures[0]?.diagnostic;
  const body = result.failures.map((f) => [formatDiagnostic(f.diagnostic), f.diff ?? ""].join("\n")).join("\n\n");
  return `${open}>\n      <${tag} message="${escapeXml(first ? `${first.code} ${first.message}` : result.status)}" type="${first?.code ?? result.status}">${escapeXml(body)}</${tag}>\n    </testcase>`;
}

/** JUnit XML for CI: one testsuite per tests file, one testcase per case; findings outside cases form their own suite. */
export function formatJunit(report: TestReport): string {
  const suites = new Map<string, CaseResult[]>();
  for (const result of report.results) suites.set(result.testsFile, [...(suites.get(result.testsFile) ?? []), result]);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const { passed, failed, errors } = report.summary;
  const findings = report.diagnostics.filter((d) => d.severity === "error");
  out.push(`<testsuites name="sentinel-content test" tests="${passed + failed + errors + findings.length}" failures="${failed}" errors="${errors + findings.length}" time="${seconds(report.summary.durationMs)}">`);
  for (const [file, results] of suites) {
    const time = results.reduce((t, r) => t + r.durationMs, 0);
    const count = (s: CaseResult["status"]) => results.filter((r) => r.status === s).length;
    out.push(`  <testsuite name="${escapeXml(file)}" tests="${results.length}" failures="${count("failed")}" errors="${count("error")}" time="${seconds(time)}">`);
    out.push(...results.map(testcase));
    out.push("  </testsuite>");
  }
  if (findings.length > 0) {
    out.push(`  <testsuite name="content findings" tests="${findings.length}" failures="0" errors="${findings.length}">`);
    for (const d of findings) {
      out.push(`    <testcase classname="${escapeXml(d.file)}" name="${escapeXml(`${d.code} line ${d.line}`)}"><error message="${escapeXml(d.message)}" type="${d.code}">${escapeXml(formatDiagnostic(d))}</error></testcase>`);
    }
    out.push("  </testsuite>");
  }
  out.push("</testsuites>");
  return out.join("\n");
}
