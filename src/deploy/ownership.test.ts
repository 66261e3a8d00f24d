import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cp, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sentinelScope } from "../build/workspace.ts";
import type { ArmClient } from "./arm-client.ts";
import { runDeployCommand, runDriftCommand, type DeployOptions } from "./deploy-command.ts";
import type { ArmEmulator } from "./emulator/arm-emulator.ts";
import { copyRepository, startEmulator, TEST_ENVIRONMENTS, TEST_TARGET } from "./test-support.ts";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const RULE_FILE = "analytics-rules/azure-openai/aoai-key-used-from-new-network.yaml";
const RULE_ID = "985d86d1-f33f-42d2-9d1f-390221f04b9b";
const TARGET = TEST_TARGET;
const ENVIRONMENTS = TEST_ENVIRONMENTS;
const SCOPE = sentinelScope(TARGET);
const RULE_RESOURCE = `${SCOPE}/alertRules/${RULE_ID}`;
const COPY_RESOURCE = `${SCOPE}/alertRules/0f0f0f0f-1111-4000-8000-000000000002`;

let root = "";
let running: { emulator: ArmEmulator; client: ArmClient } | undefined;
let output = "";
const write = (text: string) => void (output += text);

beforeEach(async () => {
  root = await copyRepository([RULE_FILE], ENVIRONMENTS, "deploy-ownership-");
  running = await startEmulator();
  output = "";
});
afterEach(async () => {
  await running?.emulator.stop();
  await rm(root, { recursive: true, force: true });
});

const deploy = (extra: Partial<DeployOptions>) => {
  output = "";
  return runDeployCommand({ env: "dev", root, format: "json", ...extra }, write, running!.client);
};
const json = () => JSON.parse(output.slice(output.indexOf("{"))) as Record<string, unknown>;
const names = (list: unknown) => (list as { name: string }[]).map((i) => i.name);
const writes = () => running!.emulator.seen.filter((s) => s.method !== "GET").length;
const removeRuleFromRepository = () => rm(path.join(root, RULE_FILE));

describe("ownership: prune deletes only what this repository deployed and still owns", () => {
  it("a portal duplicate carries our marker text but not our name: prune leaves it alone and deletes only the original", async () => {
    expect(await deploy({ apply: true })).toBe(0);
    running!.emulator.seed(COPY_RESOURCE, structuredClone(running!.emulator.resource(RULE_RESOURCE)!));
    await removeRuleFromRepository();
    expect(await deploy({ plan: true, prune: true })).toBe(0);
    expect(names(json()["leftAlone"])).toEqual(["0f0f0f0f-1111-4000-8000-000000000002"]);
    expect(await deploy({ apply: true, prune: true })).toBe(0);
    expect(running!.emulator.resource(RULE_RESOURCE)).toBeUndefined();
    expect(running!.emulator.resource(COPY_RESOURCE)).toBeDefined();
  });

  it("a hand-made rule at a GUID the repository uses is a conflict: apply refuses (SC7006) and writes nothing; prune never takes it", async () => {
    running!.emulator.seed(RULE_RESOURCE, { kind: "Scheduled", properties: { displayName: "Mine", description: "made by hand", query: "T" } });
    expect(await deploy({ plan: true })).toBe(0);
    expect(json()["conflicts"]).toMatchObject([{ name: RULE_ID, ownership: "unmarked", action: "update" }]);
    const before = writes();
    expect(await deploy({ apply: true, format: "text" })).toBe(1);
    expect(output).toContain("error SC7006");
    expect(output).toContain("! conflict alert-rule");
    expect(writes()).toBe(before);
    output = "";
    expect(await runDriftCommand({ env: "dev", root, absorb: true }, write, running!.client)).toBe(0);
    expect(await readFile(path.join(root, RULE_FILE), "utf8")).not.toContain("made by hand");
    await removeRuleFromRepository();
    expect(await deploy({ apply: true, prune: true })).toBe(0);
    expect((running!.emulator.resource(RULE_RESOURCE)!["properties"] as Record<string, unknown>)["displayName"]).toBe("Mine");
  });

  it("--adopt takes a colliding resource over; from then on it is owned like any other", async () => {
    running!.emulator.seed(RULE_RESOURCE, { kind: "Scheduled", properties: { displayName: "Mine", description: "made by hand", query: "T" } });
    expect(await deploy({ apply: true, adopt: true })).toBe(0);
    expect(String((running!.emulator.resource(RULE_RESOURCE)!["properties"] as Record<string, unknown>)["description"])).toContain(`[managed-by: sentinel-content:test-repo@${RULE_ID}]`);
    expect(await deploy({ plan: true })).toBe(0);
    expect(json()["conflicts"]).toEqual([]);
    await removeRuleFromRepository();
    expect(await deploy({ apply: true, prune: true })).toBe(0);
    expect(running!.emulator.resource(RULE_RESOURCE)).toBeUndefined();
  });

  it("a rule marked before markers were bound is listed as left alone and never pruned", async () => {
    const legacy = `${SCOPE}/alertRules/legacy-rule`;
    running!.emulator.seed(legacy, { kind: "Scheduled", properties: { displayName: "Old", description: "x\n\n[managed-by: sentinel-content:test-repo]", query: "T" } });
    expect(await deploy({ apply: true, prune: true })).toBe(0);
    expect(running!.emulator.resource(legacy)).toBeDefined();
  });
});

describe("legacy markers", () => {
  it("a rule of ours marked before markers were bound is updated in place and re-marked with the binding", async () => {
    expect(await deploy({ apply: true })).toBe(0);
    running!.emulator.edit(RULE_RESOURCE, (r) => {
      const p = r["properties"] as Record<string, unknown>;
      p["description"] = String(p["description"]).replace(`@${RULE_ID}]`, "]");
    });
    expect(await deploy({ apply: true })).toBe(0);
    expect(json()["results"]).toMatchObject([{ status: "updated" }]);
    expect(String((running!.emulator.resource(RULE_RESOURCE)!["properties"] as Record<string, unknown>)["description"])).toContain(`sentinel-content:test-repo@${RULE_ID}]`);
  });
});

describe("delete guard", () => {
  it("renaming analytics-rules/ plans every rule for deletion: apply --prune refuses (SC7007) until --allow-mass-delete", async () => {
    await rm(path.join(root, "analytics-rules"), { recursive: true });
    await cp(path.join(REPO, "analytics-rules"), path.join(root, "analytics-rules"), { recursive: true });
    expect(await deploy({ apply: true })).toBe(0);
    const rules = running!.emulator.resourceIds().filter((id) => id.includes("/alertRules/")).length;
    expect(rules).toBeGreaterThan(5);
    await rename(path.join(root, "analytics-rules"), path.join(root, "analytics-rules-old"));
    expect(await deploy({ plan: true, prune: true })).toBe(0);
    expect(json()["deleteGuard"]).toMatchObject({ deletes: rules, owned: rules, tripped: true });
    const before = writes();
    expect(await deploy({ apply: true, prune: true, format: "text" })).toBe(1);
    expect(output).toContain("error SC7007");
    expect(writes()).toBe(before);
    expect(await deploy({ apply: true, prune: true, allowMassDelete: true })).toBe(0);
    expect(running!.emulator.resourceIds().filter((id) => id.includes("/alertRules/"))).toEqual([]);
  });

  it("one orphan among many is pruned without a flag; --max-deletes 0 guards even that", async () => {
    expect(await deploy({ apply: true })).toBe(0);
    await removeRuleFromRepository();
    expect(await deploy({ apply: true, prune: true, maxDeletes: "0" })).toBe(1);
    expect(running!.emulator.resource(RULE_RESOURCE)).toBeDefined();
    expect(await deploy({ apply: true, prune: true })).toBe(0);
    expect(running!.emulator.resource(RULE_RESOURCE)).toBeUndefined();
  });
});

describe("a lost response", () => {
  it.each([
    ["a create answered 409 on retry", false],
    ["an update answered 412 on retry", true],
  ])("%s succeeds when the workspace holds exactly what was sent", async (_label, update) => {
    if (update) {
      expect(await deploy({ apply: true })).toBe(0);
      const file = path.join(root, RULE_FILE);
      await writeFile(file, (await readFile(file, "utf8")).replace("triggerThreshold: 0", "triggerThreshold: 2"));
    }
    running!.emulator.faults.push({ method: "PUT", path: "/alertRules/", status: 0, dropResponse: true, times: 1 });
    expect(await deploy({ apply: true })).toBe(0);
    expect(json()["results"]).toMatchObject([{ status: update ? "updated" : "created" }]);
    const puts = running!.emulator.seen.filter((s) => s.method === "PUT").slice(-2).map((s) => s.status);
    expect(puts).toEqual(update ? [200, 412] : [201, 409]);
  });

  it("a 409 whose live resource differs from what was sent stays a failure", async () => {
    running!.emulator.faults.push({ method: "PUT", path: "/alertRules/", status: 409, code: "Conflict", times: 1 });
    expect(await deploy({ apply: true })).toBe(1);
    expect(json()["results"]).toMatchObject([{ status: "failed", error: expect.stringMatching(/HTTP 409 Conflict/) }]);
  });
});
