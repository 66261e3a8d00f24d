import type { Diagnostic } from "../../diagnostics/index.ts";
import type { CaseResult, RunSummary } from "../verdict/verdict.ts";

/** Everything a reporter prints: the case verdicts, the findings outside cases, and the totals. */
export interface TestReport {
  results: CaseResult[];
  diagnostics: Diagnostic[];
  summary: RunSummary;
  /** Snapshot files written by --update-snapshots. */
  snapshotsWritten: string[];
}
