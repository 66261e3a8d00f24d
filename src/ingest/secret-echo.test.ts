// Every secret the collectors hold is sent back by the services in every error path (in bodies long enough to be
// cut short right through the secret); none may reach stdout, stderr, the state file, the dry-run file or any other
// file the run leaves.
import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startFakeCompliancePlatform, type FakeCompliancePlatform } from "./fakes/compliance-platform.ts";
import { generateLogFiles } from "./fakes/generate.ts";
import { startFakeOpenAIAuditApi } from "./fakes/openai-audit-api.ts";
import { OPENAI_MAPPING_FILE } from "./mapping.ts";
import { runCollect, type CollectArgs, type CollectDeps, type CollectSource } from "./run-collect.ts";
import { FAKE_TOKEN, fakeCredential } from "./fakes/credential.ts";
import { chatgptCollectArgs, useCollectorFakes } from "./test-support.ts";

const WORKSPACE = "be545252-ad04-4cfa-9ca5-deca58416151";
const COMPLIANCE_KEY = "sk-compliance-ECHO-0123456789abcdefghijklmnop";
const ADMIN_KEY = "sk-admin-ECHO-qrstuvwxyz0123456789ABCDEFGH";
const CLIENT_SECRET = "Qq8~clientSecretECHO.0123456789-abcdef";
const SECRETS = [COMPLIANCE_KEY, ADMIN_KEY, CLIENT_SECRET, FAKE_TOKEN];
const DCR = "dcr-00000000000000000000000000000003";

/** A server message echoing every secret, padded so that 300- and 400-character cuts fall inside one of them. */
const echo = (padding: number) => `${"x".repeat(padding)}${COMPLIANCE_KEY} Bearer ${FAKE_TOKEN} ${ADMIN_KEY} client_secret=${CLIENT_SECRET}`;
const ECHOES = [0, 280, 290, 385, 395].map(echo);

let out = "";
let err = "";

function deps(source: CollectSource): CollectDeps {
  return {
    env: { COMPLIANCE_API_KEY: COMPLIANCE_KEY, OPENAI_ADMIN_KEY: ADMIN_KEY, AZURE_CLIENT_SECRET: CLIENT_SECRET },
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    credential: () => fakeCredential,
    transform: async ({ rows }) => [...rows],
    retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => undefined },
    now: () => new Date(source === "chatgpt" ? "2026-11-25T00:00:00Z" : "2026-11-21T02:00:00Z"),
    progressIntervalMs: 0,
  };
}

/** Every file under `dir`, as text. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? filesUnder(file) : [readFileSync(file, "utf8")];
  });
}

function expectNoSecret(texts: readonly string[]): void {
  for (const text of texts) {
    for (const secret of SECRETS) {
      expect(text).not.toContain(secret);
      // no piece of it either: a cut through the secret must not leave its first or last 12 characters
      expect(text).not.toContain(secret.slice(0, 12));
      expect(text).not.toContain(secret.slice(-12));
    }
  }
}

describe("collect chatgpt: secrets echoed on every error path never leave the process", () => {
  const fakes = useCollectorFakes({ startSource: () => startFakeCompliancePlatform({ principalId: WORKSPACE, key: COMPLIANCE_KEY }), dcrImmutableId: DCR, stream: "Custom-ChatGPTComplianceRaw", tempPrefix: "sc-echo-" });
  const args = (overrides: Partial<CollectArgs> = {}): CollectArgs =>
    chatgptCollectArgs(fakes, { principalId: WORKSPACE, dcrImmutableId: DCR, stream: "Custom-ChatGPTComplianceRaw" }, { verifyWorkspace: false, ...overrides });
  const chatgptDeps = (): CollectDeps => ({ ...deps("chatgpt"), ingestionClientOptions: { tlsOptions: { ca: fakes.cert.cert } } });
  const withEvents = (platform: FakeCompliancePlatform) => platform.files.push(...generateLogFiles({ eventType: "AUDIT_LOG", files: 1, eventsPerFile: 3, start: "2026-11-21T00:00:00Z" }));

  it.each([
    ["listing answered 401", (p: FakeCompliancePlatform, body: string) => p.listFaults.push({ status: 401, body })],
    ["listing answered 400", (p: FakeCompliancePlatform, body: string) => p.listFaults.push({ status: 400, body })],
    ["listing failing until retries run out", (p: FakeCompliancePlatform, body: string) => p.listFaults.push({ status: 503, body }, { status: 503, body })],
    ["download answered 403", (p: FakeCompliancePlatform, body: string) => p.downloadFaults.push({ status: 403, body })],
    ["download failing until retries run out", (p: FakeCompliancePlatform, body: string) => p.downloadFaults.push({ status: 500, body }, { status: 500, body })],
  ])("%s", async (_label, inject) => {
    for (const message of ECHOES) {
      withEvents(fakes.source);
      inject(fakes.source, JSON.stringify({ error: { message } }));
      expect(await runCollect("chatgpt", args(), chatgptDeps())).toBe(1);
    }
    expect(err).toMatch(/SC800[23]/);
    expect(err).toContain("[redacted]");
    expectNoSecret([out, err, ...filesUnder(fakes.dir)]);
  });

  it.each([
    ["upload answered 401", 401, 1],
    ["upload answered 413", 413, 1],
    ["upload failing until retries run out", 503, 2],
  ])("%s", async (_label, status, times) => {
    for (const message of ECHOES) {
      withEvents(fakes.source);
      for (let i = 0; i < times; i++) fakes.ingestion.uploadFaults.push({ status, message });
      expect(await runCollect("chatgpt", args({ since: "2026-11-20T00:00:00Z" }), chatgptDeps())).toBe(1);
    }
    expect(err).toMatch(/SC800[23]/);
    expect(err).toContain("[redacted]");
    expectNoSecret([out, err, ...filesUnder(fakes.dir)]);
  });

  it("log lines carrying the secrets, in the state, the dry-run file and the progress", async () => {
    fakes.source.files.push({ id: "file-echo", eventType: "AUDIT_LOG", endTime: "2026-11-21T00:00:00.000Z", lines: ECHOES.map((e, i) => JSON.stringify({ event_id: `${COMPLIANCE_KEY}-${i}`, type: "AUDIT_LOG", action: e })) });
    const dryRun = path.join(fakes.dir, "dry.jsonl");
    expect(await runCollect("chatgpt", args({ dryRun }), chatgptDeps())).toBe(0);
    const stateFile = path.join(fakes.dir, "state.json");
    writeFileSync(path.join(fakes.dir, "key.txt"), COMPLIANCE_KEY);
    expect(await runCollect("chatgpt", args({ apiKeyFile: path.join(fakes.dir, "key.txt") }), chatgptDeps())).toBe(0);
    expect(err).toContain("[redacted]");
    expectNoSecret([out, err, readFileSync(dryRun, "utf8"), readFileSync(stateFile, "utf8")]);
  });
});

describe("collect openai: secrets echoed on every error path never leave the process", () => {
  const fakes = useCollectorFakes({ startSource: () => startFakeOpenAIAuditApi({ key: ADMIN_KEY }), dcrImmutableId: DCR, stream: "Custom-OpenAIAuditLogs_CL", idKey: "id", tempPrefix: "sc-echo-openai-" });
  const args = (): CollectArgs => ({
    principalId: "contoso-openai-org",
    dcrEndpoint: fakes.ingestion.endpoint,
    dcrImmutableId: DCR,
    stream: "Custom-OpenAIAuditLogs_CL",
    eventTypes: ["AUDIT_LOGS"],
    since: "2026-11-21T00:00:00Z",
    state: path.join(fakes.dir, "state.json"),
    mapping: OPENAI_MAPPING_FILE,
    pageSize: 100,
    apiBaseUrl: fakes.source.url,
    verifyWaitSeconds: 0,
    quiet: false,
  });

  it.each([
    ["audit-log listing answered 401", [401]],
    ["audit-log listing failing until retries run out", [500, 500]],
  ])("%s", async (_label, statuses) => {
    for (const message of ECHOES) {
      for (const status of statuses) fakes.source.faults.push({ status, message });
      expect(await runCollect("openai", args(), { ...deps("openai"), ingestionClientOptions: { tlsOptions: { ca: fakes.cert.cert } } })).toBe(1);
    }
    expect(err).toMatch(/SC800[23]/);
    expect(err).toContain("[redacted]");
    expectNoSecret([out, err, ...filesUnder(fakes.dir)]);
  });
});
