import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runReplay } from "./index.ts";
import type { LiveBackend } from "./live-backends.ts";
import { runLiveReplay } from "./live.ts";
import type { ReplayAlert, ReplayRuleSummary } from "./result.ts";
import { loadSelectedRules, sortInRuleOrder } from "./selected-rules.ts";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CHATGPT_RULE = "analytics-rules/chatgpt-enterprise/chatgpt-sso-scim-or-domain-config-changed.yaml";
const AZURE_RULE = "analytics-rules/azure-activity/arm-ai-account-key-regenerated.yaml";
const DOMAIN_CREATED = path.join(REPO, "analytics-rules/chatgpt-enterprise/fixtures/cgpt-004-domain-created.jsonl");
const FROM = new Date("2026-11-20T22:30:00Z");
const TO = new Date("2026-11-21T00:00:00Z");

/** A service whose every query answers with no rows. */
const quietService: LiveBackend = { target: "quiet", run: () => Promise.resolve({ ok: true, table: { columns: [], rows: [] } }) };

describe("loadSelectedRules", () => {
  it("prepares the named rules in file order, whatever the order they are named in", async () => {
    const selected = await loadSelectedRules(REPO, [CHATGPT_RULE, AZURE_RULE]);
    if (!("rules" in selected)) throw new Error("selection failed");
    expect(selected.files.map((f) => f.path)).toEqual([AZURE_RULE, CHATGPT_RULE]);
    expect(selected.rules.map((r) => r.file.path)).toEqual([AZURE_RULE, CHATGPT_RULE]);
    expect(selected.skipped).toEqual([]);
  });

  it("names a selection entry that matches no rule (SC5050)", async () => {
    const selected = await loadSelectedRules(REPO, ["analytics-rules/no-such-rule.yaml"]);
    if ("rules" in selected) throw new Error("a selection naming no rule was accepted");
    expect(selected.diagnostics.map((d) => [d.code, d.file])).toEqual([["SC5050", "analytics-rules/no-such-rule.yaml"]]);
  });
});

describe("sortInRuleOrder", () => {
  it("orders summaries by rule file, and alerts by run time then rule file", () => {
    const files = [{ path: "a.yaml" }, { path: "b.yaml" }] as unknown as Parameters<typeof sortInRuleOrder>[0];
    const summary = (ruleFile: string) => ({ ruleFile }) as ReplayRuleSummary;
    const alert = (ruleFile: string, runTime: string) => ({ ruleFile, runTime }) as ReplayAlert;
    const sorted = sortInRuleOrder(files, [summary("b.yaml"), summary("a.yaml")], [alert("b.yaml", "T2"), alert("b.yaml", "T1"), alert("a.yaml", "T2")]);
    expect(sorted.summaries.map((s) => s.ruleFile)).toEqual(["a.yaml", "b.yaml"]);
    expect(sorted.alerts.map((a) => `${a.runTime} ${a.ruleFile}`)).toEqual(["T1 b.yaml", "T2 a.yaml", "T2 b.yaml"]);
  });
});

describe("the offline and live replays", () => {
  it("select, prepare and order the same rules", async () => {
    const rules = [CHATGPT_RULE, AZURE_RULE];
    const offline = await runReplay({ root: REPO, inputs: [DOMAIN_CREATED], from: FROM, to: TO, rules });
    const live = await runLiveReplay({ root: REPO, from: FROM, to: TO, rules, backend: quietService });
    const shape = (s: ReplayRuleSummary) => [s.ruleFile, s.ruleId, s.ruleName, s.kind, s.useCase];
    expect(live.result.rules.map(shape)).toEqual(offline.result.rules.map(shape));
    expect(live.result.rules.map((s) => s.ruleFile)).toEqual([AZURE_RULE, CHATGPT_RULE]);
  });
});
