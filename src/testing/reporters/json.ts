import type { TestReport } from "./report.ts";

/** Machine-readable report: summary, every case with its failures, and the findings outside cases. */
export function formatJson(report: TestReport): string {
  return JSON.stringify(
    {
      summary: report.summary,
      cases: report.results.map((r) => ({
        testsFile: r.testsFile,
        target: r.target,
        kind: r.kind,
        name: r.name,
        line: r.line,
        status: r.status,
        durationMs: Math.round(r.durationMs * 100) / 100,
        failures: r.failures.map((f) => ({ ...f.diagnostic, ...(f.diff ? { diff: f.diff } : {}) })),
        ...(r.live ? { live: r.live } : {}),
      })),
      diagnostics: report.diagnostics,
      snapshotsWritten: report.snapshotsWritten,
    },
    null,
    2,
  );
}
