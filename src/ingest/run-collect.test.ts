import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { startFakeCompliancePlatform } from "./fakes/compliance-platform.ts";
import { generateLogFiles } from "./fakes/generate.ts";
import { DEFAULT_EVENT_TYPES, checkArgs, runCollect, type CollectArgs, type CollectDeps } from "./run-collect.ts";
import { fakeCredential } from "./fakes/credential.ts";
import { chatgptCollectArgs, useCollectorFakes } from "./test-support.ts";

const WORKSPACE = "be545252-ad04-4cfa-9ca5-deca58416151";
const KEY = "sk-compliance-SECRET-1234567890abcdef";
const DCR = "dcr-00000000000000000000000000000002";
const STREAM = "Custom-ChatGPTComplianceRaw";

let out: string;
let err: string;

const fakes = useCollectorFakes({ startSource: () => startFakeCompliancePlatform({ principalId: WORKSPACE, key: KEY }), dcrImmutableId: DCR, stream: STREAM, tempPrefix: "sc-run-" });

beforeEach(() => {
  out = "";
  err = "";
});

function args(overrides: Partial<CollectArgs> = {}): CollectArgs {
  return chatgptCollectArgs(fakes, { principalId: WORKSPACE, dcrImmutableId: DCR, stream: STREAM }, { eventTypes: ["AUDIT_LOG", "CONVERSATION_MESSAGE"], ...overrides });
}

function deps(overrides: Partial<CollectDeps> = {}): CollectDeps {
  return {
    env: { COMPLIANCE_API_KEY: KEY },
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    credential: () => fakeCredential,
    transform: async ({ rows }) => rows.map((r) => ({ EventId: r.event_id })),
    ingestionClientOptions: { tlsOptions: { ca: fakes.cert.cert } },
    retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => undefined },
    now: () => new Date("2026-11-25T00:00:00Z"),
    progressIntervalMs: 0,
    ...overrides,
  };
}

describe("collect chatgpt", () => {
  it("uploads, prints progress (files, events, bytes) and exits 0", async () => {
    fakes.source.files.push(...generateLogFiles({ eventType: "AUDIT_LOG", files: 2, eventsPerFile: 5, start: "2026-11-21T00:00:00Z" }));
    expect(await runCollect("chatgpt", args(), deps())).toBe(0);
    expect(fakes.ingestion.accepted.get(STREAM)).toHaveLength(10);
    expect(err).toMatch(/collect: AUDIT_LOG: 1 files, 5 new events/);
    expect(out).toMatch(/2 files, 10 new events \(0 duplicates dropped, 0 unreadable lines\), [\d.]+ KB uploaded in 1 batches/);
  });

  it("--dry-run writes transformed rows to a JSONL file, uploads nothing and keeps the real cursor", async () => {
    fakes.source.files.push(...generateLogFiles({ eventType: "AUDIT_LOG", files: 1, eventsPerFile: 3, start: "2026-11-21T00:00:00Z" }));
    const file = path.join(fakes.dir, "rows.jsonl");
    const code = await runCollect("chatgpt", args({ dryRun: file, dcrEndpoint: undefined, dcrImmutableId: undefined }), deps({ credential: () => { throw new Error("no credential in a dry run"); } }));
    expect(code).toBe(0);
    const lines = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { table: string; row: { EventId: string } });
    expect(lines.map((l) => l.table)).toEqual([...Array(3).fill("ChatGPTComplianceEvents_CL"), ...Array(3).fill("ChatGPTConversationMessages_CL")]);
    expect(lines[0]?.row.EventId).toBe("audit_log-00000000");
    expect(fakes.ingestion.uploads).toHaveLength(0);
    expect(() => readFileSync(path.join(fakes.dir, "state.json"))).toThrow();
    expect(out).toMatch(/dry run wrote 6 rows/);
  });

  it.each([
    ["no key anywhere", {}, undefined, /COMPLIANCE_API_KEY is not set/],
    ["an empty key file", {}, "", /is empty/],
  ])("exits 2 with SC8001 for %s", async (_label, env, fileText, message) => {
    const apiKeyFile = fileText === undefined ? undefined : path.join(fakes.dir, "key.txt");
    if (apiKeyFile !== undefined) writeFileSync(apiKeyFile, fileText ?? "");
    expect(await runCollect("chatgpt", args({ apiKeyFile }), deps({ env }))).toBe(2);
    expect(err).toMatch(/SC8001/);
    expect(err).toMatch(message);
  });

  it("reads the key from --api-key-file (first line)", async () => {
    const apiKeyFile = path.join(fakes.dir, "key.txt");
    writeFileSync(apiKeyFile, `${KEY}\n`);
    expect(await runCollect("chatgpt", args({ apiKeyFile }), deps({ env: {} }))).toBe(0);
  });

  it("never shows the key: not on 401 (even when the server echoes it), not in progress, state or dry-run output", async () => {
    fakes.source.files.push(...generateLogFiles({ eventType: "AUDIT_LOG", files: 1, eventsPerFile: 2, start: "2026-11-21T00:00:00Z" }));
    const apiKeyFile = path.join(fakes.dir, "key.txt");
    writeFileSync(apiKeyFile, KEY);
    expect(await runCollect("chatgpt", args(), deps())).toBe(0);
    fakes.source.listFaults.push({ status: 401, body: JSON.stringify({ error: { message: `bad key Bearer ${KEY}` } }) });
    expect(await runCollect("chatgpt", args({ apiKeyFile }), deps({ env: {} }))).toBe(1);
    expect(err).toMatch(/SC8002: .*HTTP 401 bad key Bearer \[redacted\]/);
    fakes.source.listFaults.push({ status: 500 }, { status: 500 });
    expect(await runCollect("chatgpt", args(), deps())).toBe(1);
    expect(err).toMatch(/SC8003/);
    const dry = path.join(fakes.dir, "dry.jsonl");
    await runCollect("chatgpt", args({ dryRun: dry }), deps({ transform: async ({ rows }) => [...rows] }));
    for (const text of [out, err, readFileSync(path.join(fakes.dir, "state.json"), "utf8"), readFileSync(dry, "utf8")]) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(KEY.slice(4, 20));
    }
  });

  it.each([
    ["a directory as the state file", () => ({ state: fakes.dir }), /SC8009: .*is a directory, not a state file/],
    ["a device as the state file", () => ({ state: "/dev/zero" }), /SC8009: .*not a regular file/],
    ["a directory as the dry-run file", () => ({ dryRun: fakes.dir }), /SC8010: --dry-run .*cannot be written \(E[A-Z]+\)/],
  ])("%s is a clear error (exit 2), not a stack trace", async (_label, patch, message) => {
    fakes.source.files.push(...generateLogFiles({ eventType: "AUDIT_LOG", files: 1, eventsPerFile: 2, start: "2026-11-21T00:00:00Z" }));
    expect(await runCollect("chatgpt", args(patch()), deps())).toBe(2);
    expect(err).toMatch(message);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it("a wrong key is a 401 from the platform: exit 1 with the status, nothing uploaded", async () => {
    fakes.source.files.push(...generateLogFiles({ eventType: "AUDIT_LOG", files: 1, eventsPerFile: 2, start: "2026-11-21T00:00:00Z" }));
    expect(await runCollect("chatgpt", args(), deps({ env: { COMPLIANCE_API_KEY: "sk-wrong" } }))).toBe(1);
    expect(err).toMatch(/listing AUDIT_LOG log files after 2026-11-20T00:00:00Z: HTTP 401/);
    expect(err).not.toContain("sk-wrong");
    expect(fakes.ingestion.uploads).toHaveLength(0);
  });

  it("exits 1 with SC8002 when the DCR or stream is wrong (404 from the ingestion API)", async () => {
    fakes.source.files.push(...generateLogFiles({ eventType: "AUDIT_LOG", files: 1, eventsPerFile: 2, start: "2026-11-21T00:00:00Z" }));
    expect(await runCollect("chatgpt", args({ dcrImmutableId: "dcr-wrong" }), deps())).toBe(1);
    expect(err).toMatch(/SC8002: .*HTTP 404/);
  });

  it("exits 2 with SC8011 for a stream the mapping does not declare, and SC8009 for a corrupt state file", async () => {
    expect(await runCollect("chatgpt", args({ stream: "Custom-Nope" }), deps())).toBe(2);
    expect(err).toMatch(/SC8011: .*declares no stream Custom-Nope \(it has Custom-ChatGPTComplianceRaw\)/);
    writeFileSync(path.join(fakes.dir, "state.json"), "{}");
    expect(await runCollect("chatgpt", args(), deps())).toBe(2);
    expect(err).toMatch(/SC8009/);
  });

  it.each([
    [{ principalId: " " }, /--workspace-id/],
    [{ dcrEndpoint: undefined }, /--dcr-endpoint and --dcr-immutable-id are required/],
    [{ dcrEndpoint: "http://dce.example.com" }, /https is required/],
    [{ eventTypes: ["audit_log"] }, /not an event type/],
    [{ eventTypes: [] }, /at least one/],
    [{ since: "2026-11-20" }, /ISO-8601/],
    [{ since: "2026-13-45T00:00:00Z" }, /ISO-8601/],
    [{ pageSize: 0 }, /--page-size/],
    [{ verifyWaitSeconds: -1 }, /--verify-wait/],
  ] as [Partial<CollectArgs>, RegExp][])("rejects bad options %j", (overrides, message) => {
    expect(checkArgs(args(overrides))).toMatch(message);
  });

  it("collects every documented event type except the prompt-carrying CODEX_LOG by default", () => {
    expect(DEFAULT_EVENT_TYPES).toContain("CONVERSATION_MESSAGE");
    expect(DEFAULT_EVENT_TYPES).not.toContain("CODEX_LOG");
  });
});
