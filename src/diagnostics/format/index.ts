import { assertNever } from "../errors.ts";
import type { Diagnostic } from "../diagnostic.ts";
import { formatHuman, type SourceReader } from "./human.ts";
import { formatJson } from "./json.ts";
import { formatSarif } from "./sarif.ts";
import { formatGithub } from "./github.ts";
import { formatAzureDevops } from "./azure-devops.ts";

export { formatHuman, formatSummaryLine } from "./human.ts";
export type { HumanOptions, SourceReader } from "./human.ts";
export { formatJson } from "./json.ts";
export { formatSarif } from "./sarif.ts";
export type { SarifOptions } from "./sarif.ts";
export { summarize } from "./summary.ts";
export { formatGithub } from "./github.ts";
export { formatAzureDevops } from "./azure-devops.ts";
export { diagnosticsSummaryMarkdown, publishJobSummary } from "./job-summary.ts";
export type { Summary } from "./summary.ts";

/** Output formats of `validate --format`. */
export type OutputFormat = "human" | "json" | "sarif" | "github" | "azure-devops";

/** Every output format, for option validation. */
export const OUTPUT_FORMATS: readonly OutputFormat[] = ["human", "json", "sarif", "github", "azure-devops"];

/** Renders diagnostics in a format. */
export function formatDiagnostics(
  format: OutputFormat,
  diagnostics: readonly Diagnostic[],
  context: { checkedFiles: number; toolVersion: string; readSource?: SourceReader; codesPageUri?: string },
): string {
  switch (format) {
    case "human":
      return formatHuman(diagnostics, context.checkedFiles, context.readSource ? { readSource: context.readSource } : {});
    case "json":
      return formatJson(diagnostics, context.checkedFiles);
    case "sarif":
      return formatSarif(diagnostics, { toolVersion: context.toolVersion, ...(context.codesPageUri ? { codesPageUri: context.codesPageUri } : {}) });
    case "github":
      return formatGithub(diagnostics, context.checkedFiles);
    case "azure-devops":
      return formatAzureDevops(diagnostics, context.checkedFiles);
    default:
      return assertNever(format, "output format");
  }
}
