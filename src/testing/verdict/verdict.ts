import type { ContentKind } from "../../content/kinds.ts";
import type { Diagnostic } from "../../diagnostics/index.ts";

/** passed: every expectation held; failed: some did not; error: the case could not run (bad fixture, engine error). */
export type CaseStatus = "passed" | "failed" | "error";

/** Why a case did not pass: a positioned diagnostic plus, when useful, a table or snapshot diff. */
export interface Failure {
  diagnostic: Diagnostic;
  diff?: string;
}

/** The verdict of one case: data, never an exception. */
export interface CaseResult {
  testsFile: string;
  target: string;
  kind: ContentKind;
  name: string;
  /** Line of the case in the tests file. */
  line: number;
  status: CaseStatus;
  failures: Failure[];
  durationMs: number;
  /** Live-workspace comparison, when run with --live. */
  live?: { agreed: boolean; message?: string };
}

/** The status of a case from its failures: error when any is not a failed expectation (SC5001/SC5008/SC5009). */
export function statusOf(failures: readonly Failure[]): CaseStatus {
  if (failures.length === 0) return "passed";
  const expectationCodes = new Set(["SC5001", "SC5008", "SC5009"]);
  return failures.every((f) => expectationCodes.has(f.diagnostic.code)) ? "failed" : "error";
}

/** Totals over a run. */
export interface RunSummary {
  passed: number;
  failed: number;
  errors: number;
  durationMs: number;
}

/** Counts the verdicts of a run. */
export function summarize(results: readonly CaseResult[], durationMs: number): RunSummary {
  return {
    passed: results.filter((r) => r.status === "passed").length,
    failed: results.filter((r) => r.status === "failed").length,
    errors: results.filter((r) => r.status === "error").length,
    durationMs,
  };
}
