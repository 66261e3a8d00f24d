// The credential of tests, loopback fakes and fault campaigns: it hands out a fixed token and never reaches
// a token service. The fakes of the Logs Ingestion API, ARM and Log Analytics accept FAKE_TOKEN. `deploy`,
// `drift` and `import workspace` sign with it when --arm-endpoint points them at the loopback ARM emulator.
import type { AccessToken, TokenCredential } from "@azure/core-auth";

/** The bearer token fakeCredential hands out. */
export const FAKE_TOKEN = "fake-token";

/** A credential that always hands out `token`, valid for an hour from each request. */
export function staticCredential(token: string): TokenCredential {
  return {
    getToken(): Promise<AccessToken> {
      return Promise.resolve({ token, expiresOnTimestamp: Date.now() + 3_600_000 });
    },
  };
}

/** The credential of tests and fakes: always FAKE_TOKEN. */
export const fakeCredential: TokenCredential = staticCredential(FAKE_TOKEN);
