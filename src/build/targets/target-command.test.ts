import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTarget, runTargetCommand } from "./target-command.ts";
import { runImportArm } from "../../import/import-command.ts";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
let root: string;

/** A small repository: one rule, the parser it calls, one watchlist. */
beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "targets-"));
  mkdirSync(path.join(root, "analytics-rules/azure-activity"), { recursive: true });
  mkdirSync(path.join(root, "parsers"));
  mkdirSync(path.join(root, "watchlists"));
  cpSync(path.join(repo, "analytics-rules/azure-activity/arm-ai-content-filter-weakened.yaml"), path.join(root, "analytics-rules/azure-activity/arm-ai-content-filter-weakened.yaml"));
  cpSync(path.join(repo, "parsers/genai-ai-control-plane.yaml"), path.join(root, "parsers/genai-ai-control-plane.yaml"));
  cpSync(path.join(repo, "watchlists/ai-admins.yaml"), path.join(root, "watchlists/ai-admins.yaml"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("build --target (end to end)", () => {
  it.each([
    ["arm", ["azuredeploy.json"], "arm: built 3 items"],
    ["repositories", ["AnalyticsRules/arm-ai-content-filter-weakened.json", "Parsers/genai-ai-control-plane.json", "sentinel-deployment.config"], "repositories: built 2 items"],
    ["bicep", ["AnalyticsRules/arm-ai-content-filter-weakened.bicep", "Parsers/genai-ai-control-plane.bicep"], "bicep: built 2 items"],
    ["terraform", ["sentinel.tf.json"], "terraform: built 3 items"],
    ["content-hub", ["content-hub/Data/Solution_GenerativeAISecurity.json", "content-hub/Analytic Rules/arm-ai-content-filter-weakened.yaml"], "content-hub: built 3 items"],
    ["defender", ["defender/manifest.json"], "defender: built 0 items"],
  ])("%s writes its files and prints what it built", async (target, files, summary) => {
    const out = path.join(root, "out");
    const lines: string[] = [];
    expect(await runTargetCommand({ target, root, out }, (t) => lines.push(t))).toBe(0);
    for (const file of files) expect(existsSync(path.join(out, target, file)), file).toBe(true);
    expect(lines.join("")).toContain(summary);
  });
  it("repositories lists the watchlist as not expressible, with where to deploy it instead", async () => {
    const lines: string[] = [];
    await runTargetCommand({ target: "repositories", root, out: path.join(root, "out") }, (t) => lines.push(t));
    expect(lines.join("")).toMatch(/watchlist\/aiadmins: Sentinel Repositories does not deploy watchlists; deploy them with `sentinel-content deploy`/);
  });
  it("the defender reasons come from the query's real result columns", async () => {
    const lines: string[] = [];
    await runTargetCommand({ target: "defender", root, out: path.join(root, "out") }, (t) => lines.push(t));
    expect(lines.join("")).toMatch(/arm-ai-content-filter-weakened\.yaml: queryFrequency 15m: .*the results lack Timestamp and ReportId/);
  });
  it("what build --target arm wrote imports back to the same YAML", async () => {
    const out = path.join(root, "out");
    await runTargetCommand({ target: "arm", root, out }, () => {});
    const imported = path.join(root, "imported");
    expect(await runImportArm([path.join(out, "arm/azuredeploy.json")], { out: imported }, () => {})).toBe(0);
    const { parse } = await import("yaml");
    const original = parse(readFileSync(path.join(root, "analytics-rules/azure-activity/arm-ai-content-filter-weakened.yaml"), "utf8"));
    const back = parse(readFileSync(path.join(imported, "analytics-rules/imported", `${original.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "")}.yaml`), "utf8"));
    expect(back).toEqual(original);
  });
  it("content holding the marker characters is SC6013 and nothing is written", async () => {
    const bad = mkdtempSync(path.join(os.tmpdir(), "targets-bad-"));
    try {
      mkdirSync(path.join(bad, "watchlists"));
      writeFileSync(path.join(bad, "watchlists/w.yaml"), readFileSync(path.join(repo, "watchlists/ai-admins.yaml"), "utf8").replace("displayName: AI platform administrators", "displayName: \"AI \\ue000admins\""));
      const lines: string[] = [];
      expect(await runTargetCommand({ target: "arm", root: bad, out: path.join(bad, "out") }, (t) => lines.push(t))).toBe(1);
      expect(lines.join("")).toContain("SC6013");
      expect(existsSync(path.join(bad, "out"))).toBe(false);
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });
  it("--env applies the environment's overlays but bakes in none of its workspace coordinates", async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), "targets-env-"));
    try {
      expect(await runTargetCommand({ target: "arm", root: repo, env: "prod", environments: path.join(repo, "environments.example.yaml"), out }, () => {})).toBe(0);
      const template = readFileSync(path.join(out, "arm/azuredeploy.json"), "utf8");
      expect(template).not.toMatch(/law-sentinel-prod|rg-sentinel-prod|westeurope/);
      const rules = (JSON.parse(template) as { resources: { properties?: { displayName?: string; severity?: string } }[] }).resources;
      expect(rules.find((r) => r.properties?.displayName === "Azure OpenAI usage spike vs caller baseline")?.properties?.severity).toBe("High");
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
  it("an unknown target is a usage error", () => {
    expect(() => parseTarget("cloudformation")).toThrow(/--target must be one of arm, repositories, bicep, terraform, defender, content-hub/);
  });
});
