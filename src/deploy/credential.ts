import type { TokenCredential } from "@azure/core-auth";
import { ClientAssertionCredential, DefaultAzureCredential } from "@azure/identity";

/**
 * The credential for ARM: in GitHub Actions with `id-token: write` and AZURE_TENANT_ID/AZURE_CLIENT_ID set, the
 * workflow's OIDC token is exchanged for an Entra token (federated credential, no stored secret); elsewhere
 * DefaultAzureCredential (az login, environment, managed identity). Tokens are never printed.
 */
export function createCredential(env: NodeJS.ProcessEnv = process.env): TokenCredential {
  const tenantId = env["AZURE_TENANT_ID"];
  const clientId = env["AZURE_CLIENT_ID"];
  const requestUrl = env["ACTIONS_ID_TOKEN_REQUEST_URL"];
  const requestToken = env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"];
  if (env["GITHUB_ACTIONS"] === "true" && tenantId && clientId && requestUrl && requestToken) {
    return new ClientAssertionCredential(tenantId, clientId, () => githubOidcToken(requestUrl, requestToken));
  }
  return new DefaultAzureCredential();
}

/** Fetches the GitHub Actions OIDC token for audience api://AzureADTokenExchange (called on every token refresh). */
async function githubOidcToken(requestUrl: string, requestToken: string): Promise<string> {
  const url = new URL(requestUrl);
  url.searchParams.set("audience", "api://AzureADTokenExchange");
  const response = await fetch(url, { headers: { authorization: `bearer ${requestToken}` } });
  if (!response.ok) throw new Error(`GitHub OIDC token request failed: HTTP ${response.status}`);
  const body = (await response.json()) as { value?: unknown };
  if (typeof body.value !== "string") throw new Error("GitHub OIDC token response had no value");
  return body.value;
}
