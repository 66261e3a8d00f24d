import type { Diagnostic } from "../diagnostic.ts";

/** Counts of a run's findings. */
export interface Summary {
  errors: number;
  warnings: number;
  infos: number;
  /** Files with at least one finding. */
  files: number;
}

/** Counts diagnostics by severity and the files they touch. */
export function summarize(diagnostics: readonly Diagnostic[]): Summary {
  return {
    errors: diagnostics.filter((d) => d.severity === "error").length,
    warnings: diagnostics.filter((d) => d.severity === "warning").length,
    infos: diagnostics.filter((d) => d.severity === "info").length,
    files: new Set(diagnostics.map((d) => d.file)).size,
  };
}
