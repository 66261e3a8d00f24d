import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { createArmClient, type ArmClient } from "./arm-client.ts";
import { ArmEmulator, type EmulatorOptions } from "./emulator/arm-emulator.ts";

/** A fake credential: tests never reach a token service. */
export const fakeCredential: TokenCredential = {
  async getToken(): Promise<AccessToken> {
    return { token: "fake-token", expiresOnTimestamp: Date.now() + 3_600_000 };
  },
};

/** Starts a loopback emulator and a client bound to it (no real waits between retries and polls). */
export async function startEmulator(options: EmulatorOptions = {}): Promise<{ emulator: ArmEmulator; client: ArmClient }> {
  const emulator = new ArmEmulator(options);
  const endpoint = await emulator.start();
  const client = createArmClient({ credential: fakeCredential, endpoint, insecureLoopback: true, sleep: async () => {}, pollIntervalMs: 0 });
  return { emulator, client };
}
