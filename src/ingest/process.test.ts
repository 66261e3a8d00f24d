import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../cli/test-helpers.ts";
import { collect } from "./collector.ts";
import { createComplianceClient } from "./compliance-client.ts";
import type { ChildConfig } from "./fakes/collector-child.ts";
import { startFakeCompliancePlatform } from "./fakes/compliance-platform.ts";
import { generateLogFiles } from "./fakes/generate.ts";
import { PACKAGE_ROOT } from "./mapping.ts";
import { Secret } from "./secret.ts";
import { FileStateStore, type CollectorState } from "./state.ts";
import { FAKE_TOKEN, fakeCredential } from "./fakes/credential.ts";
import { useCollectorFakes } from "./test-support.ts";
import { createIngestionClient, createLogsIngestionUploader } from "./uploader.ts";
import { createWorkspaceQuery, createWorkspaceVerifier } from "./verifier.ts";

const WORKSPACE = "be545252-ad04-4cfa-9ca5-deca58416151";
const KEY = "sk-compliance-PROCESS-TEST-abcdef123456";
const DCR = "dcr-00000000000000000000000000000003";
const STREAM = "Custom-ChatGPTComplianceRaw";
const COLUMNS = ["event_id", "type", "timestamp", "principal", "actor", "action", "action_result", "action_privilege", "action_data", "request_metadata"];

const fakes = useCollectorFakes({ startSource: () => startFakeCompliancePlatform({ principalId: WORKSPACE, key: KEY }), dcrImmutableId: DCR, stream: STREAM, tempPrefix: "sc-process-" });

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; pid: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: PACKAGE_ROOT, env: { PATH: process.env.PATH, TMPDIR: process.env.TMPDIR, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr, pid: child.pid ?? -1 }));
    fakes.ingestion.afterStore = (n) => {
      if (n === 2) child.kill("SIGKILL");
    };
  });
}

/** Runs `body` with the given environment variables set, then restores them. */
async function withEnvironment<T>(env: Record<string, string>, body: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  try {
    return await body();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

function ids(rows: readonly Record<string, unknown>[]): string[] {
  return rows.map((r) => String(r.event_id)).sort();
}

// Child processes load tsx, Kusto.Language and the engine: allow for a busy machine.
describe("the collector as a real process", { timeout: 180_000 }, () => {
  it("killed with SIGKILL after the service stored a batch but before the checkpoint, a restart lands every event exactly once", async () => {
    fakes.source.files.push(...generateLogFiles({ eventType: "AUDIT_LOG", files: 3, eventsPerFile: 200, start: "2026-11-21T00:00:00Z" }));
    const state = path.join(fakes.dir, "state.json");
    const config: ChildConfig = {
      platformUrl: fakes.source.baseUrl,
      ingestionUrl: fakes.ingestion.endpoint,
      ca: fakes.cert.cert,
      principalId: WORKSPACE,
      key: KEY,
      token: FAKE_TOKEN,
      dcr: DCR,
      stream: STREAM,
      columns: COLUMNS,
      state,
      since: "2026-11-20T00:00:00Z",
      maxBatchBytes: 60_000,
    };
    writeFileSync(path.join(fakes.dir, "child.json"), JSON.stringify(config));
    const child = await run(["--import", "tsx", "src/ingest/fakes/collector-child.ts", path.join(fakes.dir, "child.json")], {});
    expect(child.signal).toBe("SIGKILL");
    expect(child.stdout).not.toContain("done");
    const afterKill = JSON.parse(readFileSync(state, "utf8")) as CollectorState;
    expect(afterKill.pending?.eventIds.length).toBeGreaterThan(0);
    const storedAtKill = fakes.ingestion.accepted.get(STREAM)!.length;
    expect(storedAtKill).toBeGreaterThan(0);
    expect(storedAtKill).toBeLessThan(600);

    fakes.ingestion.afterStore = undefined;
    const client = createIngestionClient(fakes.ingestion.endpoint, fakeCredential, { tlsOptions: { ca: fakes.cert.cert } });
    const retry = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => undefined };
    await collect({
      source: "chatgpt",
      principalId: WORKSPACE,
      stream: STREAM,
      streamColumns: new Set(COLUMNS),
      eventTypes: ["AUDIT_LOG"],
      since: "2026-11-20T00:00:00Z",
      pageSize: 100,
      api: createComplianceClient({ baseUrl: fakes.source.baseUrl, principalId: WORKSPACE, key: new Secret(KEY) }),
      uploader: createLogsIngestionUploader({ client, dcrImmutableId: DCR, stream: STREAM, retry }),
      store: new FileStateStore(state),
      retry,
      maxBatchBytes: 60_000,
      now: () => new Date("2026-11-25T00:00:00Z"),
      verifier: createWorkspaceVerifier({
        query: createWorkspaceQuery({ workspaceId: "law-1", credential: fakeCredential, options: { endpoint: `${fakes.ingestion.endpoint}/v1`, tlsOptions: { ca: fakes.cert.cert } } }),
        tables: ["ChatGPTComplianceEvents_CL"],
        idColumn: "EventId",
        waitMs: 0,
        pollMs: 0,
      }),
    });
    const source = fakes.source.files.flatMap((f) => f.lines.map((l) => String((JSON.parse(l) as { event_id: string }).event_id))).sort();
    expect(ids(fakes.ingestion.accepted.get(STREAM)!)).toEqual(source);
  });

});

// The command in this process (main(argv), as the binary runs it): the process boundary is the test above's business.
describe("the collect command", () => {
  it("`sentinel-content collect chatgpt --dry-run` runs end to end: engine rows in the file, progress on stderr, no key anywhere", async () => {
    fakes.source.files.push(...generateLogFiles({ eventType: "AUDIT_LOG", files: 2, eventsPerFile: 3, start: "2026-11-21T00:00:00Z" }));
    const samples = readFileSync(path.join(PACKAGE_ROOT, "ingestion/chatgpt/samples/conversation-message.jsonl"), "utf8").trim().split("\n");
    fakes.source.files.push({ id: "file-messages", eventType: "CONVERSATION_MESSAGE", endTime: "2026-11-23T00:00:00Z", lines: samples });
    const out = path.join(fakes.dir, "rows.jsonl");
    const result = await withEnvironment({ COMPLIANCE_API_KEY: KEY }, () =>
      runCli(
        "collect", "chatgpt", "--workspace-id", WORKSPACE, "--dry-run", out,
        "--event-types", "AUDIT_LOG,CONVERSATION_MESSAGE", "--since", "2026-11-20T00:00:00Z", "--api-base-url", fakes.source.baseUrl,
      ),
    );
    expect(result.stderr).not.toMatch(/error/);
    expect(result.code).toBe(0);
    const rows = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { table: string; row: Record<string, unknown> });
    expect(rows.filter((r) => r.table === "ChatGPTComplianceEvents_CL")).toHaveLength(6);
    const messages = rows.filter((r) => r.table === "ChatGPTConversationMessages_CL").map((r) => r.row);
    expect(messages).toHaveLength(3);
    expect(messages[0]).toMatchObject({ EventId: "9d6bb4e9-3882-4dbe-9d4c-d6e7f8a9b0c1", AuthorType: "user", ContentLength: 47, IsTemporaryChat: false });
    expect(result.stderr).toMatch(/^collect: AUDIT_LOG: 1 files, 3 new events/);
    expect(result.stdout).toMatch(/collect: AUDIT_LOG,CONVERSATION_MESSAGE: 3 files, 9 new events \(0 duplicates dropped, 0 unreadable lines\), [\d.]+ KB transformed in 2 batches/);
    expect(result.stdout).toMatch(/dry run wrote 9 rows/);
    expect(fakes.ingestion.uploads).toHaveLength(0);
    for (const text of [result.stdout, result.stderr, readFileSync(out, "utf8")]) expect(text).not.toContain(KEY);
  });
});
