// End to end: replaying the fixtures of first-wave rules reproduces what their own test cases expect.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runReplay } from "./index.ts";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** First-wave rules of each source, whose cases are replayed. */
const RULES = [
  "analytics-rules/azure-activity/arm-ai-account-key-regenerated.yaml",
  "analytics-rules/azure-activity/arm-ai-content-filter-weakened.yaml",
  "analytics-rules/azure-openai/aoai-key-used-from-new-network.yaml",
  "analytics-rules/chatgpt-enterprise/chatgpt-sso-scim-or-domain-config-changed.yaml",
  "analytics-rules/chatgpt-enterprise/chatgpt-workspace-control-or-allowlist-loosened.yaml",
  "analytics-rules/openai-platform/openai-owner-or-admin-role-granted.yaml",
  "analytics-rules/openai-platform/openai-login-failures-followed-by-success.yaml",
];

interface Case {
  name: string;
  now?: string;
  timeline?: { start: string; end: string; ingestionDelay?: string };
  tables?: Record<string, string | Record<string, unknown>[] | null>;
  watchlists?: Record<string, Record<string, unknown>[] | string>;
  expect: { alert?: boolean; alerts?: number; incidents?: number; firingRuns?: string[] };
}

function csvField(value: unknown): string {
  const text = value === null || value === undefined ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

// one folder for every case's written inputs (each case in a folder of its own inside it)
const work = mkdtempSync(path.join(tmpdir(), "replay-fixtures-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A case's tables as input files (fixture files as they are, inline rows written out) with their tables, and its watchlists as CSV files. */
function caseInputs(rule: string, spec: Case): { inputs: string[]; map: Record<string, string>; watchlists: string[] } {
  const dir = mkdtempSync(path.join(work, "case-"));
  const inputs: string[] = [];
  const map: Record<string, string> = {};
  for (const [table, rows] of Object.entries(spec.tables ?? {})) {
    const file = typeof rows === "string" ? path.join(REPO, path.dirname(rule), rows) : path.join(dir, `${table}.jsonl`);
    if (typeof rows !== "string") writeFileSync(file, (rows ?? []).map((r) => JSON.stringify(r)).join("\n"));
    inputs.push(file);
    map[file] = table;
  }
  const watchlists = Object.entries(spec.watchlists ?? {}).map(([alias, rows]) => {
    const items = typeof rows === "string" ? [] : rows;
    const columns = [...new Set(items.flatMap((r) => Object.keys(r)))];
    const file = path.join(dir, `${alias}.csv`);
    writeFileSync(file, [columns.join(","), ...items.map((r) => columns.map((c) => csvField(r[c])).join(","))].join("\n"));
    return file;
  });
  return { inputs, map, watchlists };
}

const cases = RULES.flatMap((rule) => {
  const tests = parse(readFileSync(path.join(REPO, rule.replace(/\.yaml$/, ".tests.yaml")), "utf8")) as { cases: Case[] };
  // cases whose watchlists are fixture files are left to the harness; every other case is replayed
  return tests.cases.filter((c) => Object.values(c.watchlists ?? {}).every((w) => typeof w !== "string")).map((c) => [rule, c.name, c] as const);
});

describe("replaying the first-wave rules' fixtures", () => {
  it("covers several cases of every rule", () => {
    for (const rule of RULES) expect(cases.filter(([r]) => r === rule).length).toBeGreaterThanOrEqual(4);
  });

  it.each(cases)("%s: %s", async (rule, _name, spec) => {
    const { inputs, map, watchlists } = caseInputs(rule, spec);
    const from = new Date(spec.now ?? spec.timeline?.start ?? "");
    const to = new Date(spec.now ?? spec.timeline?.end ?? "");
    const { result, diagnostics } = await runReplay({ root: REPO, inputs, map, watchlists, from, to, rules: [rule], ...(spec.timeline?.ingestionDelay ? { ingestionDelay: spec.timeline.ingestionDelay } : {}) });
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(result.rules.map((r) => r.skipped ?? "ran")).toEqual(["ran"]);
    const { expect: want } = spec;
    if (want.alert !== undefined) expect(result.alerts.length > 0).toBe(want.alert);
    if (want.alerts !== undefined) expect(result.alerts.length).toBe(want.alerts);
    if (want.incidents !== undefined) expect(result.incidents.length).toBe(want.incidents);
    if (want.firingRuns !== undefined) {
      const fired = [...new Set(result.alerts.map((a) => a.runTime))];
      expect(fired).toEqual(want.firingRuns.map((t) => new Date(t).toISOString()));
    }
  }, 60_000);
});
