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
});
