import { cp, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { fakeCredential } from "../ingest/fakes/credential.ts";
import { createArmClient, type ArmClient } from "./arm-client.ts";
import { ArmEmulator, type EmulatorOptions } from "./emulator/arm-emulator.ts";

/** The root of this repository, whose content files the deploy tests copy. */
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Starts a loopback emulator and a client bound to it (no real waits between retries and polls). */
export async function startEmulator(options: EmulatorOptions = {}): Promise<{ emulator: ArmEmulator; client: ArmClient }> {
  const emulator = new ArmEmulator(options);
  const endpoint = await emulator.start();
  const client = createArmClient({ credential: fakeCredential, endpoint, insecureLoopback: true, sleep: async () => {}, pollIntervalMs: 0 });
  return { emulator, client };
}

/** The workspace the deploy tests target, and the environments.yaml naming it as `dev`. */
export const TEST_TARGET = { subscriptionId: "11111111-1111-1111-1111-111111111111", resourceGroup: "rg-sec", workspaceName: "law-sec", location: "westeurope" };
export const TEST_ENVIRONMENTS = `repository: test-repo\nenvironments:\n  dev:\n    subscriptionId: ${TEST_TARGET.subscriptionId}\n    resourceGroup: ${TEST_TARGET.resourceGroup}\n    workspaceName: ${TEST_TARGET.workspaceName}\n    location: ${TEST_TARGET.location}\n`;

/** A temporary repository holding copies of these repository files and the given environments.yaml; returns its root. */
export async function copyRepository(files: readonly string[], environments: string, prefix: string): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), prefix));
  for (const file of files) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await cp(path.join(REPO, file), path.join(root, file));
  }
  await writeFile(path.join(root, "environments.yaml"), environments);
  return root;
}
