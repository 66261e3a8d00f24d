import { afterEach, describe, expect, it } from "vitest";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildContent, deployableItems } from "../build/build-content.ts";
import { TIER_OF } from "../build/api-versions.ts";
import type { WorkspaceTarget } from "../build/workspace.ts";
import { loadContentTree } from "../load/index.ts";
import { applyPlan } from "./apply.ts";
import type { ArmEmulator } from "./emulator/arm-emulator.ts";
import { planDeployment, summarizePlan } from "./plan.ts";
import { startEmulator } from "./test-support.ts";
import type { ArmClient } from "./arm-client.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const TARGET: WorkspaceTarget = { subscriptionId: "11111111-1111-1111-1111-111111111111", resourceGroup: "rg-sec", workspaceName: "law-sec", location: "westeurope" };
const REPO = "genai-sentinel-content";

let running: { emulator: ArmEmulator; client: ArmClient } | undefined;
afterEach(async () => {
  await running?.emulator.stop();
  running = undefined;
});

async function repoResources() {
  const { files } = await loadContentTree(ROOT);
  const built = buildContent(deployableItems(files), { target: TARGET, repository: REPO });
  expect(built.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return built.resources;
}

describe("plan and apply against the loopback emulator", () => {
  it("creates everything in tier order, then a second apply is all no-ops", async () => {
    running = await startEmulator({ pageSize: 7 });
    const { emulator, client } = running;
    const resources = await repoResources();
    const first = await planDeployment({ client, target: TARGET, resources, repository: REPO, prune: false });
    expect(summarizePlan(first)).toMatchObject({ create: resources.length, update: 0, noop: 0 });
    const results = await applyPlan(first, { client, concurrency: 4 });
    expect(results.filter((r) => r.status !== "created")).toEqual([]);
    const puts = emulator.seen.filter((s) => s.method === "PUT" && s.status < 300);
    const tiers = puts.map((p) => TIER_OF[resources.find((r) => r.resourceId === p.path)!.kind]);
    expect(tiers).toEqual([...tiers].sort((a, b) => a - b));
    const second = await planDeployment({ client, target: TARGET, resources, repository: REPO, prune: true });
    expect(second.items.filter((i) => i.action !== "noop").map((i) => [i.key, i.changes])).toEqual([]);
  });

  it("reads NRT rules and non-sentinel workbooks one by one, so they are no-ops after apply", async () => {
    running = await startEmulator();
    const { client } = running;
    const { buildAlertRule } = await import("../build/alert-rule.ts");
    const { buildWorkbook } = await import("../build/workbook.ts");
    const at = () => ({ file: "x.yaml" });
    const context = { target: TARGET, repository: REPO };
    const resources = [
      ...buildAlertRule({ id: "6d7e3c52-1f7a-4b2b-9d0e-5b0c6e7a1f10", name: "N", description: "d", severity: "Low", query: "T", kind: "NRT", relevantTechniques: ["T1078.004"] }, "n.yaml", at, context).resources,
      ...buildWorkbook({ id: "w1", displayName: "W", category: "workbook", content: { version: "Notebook/1.0", items: [] } }, "w.yaml", at, context).resources,
    ];
    await applyPlan(await planDeployment({ client, target: TARGET, resources, repository: REPO, prune: false }), { client });
    const again = await planDeployment({ client, target: TARGET, resources, repository: REPO, prune: false });
    expect(again.items.map((i) => i.action)).toEqual(["noop", "noop"]);
  });
});
