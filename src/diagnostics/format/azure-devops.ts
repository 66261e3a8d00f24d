import { messageWithCause, type Diagnostic } from "../diagnostic.ts";
import { azureData, azureProperty } from "./ci-commands.ts";
import { formatSummaryLine } from "./human.ts";

/**
 * Azure Pipelines logging commands, one `task.logissue` per finding (learn.microsoft.com "Logging commands":
 * `##vso[task.logissue type=error;sourcepath=;linenumber=;columnnumber=;code=]message`; info findings, which have
 * no issue type, are plain lines), then the summary line.
 */
export function formatAzureDevops(diagnostics: readonly Diagnostic[], checkedFiles: number): string {
  const lines = diagnostics.map(azureIssue);
  lines.push(formatSummaryLine(diagnostics, checkedFiles));
  return `${lines.join("\n")}\n`;
}

/** One finding as an Azure Pipelines logging command (info: an ordinary log line with the same location). */
export function azureIssue(d: Diagnostic): string {
  const message = d.hint ? `${messageWithCause(d)}\n${d.hint}` : messageWithCause(d);
  // a plain line is scanned for `##vso[` anywhere, so the marker is broken up in it
  if (d.severity === "info") return azureData(`${d.file}:${d.line}:${d.col} info ${d.code} ${message}`).replace(/##vso\[/gi, "##vso\u2060[");
  const properties = [`type=${d.severity}`, `sourcepath=${azureProperty(d.file)}`, `linenumber=${d.line}`, `columnnumber=${d.col}`, `code=${azureProperty(d.code)}`];
  return `##vso[task.logissue ${properties.join(";")};]${azureData(message)}`;
}
