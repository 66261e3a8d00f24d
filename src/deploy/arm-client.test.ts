import { afterEach, describe, expect, it } from "vitest";
import { MAX_RETRY_AFTER_MS, createArmClient, retryAfterMs, type ArmClient } from "./arm-client.ts";
import type { ArmEmulator } from "./emulator/arm-emulator.ts";
import { fakeCredential } from "../ingest/fakes/credential.ts";
import { startEmulator } from "./test-support.ts";

const WS = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/w";
const RULE = `${WS}/providers/Microsoft.SecurityInsights/alertRules/r1`;
const ruleBody = { kind: "Scheduled", properties: { displayName: "r1", query: "T" } };

let running: { emulator: ArmEmulator; client: ArmClient } | undefined;
afterEach(async () => {
  await running?.emulator.stop();
  running = undefined;
});

describe("ARM client against the loopback emulator", () => {
  it("sends the bearer token and the pinned api-version, and reads back what it wrote", async () => {
    running = await startEmulator();
    const { emulator, client } = running;
    const created = await client.put(RULE, "2025-09-01", ruleBody);
    expect(created["etag"]).toMatch(/^W\/"\d+"$/);
    expect(emulator.seen[0]).toMatchObject({ method: "PUT", apiVersion: "2025-09-01", authorization: "Bearer fake-token", status: 201 });
    expect(await client.get(RULE, "2025-09-01")).toMatchObject({ name: "r1", kind: "Scheduled" });
    expect(await client.get(`${RULE}x`, "2025-09-01")).toBeUndefined();
  });

  it("retries 429 honouring Retry-After, then 500 with backoff, and succeeds", async () => {
    const { ArmEmulator: Emulator } = await import("./emulator/arm-emulator.ts");
    const emulator = new Emulator();
    const sleeps: number[] = [];
    const endpoint = await emulator.start();
    running = { emulator, client: createArmClient({ credential: fakeCredential, endpoint, insecureLoopback: true, baseDelayMs: 100, sleep: async (ms) => void sleeps.push(ms) }) };
    emulator.faults.push({ path: "/alertRules/r1", status: 429, retryAfter: "7", times: 1 }, { path: "/alertRules/r1", status: 503, times: 2 });
    await running.client.put(RULE, "2025-09-01", ruleBody);
    expect(sleeps).toEqual([7000, 200, 400]);
    expect(running.client.requestCount).toBe(4);
  });

  it("caps a Retry-After of an hour at MAX_RETRY_AFTER_MS, on retries and on polls", async () => {
    const { ArmEmulator: Emulator } = await import("./emulator/arm-emulator.ts");
    const emulator = new Emulator();
    const sleeps: number[] = [];
    const endpoint = await emulator.start();
    running = { emulator, client: createArmClient({ credential: fakeCredential, endpoint, insecureLoopback: true, sleep: async (ms) => void sleeps.push(ms) }) };
    emulator.faults.push({ path: "/alertRules/r1", status: 429, retryAfter: "3600", times: 1 }, { path: "/alertRules/r1", status: 503, retryAfter: "Fri, 31 Dec 2100 23:59:59 GMT", times: 1 });
    await running.client.put(RULE, "2025-09-01", ruleBody);
    expect(sleeps).toEqual([MAX_RETRY_AFTER_MS, MAX_RETRY_AFTER_MS]);
  });

  it("gives up after maxAttempts with ARM's code and message, never the token", async () => {
    running = await startEmulator();
    running.emulator.faults.push({ path: "/alertRules/r1", status: 500, times: 10, code: "InternalServerError" });
    const error = await running.client.put(RULE, "2025-09-01", ruleBody).catch((e: Error) => e);
    expect(String(error)).toContain("PUT " + RULE + " failed: HTTP 500 InternalServerError: Injected 500.");
    expect(String(error)).not.toContain("fake-token");
    expect(running.client.requestCount).toBe(5);
  });

  it.each([
    ["a stale etag", 'W/"999"', 412, "PreconditionFailed"],
    ["no etag on a Sentinel update", undefined, 409, "Conflict"],
  ])("answers %s with %i", async (_name, etag, status, code) => {
    running = await startEmulator();
    await running.client.put(RULE, "2025-09-01", ruleBody);
    await expect(running.client.put(RULE, "2025-09-01", ruleBody, etag)).rejects.toMatchObject({ status, code });
  });

  it("follows nextLink across pages", async () => {
    running = await startEmulator({ pageSize: 2 });
    for (let i = 0; i < 5; i++) await running.client.put(`${WS}/savedSearches/s${i}`, "2025-07-01", { properties: { displayName: `s${i}` } });
    const items = await running.client.list(`${WS}/savedSearches`, "2025-07-01");
    expect(items.map((i) => i["name"])).toEqual(["s0", "s1", "s2", "s3", "s4"]);
    expect(running.emulator.seen.filter((s) => s.method === "GET").length).toBe(3);
  });

  it("polls Azure-AsyncOperation for tables until Succeeded, then returns the resource", async () => {
    running = await startEmulator({ asyncPolls: 2 });
    const table = await running.client.put(`${WS}/tables/X_CL`, "2022-10-01", { properties: { schema: { name: "X_CL", columns: [] } } });
    expect(table).toMatchObject({ name: "X_CL", properties: { provisioningState: "Succeeded" } });
    expect(running.emulator.seen.map((s) => `${s.method} ${s.status}`)).toEqual(["PUT 202", "GET 200", "GET 200", "GET 200", "GET 200"]);
    await running.client.delete(`${WS}/tables/X_CL`, "2022-10-01");
    expect(await running.client.get(`${WS}/tables/X_CL`, "2022-10-01")).toBeUndefined();
  });

  it("turns a 409 duplicate function alias into a clear message", async () => {
    running = await startEmulator();
    await running.client.put(`${WS}/savedSearches/a`, "2025-07-01", { properties: { functionAlias: "F" } });
    await expect(running.client.put(`${WS}/savedSearches/b`, "2025-07-01", { properties: { functionAlias: "F" } })).rejects.toThrow(/HTTP 409 Conflict: A function with alias 'F' already exists/);
  });

  it("refuses non-loopback hosts in insecure loopback mode", async () => {
    const client = createArmClient({ credential: fakeCredential, endpoint: "http://10.0.0.1:1", insecureLoopback: true, maxAttempts: 1 });
    await expect(client.get(RULE, "2025-09-01")).rejects.toThrow(/non-loopback/);
  });
});

describe("emulator contract", () => {
  it.each([
    ["no bearer token", { authorization: "" }, `${RULE}?api-version=2025-09-01`, 401, "AuthenticationFailed"],
    ["no api-version", {}, RULE, 400, "MissingApiVersionParameter"],
    ["a workbook list without category", {}, "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Insights/workbooks?api-version=2023-06-01", 400, "BadRequest"],
    ["a missing resource", {}, `${RULE}?api-version=2025-09-01`, 404, "ResourceNotFound"],
  ])("answers %s with an ARM error body", async (_name, headers, url, status, code) => {
    running = await startEmulator();
    const response = await fetch(`${running.emulator.endpoint}${url}`, { headers: { authorization: "Bearer t", ...headers } });
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ error: { code, message: expect.any(String) } });
  });

  it("never returns a watchlist's rawContent and keeps systemData of who changed what", async () => {
    running = await startEmulator({ caller: "deployer" });
    const id = `${WS}/providers/Microsoft.SecurityInsights/watchlists/W`;
    await running.client.put(id, "2025-09-01", { properties: { rawContent: "A\r\n", labels: ["x"] } });
    running.emulator.edit(id, (r) => void ((r["properties"] as Record<string, unknown>)["labels"] = []), "eve");
    const live = await running.client.get(id, "2025-09-01");
    expect(live?.["properties"]).not.toHaveProperty("rawContent");
    expect(live?.["systemData"]).toMatchObject({ createdBy: "deployer", lastModifiedBy: "eve" });
  });
});

describe("retryAfterMs", () => {
  it.each([
    ["5", 5000],
    ["0", 0],
    ["", undefined],
    ["soon", undefined],
  ])("%j → %j", (value, expected) => {
    expect(retryAfterMs(value)).toBe(expected);
  });
});
