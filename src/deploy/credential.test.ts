import { describe, expect, it } from "vitest";
import { ClientAssertionCredential, DefaultAzureCredential } from "@azure/identity";
import { createCredential } from "./credential.ts";

const GITHUB = { GITHUB_ACTIONS: "true", AZURE_TENANT_ID: "t", AZURE_CLIENT_ID: "c", ACTIONS_ID_TOKEN_REQUEST_URL: "https://127.0.0.1/token?x=1", ACTIONS_ID_TOKEN_REQUEST_TOKEN: "r" };

describe("credential choice (constructed only; no token is requested)", () => {
  it.each([
    ["GitHub Actions with id-token: write → federated ClientAssertionCredential", GITHUB, ClientAssertionCredential],
    ["GitHub Actions without the OIDC request variables → DefaultAzureCredential", { ...GITHUB, ACTIONS_ID_TOKEN_REQUEST_URL: undefined }, DefaultAzureCredential],
    ["a laptop → DefaultAzureCredential", {}, DefaultAzureCredential],
  ])("%s", (_name, env, type) => {
    expect(createCredential(env as NodeJS.ProcessEnv)).toBeInstanceOf(type);
  });
});
