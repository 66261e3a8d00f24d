import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { readRuleSettings, type RuleSettings } from "./simulation/rule-settings.ts";
import type { ResultTable } from "./verdict/result-table.ts";
import type { Cell } from "./spec/values.ts";

/** Test helper: the settings of a rule document, failing loudly when the document is invalid. */
export function settingsOf(rule: Record<string, unknown>): RuleSettings {
  const result = readRuleSettings({ name: "Rule", severity: "Medium", queryFrequency: "1h", queryPeriod: "1h", triggerOperator: "gt", triggerThreshold: 0, ...rule });
  if (!result.settings) throw new Error(result.problems.map((p) => p.message).join("; "));
  return result.settings;
}

/** Test helper: a result table from row objects (columns from the first row, all typed string unless numeric). */
export function tableOf(rows: Record<string, Cell>[], columns?: string[]): ResultTable {
  const names = columns ?? Object.keys(rows[0] ?? {});
  return {
    columns: names.map((name) => ({ name, type: typeof rows[0]?.[name] === "number" ? "long" : "string" })),
    rows: rows.map((row) => names.map((n) => row[n] ?? null)),
  };
}

/**
 * Test helper: a pipeline policy (phase "Sign") that lets a client talk to an http:// loopback fake, signed with
 * `token` (the fakes' FAKE_TOKEN, from ingest/fakes/credential.ts, a stage this one does not import), and refuses any other host.
 */
export function loopbackAuth(token: string): PipelinePolicy {
  return {
    name: "loopbackAuth",
    async sendRequest(request, next) {
      if (new URL(request.url).hostname !== "127.0.0.1") throw new Error(`refusing non-loopback ${request.url}`);
      request.allowInsecureConnection = true;
      request.headers.set("authorization", `Bearer ${token}`);
      return next(request);
    },
  };
}
