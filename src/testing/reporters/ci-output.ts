import { formatCi, testSummaryMarkdown, type CiHost } from "./ci.ts";
import type { TestReport } from "./report.ts";
import { publishJobSummary } from "../../diagnostics/format/job-summary.ts";

/** `test --format github|azure-devops`: the annotations, with the Markdown job summary published to the host. */
export function formatCiWithSummary(host: CiHost, report: TestReport, env: NodeJS.ProcessEnv = process.env): string {
  const upload = publishJobSummary(host, "test", testSummaryMarkdown(report), env);
  return `${formatCi(host, report)}${upload ? `\n${upload.trimEnd()}` : ""}`;
}
