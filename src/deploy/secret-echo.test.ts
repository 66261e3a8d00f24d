// ARM sends the bearer token (and a client secret of the environment) back in every error deploy can meet, in
// messages long enough to be cut through the secret; none may reach the plan, the apply report or an error message.
import { rm } from "node:fs/promises";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createArmClient, type ArmClient } from "./arm-client.ts";
import { runDeployCommand, runDriftCommand } from "./deploy-command.ts";
import { ArmEmulator, type Fault } from "./emulator/arm-emulator.ts";
import { copyRepository } from "./test-support.ts";

const FILES = ["analytics-rules/azure-openai/aoai-key-used-from-new-network.yaml", "parsers/genai-aoai-requests.yaml", "workbooks/genai-security-overview.yaml"];
const ARM_TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.ARMTOKENECHO0123456789abcdef.sigsigsigsig";
const CLIENT_SECRET = "Zz9~deployClientSecretECHO.9876543210";
const SECRETS = [ARM_TOKEN, CLIENT_SECRET];
const echo = (padding: number) => `${"x".repeat(padding)}Authorization: Bearer ${ARM_TOKEN}; client secret ${CLIENT_SECRET}`;
const ENVIRONMENTS = "repository: test-repo\nenvironments:\n  dev:\n    subscriptionId: 11111111-1111-1111-1111-111111111111\n    resourceGroup: rg\n    workspaceName: law-sec\n    location: westeurope\n";

const credential: TokenCredential = {
  async getToken(): Promise<AccessToken> {
    return { token: ARM_TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 };
  },
};

let root = "";
let emulator: ArmEmulator;
let client: ArmClient;
let printed = "";

beforeEach(async () => {
  root = await copyRepository(FILES, ENVIRONMENTS, "deploy-echo-");
  emulator = new ArmEmulator();
  const endpoint = await emulator.start();
  client = createArmClient({ credential, endpoint, insecureLoopback: true, maxAttempts: 2, sleep: async () => undefined, pollIntervalMs: 0 });
  printed = "";
  process.env["AZURE_CLIENT_SECRET"] = CLIENT_SECRET;
});
afterEach(async () => {
  delete process.env["AZURE_CLIENT_SECRET"];
  await emulator.stop();
  await rm(root, { recursive: true, force: true });
});

/** Runs a command, keeping what it printed and the message of what it threw. */
async function run(command: () => Promise<number>): Promise<void> {
  try {
    await command();
  } catch (error) {
    printed += error instanceof Error ? error.message : String(error);
  }
}

describe("deploy: secrets echoed by ARM never reach a plan, a report or an error", () => {
  it.each<[string, Omit<Fault, "message" | "times">, number]>([
    ["reading the workspace answered 403", { method: "GET", path: "/alertRules", status: 403, code: "AuthorizationFailed" }, 1],
    ["reading the workspace failing until retries run out", { method: "GET", path: "/alertRules", status: 503 }, 2],
    ["a PUT answered 400", { method: "PUT", path: "/alertRules/", status: 400, code: "BadRequest" }, 1],
    ["a PUT answered 401", { method: "PUT", path: "/savedSearches/", status: 401, code: "InvalidAuthenticationToken" }, 1],
    ["a PUT failing until retries run out", { method: "PUT", path: "/workbooks/", status: 500 }, 2],
  ])("%s", async (_label, fault, times) => {
    for (const padding of [0, 490]) {
      for (const format of ["text", "markdown", "json"]) {
        emulator.faults.push({ ...fault, times, message: echo(padding) });
        await run(() => runDeployCommand({ env: "dev", root, apply: true, format }, (t) => void (printed += t), client));
        emulator.faults.push({ ...fault, method: "GET", times, message: echo(padding) });
        await run(() => runDriftCommand({ env: "dev", root, format }, (t) => void (printed += t), client));
      }
    }
    expect(printed).toContain("[redacted]");
    for (const secret of SECRETS) {
      expect(printed).not.toContain(secret);
      expect(printed).not.toContain(secret.slice(0, 12));
      expect(printed).not.toContain(secret.slice(-12));
    }
  });
});
