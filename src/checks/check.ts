import type { ContentKind } from "../content/kinds.ts";
import type { Diagnostic, DiagnosticCode } from "../diagnostics/index.ts";
import type { LoadedFile } from "../load/index.ts";

/** One content check beyond the schema: one diagnostic code, run per file, optionally finalized across files. */
export interface Check {
  /** The code of its findings (their severity is the code's, from the catalog). */
  code: DiagnosticCode;
  /** The content kinds the check applies to. */
  kinds: readonly ContentKind[];
  run(file: LoadedFile): Diagnostic[];
  /** Cross-file findings, after every file has been run (state lives in a fresh instance per run). */
  finalize?(): Diagnostic[];
}

/** Builds a fresh check instance (checks with cross-file state need one per run). */
export type CheckFactory = () => Check;
