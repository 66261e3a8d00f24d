import { appendFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { messageWithCause, type Diagnostic } from "../diagnostic.ts";
import { markdownCell } from "./ci-commands.ts";
import { formatSummaryLine } from "./human.ts";
import { summarize } from "./summary.ts";
import { writeFileAtomicSync } from "../../files/write-atomic.ts";

/** At most this many findings are listed in a job summary (GitHub caps a step summary at 1 MiB). */
export const SUMMARY_ROW_LIMIT = 200;

/** A Markdown job summary of a run's findings: totals, then a table of the first SUMMARY_ROW_LIMIT findings. */
export function diagnosticsSummaryMarkdown(title: string, diagnostics: readonly Diagnostic[], checkedFiles: number): string {
  const s = summarize(diagnostics);
  const icon = s.errors > 0 ? "❌" : s.warnings > 0 ? "⚠️" : "✅";
  const out = [`### ${icon} ${markdownCell(title)}`, "", `${formatSummaryLine(diagnostics, checkedFiles)}.`];
  if (diagnostics.length > 0) {
    out.push("", "| severity | code | location | message |", "|---|---|---|---|");
    for (const d of diagnostics.slice(0, SUMMARY_ROW_LIMIT)) {
      out.push(`| ${d.severity} | ${d.code} | ${markdownCell(`${d.file}:${d.line}:${d.col}`)} | ${markdownCell(messageWithCause(d))} |`);
    }
    if (diagnostics.length > SUMMARY_ROW_LIMIT) out.push("", `…and ${diagnostics.length - SUMMARY_ROW_LIMIT} more (see the annotations or the log).`);
  }
  return `${out.join("\n")}\n`;
}

/** The CI host a summary is published to, chosen by the output format. */
export type SummaryHost = "github" | "azure-devops";

/**
 * Publishes a Markdown job summary: GitHub appends it to the file `$GITHUB_STEP_SUMMARY` names; Azure Pipelines
 * gets it written beside the agent's temp folder and attached with `##vso[task.uploadsummary]` (returned, for
 * stdout). Outside CI (no variable set) nothing is written and "" is returned.
 */
export function publishJobSummary(host: SummaryHost, name: string, markdown: string, env: NodeJS.ProcessEnv = process.env): string {
  if (host === "github") {
    const file = env["GITHUB_STEP_SUMMARY"];
    if (file) appendFileSync(file, `${markdown}\n`, "utf8");
    return "";
  }
  if (env["TF_BUILD"] === undefined) return "";
  const dir = env["AGENT_TEMPDIRECTORY"] ?? os.tmpdir();
  const file = path.join(dir, `sentinel-content-${name}-summary.md`);
  writeFileAtomicSync(file, markdown);
  return `##vso[task.uploadsummary]${file.replace(/%/g, "%AZP25").replace(/[\r\n]/g, "")}\n`;
}
