import { messageWithCause, type Diagnostic, type Severity } from "../diagnostic.ts";
import { githubData, githubProperty } from "./ci-commands.ts";
import { formatSummaryLine } from "./human.ts";

const COMMAND: Record<Severity, "error" | "warning" | "notice"> = { error: "error", warning: "warning", info: "notice" };

/**
 * GitHub Actions annotations, one workflow command per finding (docs.github.com "Workflow commands for GitHub
 * Actions": `::error file=,line=,endLine=,col=,endColumn=,title=::message`), then the summary line.
 */
export function formatGithub(diagnostics: readonly Diagnostic[], checkedFiles: number): string {
  const lines = diagnostics.map(githubAnnotation);
  lines.push(formatSummaryLine(diagnostics, checkedFiles));
  return `${lines.join("\n")}\n`;
}

/** One finding as a GitHub annotation command. */
export function githubAnnotation(d: Diagnostic): string {
  const properties = [`file=${githubProperty(d.file)}`, `line=${d.line}`];
  if (d.endLine !== undefined) properties.push(`endLine=${d.endLine}`);
  properties.push(`col=${d.col}`);
  if (d.endCol !== undefined && d.endLine === d.line) properties.push(`endColumn=${d.endCol}`);
  properties.push(`title=${githubProperty(d.code)}`);
  const message = d.hint ? `${messageWithCause(d)}\n${d.hint}` : messageWithCause(d);
  return `::${COMMAND[d.severity]} ${properties.join(",")}::${githubData(message)}`;
}
