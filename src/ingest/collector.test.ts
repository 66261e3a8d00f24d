import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { CollectError, LINE_FINDINGS_LISTED, collect, type CollectOptions, type InDoubtVerifier } from "./collector.ts";
import { createComplianceClient } from "./compliance-client.ts";
import { startFakeCompliancePlatform } from "./fakes/compliance-platform.ts";
import { generateLogFiles } from "./fakes/generate.ts";
import type { RetryPolicy } from "./retry.ts";
import { Secret } from "./secret.ts";
import { FileStateStore, type CollectorState, type StateStore } from "./state.ts";
import { fakeCredential } from "./fakes/credential.ts";
import { useCollectorFakes } from "./test-support.ts";
import { createIngestionClient, createLogsIngestionUploader } from "./uploader.ts";
import { createWorkspaceQuery, createWorkspaceVerifier } from "./verifier.ts";

const WORKSPACE = "be545252-ad04-4cfa-9ca5-deca58416151";
const KEY = "sk-compliance-TEST-9f8e7d6c5b4a";
const DCR = "dcr-00000000000000000000000000000001";
const STREAM = "Custom-ChatGPTComplianceRaw";
const COLUMNS = new Set(["event_id", "type", "timestamp", "principal", "actor", "action", "action_result", "action_privilege", "action_data", "request_metadata"]);

let sleeps: number[];

const fakes = useCollectorFakes({ startSource: () => startFakeCompliancePlatform({ principalId: WORKSPACE, key: KEY }), dcrImmutableId: DCR, stream: STREAM, tempPrefix: "sc-collector-" });

beforeEach(() => {
  sleeps = [];
});

const retry = (): RetryPolicy => ({
  maxAttempts: 4,
  baseDelayMs: 100,
  maxDelayMs: 5_000,
  sleep: async (ms) => {
    sleeps.push(ms);
  },
});

function options(overrides: Partial<CollectOptions> = {}): CollectOptions {
  const client = createIngestionClient(fakes.ingestion.endpoint, fakeCredential, { tlsOptions: { ca: fakes.cert.cert } });
  return {
    source: "chatgpt",
    principalId: WORKSPACE,
    stream: STREAM,
    streamColumns: COLUMNS,
    eventTypes: ["AUDIT_LOG"],
    since: "2026-11-20T00:00:00Z",
    pageSize: 2,
    api: createComplianceClient({ baseUrl: fakes.source.baseUrl, principalId: WORKSPACE, key: new Secret(KEY) }),
    uploader: createLogsIngestionUploader({ client, dcrImmutableId: DCR, stream: STREAM, retry: retry() }),
    store: new FileStateStore(path.join(fakes.dir, "state.json")),
    retry: retry(),
    now: () => new Date("2026-11-25T00:00:00Z"),
    ...overrides,
  };
}

function sourceIds(): string[] {
  return fakes.source.files.flatMap((f) => f.lines.map((l) => (JSON.parse(l) as { event_id: string }).event_id)).sort();
}

function workspaceIds(): string[] {
  return (fakes.ingestion.accepted.get(STREAM) ?? []).map((r) => String(r.event_id)).sort();
}

function readState(): CollectorState {
  return JSON.parse(readFileSync(path.join(fakes.dir, "state.json"), "utf8")) as CollectorState;
}

/** A store that "kills the process" (throws) on the save that would commit an accepted batch. */
function crashOnCommit(inner: StateStore, commitsBeforeCrash: number): StateStore {
  let pendingSeen = false;
  let commits = 0;
  return {
    load: () => inner.load(),
    async save(state) {
      if (state.pending) pendingSeen = true;
      else if (pendingSeen) {
        pendingSeen = false;
        if (commits++ === commitsBeforeCrash) throw new Error("simulated kill between upload and checkpoint");
      }
      await inner.save(state);
    },
  };
}

describe("collect against the loopback fakes", () => {
  it("pages with after = last_end_time, drops the repeated boundary file and lands every event once", async () => {
    fakes.source.files.push(...generateLogFiles({ eventType: "AUDIT_LOG", files: 5, eventsPerFile: 30, start: "2026-11-21T00:00:00Z" }));
    const result = await collect(options());
    expect(workspaceIds()).toEqual(sourceIds());
    expect(result.stats.events).toBe(150);
    expect(result.stats.pages).toBe(3);
    // pages 2 and 3 re-list the file ending at the cursor; it is skipped, not downloaded again
    const downloads = fakes.source.requests.filter((r) => r.path.includes("/logs/file-"));
    expect(downloads).toHaveLength(5);
    expect(readState().cursors.AUDIT_LOG?.after).toBe(fakes.source.files.at(-1)?.endTime);
    expect(readState().pending).toBeUndefined();
    // undeclared keys never leave the collector
    expect(fakes.ingestion.accepted.get(STREAM)?.[0]).not.toHaveProperty("undeclared_key");
  });

  it("a second run finds nothing new and uploads nothing", async () => {
    fakes.source.files.push(...generateLogFiles({ eventType: "AUDIT_LOG", files: 3, eventsPerFile: 10, start: "2026-11-21T00:00:00Z" }));
    await collect(options());
    const uploadsBefore = fakes.ingestion.uploads.length;
    const again = await collect(options());
    expect(again.stats.events).toBe(0);
    expect(fakes.ingestion.uploads.length).toBe(uploadsBefore);
    expect(workspaceIds()).toEqual(sourceIds());
  });

  it("drops a boundary event the platform serves again in a new file", async () => {
    const files = generateLogFiles({ eventType: "AUDIT_LOG", files: 2, eventsPerFile: 5, start: "2026-11-21T00:00:00Z" });
    await collect(options());
    fakes.source.files.push(...files);
    await collect(options());
    fakes.source.files.push({ id: "file-late", eventType: "AUDIT_LOG", endTime: "2026-11-21T00:05:00.000Z", lines: [files[1]!.lines[4]!, files[0]!.lines[0]!.replace("audit_log-00000000", "audit_log-new")] });
    const result = await collect(options());
    expect(result.stats.duplicates).toBe(1);
    expect(workspaceIds()).toEqual(sourceIds().filter((id, i, all) => all.indexOf(id) === i));
  });

  it("keeps the cursor on empty pages (last_end_time null)", async () => {
    const result = await collect(options());
    expect(result.stats).toMatchObject({ pages: 1, files: 0, events: 0 });
    expect(readState().cursors.AUDIT_LOG?.after).toBe("2026-11-20T00:00:00Z");
    expect(fakes.source.requests[0]?.path).toContain("after=2026-11-20T00%3A00%3A00Z");
  });

  it("downloads through the 307 without sending the key to the signed URL", async () => {
    fakes.source.files.push(...generateLogFiles({ eventType: "AUDIT_LOG", files: 1, eventsPerFile: 3, start: "2026-11-21T00:00:00Z" }));
    await collect(options());
    const signed = fakes.source.requests.filter((r) => r.path.startsWith("/signed/"));
    expect(signed).toHaveLength(1);
    expect(signed[0]?.authorization).toBeUndefined();
  });

  it("retries a download whose connection drops half-way", async () => {
    fakes.source.files.push(...generateLogFiles({ eventType: "AUDIT_LOG", files: 3, eventsPerFile: 40, start: "2026-11-21T00:00:00Z" }));
    fakes.source.dropMidDownload.add(fakes.source.files[1]!.id);
    await collect(options());
    expect(fakes.source.dropMidDownload.size).toBe(0);
    expect(workspaceIds()).toEqual(sourceIds());
  });

  it("honours Retry-After on 429 and backs off on 500 from the platform", async () => {
    fakes.source.files.push(...generateLogFiles({ eventType: "AUDIT_LOG", files: 1, eventsPerFile: 2, start: "2026-11-21T00:00:00Z" }));
    fakes.source.listFaults.push({ status: 429, retryAfter: "3" }, { status: 500 });
    await collect(options());
    expect(sleeps).toEqual([3000, 200]);
    expect(workspaceIds()).toEqual(sourceIds());
  });

  it("honours Retry-After on 429 and retries 500 from the ingestion API", async () => {
    fakes.source.files.push(...generateLogFiles({ eventType: "AUDIT_LOG", files: 1, eventsPerFile: 2, start: "2026-11-21T00:00:00Z" }));
    fakes.ingestion.uploadFaults.push({ status: 429, retryAfter: "2" }, { status: 500 });
    await collect(options());
    expect(sleeps).toEqual([2000, 200]);
    expect(fakes.ingestion.uploads.map((u) => u.status)).toEqual([429, 500, 204]);
    expect(workspaceIds()).toEqual(sourceIds());
  });

  it("stops with SC8002 on a 4xx that cannot succeed and resumes without loss or duplicates", async () => {
    fakes.source.files.push(...generateLogFiles({ eventType: "AUDIT_LOG", files: 6, eventsPerFile: 200, start: "2026-11-21T00:00:00Z" }));
    const small = { maxBatchBytes: 60_000 };
    fakes.ingestion.uploadFaults.push(undefined, undefined, { status: 403 });
    const failed = collect(options(small));
    await expect(failed).rejects.toMatchObject({ code: "SC8002" });
    await expect(failed).rejects.toThrow(/HTTP 403/);
    expect(readState().pending).toBeUndefined();
    const accepted = workspaceIds().length;
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(1200);
    await collect(options(small));
    expect(workspaceIds()).toEqual(sourceIds());
  });

  it("stops with SC8003 when retries run out and, rerun, sends the in-doubt batch again with SC8007", async () => {
    fakes.source.files.push(...generateLogFiles({ eventType: "AUDIT_LOG", files: 2, eventsPerFile: 10, start: "2026-11-21T00:00:00Z" }));
    fakes.ingestion.uploadFaults.push({ status: 500 }, { status: 500 }, { status: 503 }, { status: 500 });
    await expect(collect(options())).rejects.toMatchObject({ code: "SC8003" });
    expect(readState().pending?.eventIds).toHaveLength(20);
    const rerun = await collect(options());
    expect(rerun.diagnostics.map((d) => d.code)).toEqual(["SC8007"]);
    expect(workspaceIds()).toEqual(sourceIds());
  });

  it("stops with SC8002 on 413 when a batch exceeds the service limit", async () => {
    fakes.source.files.push(...generateLogFiles({ eventType: "AUDIT_LOG", files: 1, eventsPerFile: 50, start: "2026-11-21T00:00:00Z" }));
    fakes.ingestion.maxBodyBytes = 5_000;
    await expect(collect(options())).rejects.toThrow(/HTTP 413/);
  });

  it.each([
    { commitsBeforeCrash: 0, label: "the first batch" },
    { commitsBeforeCrash: 3, label: "a middle batch" },
  ])("a kill between upload and checkpoint ($label) neither loses nor duplicates with the workspace check", async ({ commitsBeforeCrash }) => {
    fakes.source.files.push(...generateLogFiles({ eventType: "AUDIT_LOG", files: 4, eventsPerFile: 150, start: "2026-11-21T00:00:00Z" }));
    const small = { maxBatchBytes: 40_000 };
    const file = new FileStateStore(path.join(fakes.dir, "state.json"));
    await expect(collect(options({ ...small, store: crashOnCommit(file, commitsBeforeCrash) }))).rejects.toThrow(/simulated kill/);
    expect(readState().pending?.eventIds.length).toBeGreaterThan(0);
    const verifier: InDoubtVerifier = createWorkspaceVerifier({
      query: createWorkspaceQuery({ workspaceId: "law-1", credential: fakeCredential, options: { endpoint: `${fakes.ingestion.endpoint}/v1`, tlsOptions: { ca: fakes.cert.cert } } }),
      tables: ["ChatGPTComplianceEvents_CL", "ChatGPTConversationMessages_CL"],
      idColumn: "EventId",
      waitMs: 0,
      pollMs: 0,
    });
    const rerun = await collect(options({ ...small, verifier }));
    expect(fakes.ingestion.queries).toHaveLength(1);
    expect(rerun.diagnostics).toEqual([]);
    expect(workspaceIds()).toEqual(sourceIds());
  });

  it("a second kill right after a checked restart still neither loses nor duplicates", async () => {
    fakes.source.files.push(...generateLogFiles({ eventType: "AUDIT_LOG", files: 3, eventsPerFile: 150, start: "2026-11-21T00:00:00Z" }));
    const small = { maxBatchBytes: 40_000 };
    const file = new FileStateStore(path.join(fakes.dir, "state.json"));
    const verifier = (): InDoubtVerifier =>
      createWorkspaceVerifier({
        query: createWorkspaceQuery({ workspaceId: "law-1", credential: fakeCredential, options: { endpoint: `${fakes.ingestion.endpoint}/v1`, tlsOptions: { ca: fakes.cert.cert } } }),
        tables: ["ChatGPTComplianceEvents_CL"],
        idColumn: "EventId",
        waitMs: 0,
        pollMs: 0,
      });
    await expect(collect(options({ ...small, store: crashOnCommit(file, 2) }))).rejects.toThrow(/simulated kill/);
    const firstPending = readState().pending!.eventIds;
    await expect(collect(options({ ...small, store: crashOnCommit(file, 0), verifier: verifier() }))).rejects.toThrow(/simulated kill/);
    // the new pending record also names the events the first check found, so the next check skips them again
    expect(readState().pending!.eventIds.slice(0, firstPending.length)).toEqual(firstPending);
    const last = await collect(options({ ...small, verifier: verifier() }));
    expect(last.diagnostics).toEqual([]);
    expect(readState().pending).toBeUndefined();
    expect(workspaceIds()).toEqual(sourceIds());
  });

  it("leaves a pending batch of an event type this run does not collect for a later run", async () => {
    fakes.source.files.push(...generateLogFiles({ eventType: "AUDIT_LOG", files: 1, eventsPerFile: 5, start: "2026-11-21T00:00:00Z" }));
    const file = new FileStateStore(path.join(fakes.dir, "state.json"));
    await expect(collect(options({ store: crashOnCommit(file, 0) }))).rejects.toThrow(/simulated kill/);
    const other = await collect(options({ eventTypes: ["AUTH_LOG"] }));
    expect(other.diagnostics).toEqual([]);
    expect(readState().pending?.eventType).toBe("AUDIT_LOG");
  });

  it("without the workspace check, the in-doubt batch is re-sent (at least once) and flagged", async () => {
    fakes.source.files.push(...generateLogFiles({ eventType: "AUDIT_LOG", files: 2, eventsPerFile: 20, start: "2026-11-21T00:00:00Z" }));
    const file = new FileStateStore(path.join(fakes.dir, "state.json"));
    await expect(collect(options({ store: crashOnCommit(file, 0) }))).rejects.toThrow(/simulated kill/);
    const rerun = await collect(options());
    expect(rerun.diagnostics.map((d) => d.code)).toEqual(["SC8007"]);
    const pending = workspaceIds().length - sourceIds().length;
    expect(rerun.diagnostics[0]?.message).toBe(
      `${pending} AUDIT_LOG events of a batch the previous run uploaded but did not checkpoint are sent again: up to ${pending} rows may arrive twice; ` +
        "the parsers de-duplicate on EventId, so detections and workbooks see each event once; pass --verify-workspace <Log Analytics workspace id> to check the workspace instead of re-sending",
    );
    expect(new Set(workspaceIds())).toEqual(new Set(sourceIds()));
    expect(pending).toBeGreaterThan(0);
  });

  it("when the workspace cannot be queried, says so (SC8015), re-sends the in-doubt batch once and still loses nothing", async () => {
    fakes.source.files.push(...generateLogFiles({ eventType: "AUDIT_LOG", files: 2, eventsPerFile: 20, start: "2026-11-21T00:00:00Z" }));
    const file = new FileStateStore(path.join(fakes.dir, "state.json"));
    await expect(collect(options({ store: crashOnCommit(file, 0) }))).rejects.toThrow(/simulated kill/);
    const refused: InDoubtVerifier = { existingIds: async () => Promise.reject(new Error("HTTP 403 InsufficientAccessError")) };
    const rerun = await collect(options({ verifier: refused }));
    expect(rerun.diagnostics.map((d) => d.code)).toEqual(["SC8015", "SC8007"]);
    expect(rerun.diagnostics[1]?.message).toContain("grant the identity read access to the workspace's tables");
    expect(new Set(workspaceIds())).toEqual(new Set(sourceIds()));
  });

  it("refuses a state file whose cursor is in the future (SC8009 through InvalidStateError)", async () => {
    const store = new FileStateStore(path.join(fakes.dir, "state.json"));
    await store.save({ version: 1, source: "chatgpt", principalId: WORKSPACE, stream: STREAM, cursors: { AUDIT_LOG: { after: "2099-01-01T00:00:00Z", files: {}, recentIds: [] } } });
    await expect(collect(options())).rejects.toThrow(/later than now/);
    expect(fakes.ingestion.uploads).toEqual([]);
  });

  it("keeps batches at or under 1 MB and splits big volumes into several requests", async () => {
    const files = generateLogFiles({ eventType: "AUDIT_LOG", files: 2, eventsPerFile: 1500, start: "2026-11-21T00:00:00Z" });
    for (const f of files) f.lines = f.lines.map((l) => l.replace('"Mozilla/5.0"', `"${"x".repeat(700)}"`));
    fakes.source.files.push(...files);
    const result = await collect(options());
    expect(result.stats.batches).toBeGreaterThan(2);
    expect(fakes.ingestion.uploads.every((u) => u.status === 204)).toBe(true);
    expect(workspaceIds()).toEqual(sourceIds());
  });

  it("reports unreadable lines (SC8005), events without event_id (SC8006) and shrinks oversized events (SC8008)", async () => {
    const big = JSON.stringify({ event_id: "big-1", type: "AUDIT_LOG", timestamp: "2026-11-21T00:00:00Z", action_data: { blob: "y".repeat(1_200_000) } });
    fakes.source.files.push({
      id: "file-odd",
      eventType: "AUDIT_LOG",
      endTime: "2026-11-21T00:01:00Z",
      lines: ['{"event_id":"ok-1","type":"AUDIT_LOG"}', "{not json", "[1,2]", '{"type":"AUDIT_LOG","action":"NO_ID"}', big],
    });
    const result = await collect(options());
    expect(result.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ["SC8005", 2],
      ["SC8005", 3],
      ["SC8006", 4],
      ["SC8008", 5],
    ]);
    expect(result.diagnostics[0]?.file).toBe("AUDIT_LOG/file-odd");
    expect(result.stats).toMatchObject({ lines: 5, invalidLines: 2, events: 3 });
    const stored = fakes.ingestion.accepted.get(STREAM)!.find((r) => r.event_id === "big-1") as { action_data: { blob: string } };
    expect(stored.action_data.blob).toHaveLength(65_536);
  });

  it.each([
    { after: "2026-10-27T00:00:00Z", message: /29 days old, close to/ },
    { after: "2026-10-20T00:00:00Z", message: /36 days old: files ending before 2026-10-26T00:00:00.000Z/ },
  ])("warns (SC8004) when the cursor $after nears or passes the 30-day retention", async ({ after, message }) => {
    const result = await collect(options({ since: after }));
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ code: "SC8004", severity: "warning" });
    expect(result.diagnostics[0]?.message).toMatch(message);
  });

  it("refuses a state file of another principal (SC8009)", async () => {
    await collect(options());
    await expect(collect(options({ principalId: "org-other" }))).rejects.toBeInstanceOf(CollectError);
    await expect(collect(options({ principalId: "org-other" }))).rejects.toMatchObject({ code: "SC8009" });
  });

  it("stops with SC8012 when the platform says has_more but does not move the cursor", async () => {
    fakes.source.files.push(...generateLogFiles({ eventType: "AUDIT_LOG", files: 1, eventsPerFile: 1, start: "2026-11-21T00:00:00Z" }));
    fakes.source.listFaults.push({ status: 200, body: JSON.stringify({ data: [], has_more: true, last_end_time: null }) });
    await expect(collect(options())).rejects.toMatchObject({ code: "SC8012" });
  });
});

/** A fetch that counts the body chunks the client reads from signed download URLs. */
function countingFetch(counter: { chunks: number }): typeof fetch {
  return (async (input: URL | string, init?: RequestInit) => {
    const response = await fetch(input, init);
    if (!String(input).includes("/signed/") || response.body === null) return response;
    const counted = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          counter.chunks++;
          controller.enqueue(chunk);
        },
      }),
    );
    return new Response(counted, { status: response.status, headers: response.headers });
  }) as typeof fetch;
}

/** An uploader that waits before each upload (a slow ingestion endpoint) and then uploads with `inner`. */
function slowUploader(inner: CollectOptions["uploader"], ms: number): CollectOptions["uploader"] {
  return { upload: async (rows) => (await new Promise((r) => setTimeout(r, ms)), inner.upload(rows)) };
}

describe("streamed downloads", () => {
  // CRLF endings, blank lines, 2-, 3- and 4-byte characters, a malformed line and a last line without LF.
  const ODD_BODY = [
    '{"event_id":"s-1","type":"AUDIT_LOG","action":"é-accent"}\r\n',
    "\r\n",
    '{"event_id":"s-2","type":"AUDIT_LOG","action":"日本語"}\n',
    "   \n",
    '{"event_id":"s-3",broken\r\n',
    '{"event_id":"s-4","type":"AUDIT_LOG","action":"😀 emoji"}\r\n',
    '{"event_id":"s-5","type":"AUDIT_LOG","action":"no newline at the end"}',
  ].join("");

  it.each([1, 2, 3, 5, 7])("reads a body served in %i-byte chunks exactly as a whole one", async (chunkBytes) => {
    fakes.source.files.push({ id: "file-odd", eventType: "AUDIT_LOG", endTime: "2026-11-21T00:01:00Z", lines: [], body: () => [Buffer.from(ODD_BODY, "utf8")], chunkBytes });
    const counter = { chunks: 0 };
    const result = await collect(options({ api: createComplianceClient({ baseUrl: fakes.source.baseUrl, principalId: WORKSPACE, key: new Secret(KEY), fetch: countingFetch(counter) }) }));
    expect(counter.chunks).toBeGreaterThan(Buffer.byteLength(ODD_BODY) / chunkBytes / 4);
    expect(result.diagnostics.map((d) => [d.code, d.line])).toEqual([["SC8005", 5]]);
    expect(result.stats).toMatchObject({ lines: 5, invalidLines: 1, events: 4 });
    const actions = fakes.ingestion.accepted.get(STREAM)!.map((r) => [r.event_id, r.action]);
    expect(actions).toEqual([
      ["s-1", "é-accent"],
      ["s-2", "日本語"],
      ["s-4", "😀 emoji"],
      ["s-5", "no newline at the end"],
    ]);
    expect(readState().cursors.AUDIT_LOG?.files["file-odd"]).toEqual({ lines: 5, done: true });
  });

  it("a kill mid-file between upload and checkpoint resumes inside the file without loss or duplicates", async () => {
    const [file] = generateLogFiles({ eventType: "AUDIT_LOG", files: 1, eventsPerFile: 400, start: "2026-11-21T00:00:00Z" });
    fakes.source.files.push({ ...file!, chunkBytes: 997 });
    const small = { maxBatchBytes: 40_000 };
    const store = new FileStateStore(path.join(fakes.dir, "state.json"));
    await expect(collect(options({ ...small, store: crashOnCommit(store, 2) }))).rejects.toThrow(/simulated kill/);
    const atKill = readState();
    const progress = atKill.cursors.AUDIT_LOG?.files[file!.id];
    expect(progress?.done).toBe(false);
    expect(progress?.lines).toBeGreaterThan(0);
    expect(atKill.pending?.progress[file!.id]?.lines).toBeGreaterThan(progress!.lines);
    const verifier = createWorkspaceVerifier({
      query: createWorkspaceQuery({ workspaceId: "law-1", credential: fakeCredential, options: { endpoint: `${fakes.ingestion.endpoint}/v1`, tlsOptions: { ca: fakes.cert.cert } } }),
      tables: ["ChatGPTComplianceEvents_CL"],
      idColumn: "EventId",
      waitMs: 0,
      pollMs: 0,
    });
    const rerun = await collect(options({ ...small, verifier }));
    expect(rerun.diagnostics).toEqual([]);
    expect(workspaceIds()).toEqual(sourceIds());
  });

  it("a 403 mid-file stops at the last accepted batch and the next run goes on from that line", async () => {
    const [file] = generateLogFiles({ eventType: "AUDIT_LOG", files: 1, eventsPerFile: 600, start: "2026-11-21T00:00:00Z" });
    fakes.source.files.push({ ...file!, chunkBytes: 4093 });
    const small = { maxBatchBytes: 60_000 };
    fakes.ingestion.uploadFaults.push(undefined, undefined, { status: 403 });
    await expect(collect(options(small))).rejects.toMatchObject({ code: "SC8002" });
    const stopped = readState().cursors.AUDIT_LOG?.files[file!.id];
    expect(stopped?.done).toBe(false);
    expect(workspaceIds()).toHaveLength(stopped!.lines);
    const rerun = await collect(options(small));
    expect(rerun.stats.lines).toBe(600 - stopped!.lines);
    expect(workspaceIds()).toEqual(sourceIds());
  });

  it("a connection dropped after batches of the file were committed downloads again and skips what was sent", async () => {
    const [file] = generateLogFiles({ eventType: "AUDIT_LOG", files: 1, eventsPerFile: 500, start: "2026-11-21T00:00:00Z" });
    fakes.source.files.push(file!);
    fakes.source.dropMidDownload.add(file!.id);
    const signed = (): number => fakes.source.requests.filter((r) => r.path.startsWith("/signed/")).length;
    const downloadsAtUpload: number[] = [];
    const base = options({ maxBatchBytes: 30_000 });
    const uploader: CollectOptions["uploader"] = { upload: (rows) => (downloadsAtUpload.push(signed()), base.uploader.upload(rows)) };
    const result = await collect({ ...base, uploader });
    expect(signed()).toBe(2);
    // batches of the first half went out before the drop; the second download only sent the rest
    expect(downloadsAtUpload.filter((n) => n === 1).length).toBeGreaterThan(0);
    expect(result.stats.lines).toBe(500);
    expect(sleeps).toEqual([100]);
    expect(workspaceIds()).toEqual(sourceIds());
  });

  it("times out a download whose server stops sending, and retries it", async () => {
    fakes.source.files.push(...generateLogFiles({ eventType: "AUDIT_LOG", files: 1, eventsPerFile: 300, start: "2026-11-21T00:00:00Z" }));
    fakes.source.stallMidDownload.add(fakes.source.files[0]!.id);
    const api = createComplianceClient({ baseUrl: fakes.source.baseUrl, principalId: WORKSPACE, key: new Secret(KEY), timeoutMs: 1_000 });
    await collect(options({ api }));
    expect(fakes.source.stallMidDownload.size).toBe(0);
    expect(sleeps).toEqual([100]);
    expect(workspaceIds()).toEqual(sourceIds());
  });

  it("the download timeout counts only waits on the server, not the time spent uploading between reads", async () => {
    const [file] = generateLogFiles({ eventType: "AUDIT_LOG", files: 1, eventsPerFile: 300, start: "2026-11-21T00:00:00Z" });
    fakes.source.files.push({ ...file!, chunkBytes: 8192 });
    const api = createComplianceClient({ baseUrl: fakes.source.baseUrl, principalId: WORKSPACE, key: new Secret(KEY), timeoutMs: 1_000 });
    const base = options({ maxBatchBytes: 40_000 });
    const result = await collect({ ...base, api, uploader: slowUploader(base.uploader, 400) });
    expect(result.stats.batches).toBeGreaterThan(3);
    expect(fakes.source.requests.filter((r) => r.path.startsWith("/signed/"))).toHaveLength(1);
    expect(workspaceIds()).toEqual(sourceIds());
  });

  it(`lists the first ${LINE_FINDINGS_LISTED} unreadable lines of a file and counts the rest in one finding`, async () => {
    const lines = [...Array.from({ length: LINE_FINDINGS_LISTED + 5 }, (_, i) => `broken ${i}`), '{"event_id":"last","type":"AUDIT_LOG"}'];
    fakes.source.files.push({ id: "file-broken", eventType: "AUDIT_LOG", endTime: "2026-11-21T00:01:00Z", lines });
    const result = await collect(options());
    expect(result.diagnostics).toHaveLength(LINE_FINDINGS_LISTED + 1);
    expect(result.diagnostics.at(-2)).toMatchObject({ code: "SC8005", line: LINE_FINDINGS_LISTED });
    expect(result.diagnostics.at(-1)).toMatchObject({ code: "SC8005", line: LINE_FINDINGS_LISTED + 1 });
    expect(result.diagnostics.at(-1)?.message).toMatch(/^5 more lines of log file file-broken, from line 101 on/);
    expect(result.stats).toMatchObject({ invalidLines: LINE_FINDINGS_LISTED + 5, events: 1 });
  });
});
