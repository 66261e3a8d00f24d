// A seeded fault campaign against the collector: runs killed at random points (before an upload, after the
// service stored a batch but before the checkpoint, before or half-way through a checkpoint write), with 429,
// 5xx and dropped connections injected on the way, until every event of a source that keeps growing has landed.
// Used by the fault-campaign test and printed by `npm run bench`.
import { readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { collect, type InDoubtVerifier } from "../collector.ts";
import { createComplianceClient } from "../compliance-client.ts";
import type { RetryPolicy } from "../retry.ts";
import { Secret } from "../secret.ts";
import { FileStateStore, type CollectorState, type StateStore } from "../state.ts";
import { createIngestionClient, createLogsIngestionUploader, type Uploader } from "../uploader.ts";
import { startFakeCompliancePlatform, type FakeLogFile } from "./compliance-platform.ts";
import { FAKE_TOKEN, fakeCredential } from "./credential.ts";
import { generateLogFiles } from "./generate.ts";
import { startFakeLogsIngestion, type LoopbackCert } from "./logs-ingestion.ts";
import { seededRandom } from "../seeded-random.ts";

/** Thrown at the kill point: the run ends there, as if the process had been killed (its memory is lost). */
export class Killed extends Error {
  override name = "Killed";
}

/** Where a run was killed. */
export type KillPoint = "before-upload" | "after-store-before-checkpoint" | "before-checkpoint-write" | "mid-checkpoint-write";

/** Options of a collector campaign. */
export interface CollectorCampaignOptions {
  seed: number;
  /** Killed runs at least (the campaign then runs once more, unkilled, to the end). */
  kills: number;
  /** Log files added to the source before each run, and events per file. */
  filesPerRun: number;
  eventsPerFile: number;
  /** Check in-doubt batches against the fake workspace (false: re-send them, the worst case for duplicates). */
  verify: boolean;
  cert: LoopbackCert;
  dir: string;
}

/** What a campaign measured. */
export interface CollectorCampaignResult {
  runs: number;
  kills: number;
  killsAt: Record<KillPoint, number>;
  faults: { throttled: number; serverErrors: number; droppedDownloads: number };
  /** Distinct events the source holds (all of them were due to land). */
  events: number;
  /** Source events absent from the workspace. */
  lost: number;
  /** Rows beyond the first per event id in the workspace (what a raw-table query sees). */
  duplicatedAtWire: number;
  /** Rows beyond one per event after de-duplicating on the event id, as the parsers do (rows without an id stay). */
  duplicatedAfterDedup: number;
  /** Temporary files left beside the state file at the end. */
  tempFilesLeft: number;
}

const PRINCIPAL = "be545252-ad04-4cfa-9ca5-deca58416151";
const KEY = "sk-campaign-0123456789abcdefghij";
const DCR = "dcr-campaign";
const STREAM = "Custom-ChatGPTComplianceRaw";
const COLUMNS = new Set(["event_id", "type", "timestamp", "principal", "actor", "action", "action_result", "action_privilege", "action_data", "request_metadata"]);
/** The raw key the DCR transform turns into the EventId column, which the parsers de-duplicate on. */
const ID_KEY = "event_id";
/** A process id no live process has (Linux pid_max is at most 2^22), for the temp file a killed write leaves. */
const DEAD_PID = 4_194_304;

const noWait: RetryPolicy = { maxAttempts: 6, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => undefined };

/** Runs the campaign against fresh loopback fakes and returns its figures. */
export async function runCollectorCampaign(options: CollectorCampaignOptions): Promise<CollectorCampaignResult> {
  const random = seededRandom(options.seed);
  const platform = await startFakeCompliancePlatform({ principalId: PRINCIPAL, key: KEY });
  const ingestion = await startFakeLogsIngestion({ cert: options.cert, token: FAKE_TOKEN, dcrImmutableId: DCR, streams: [STREAM], idKey: ID_KEY });
  const stateFile = path.join(options.dir, "state.json");
  const result: CollectorCampaignResult = {
    runs: 0,
    kills: 0,
    killsAt: { "before-upload": 0, "after-store-before-checkpoint": 0, "before-checkpoint-write": 0, "mid-checkpoint-write": 0 },
    faults: { throttled: 0, serverErrors: 0, droppedDownloads: 0 },
    events: 0,
    lost: 0,
    duplicatedAtWire: 0,
    duplicatedAfterDedup: 0,
    tempFilesLeft: 0,
  };
  try {
    const client = createIngestionClient(ingestion.endpoint, fakeCredential, { tlsOptions: { ca: options.cert.cert } });
    const verifier: InDoubtVerifier = { existingIds: async (ids) => presentIds(ingestion.accepted.get(STREAM) ?? [], ids) };
    for (let run = 0; ; run++) {
      if (run < options.kills * 4) addFiles(platform.files, run, options);
      injectFaults(random, platform, ingestion, result);
      const kill = result.kills < options.kills ? new KillSwitch(1 + Math.floor(random() * 12), random) : undefined;
      result.runs++;
      try {
        await collect({
          source: "chatgpt",
          principalId: PRINCIPAL,
          stream: STREAM,
          streamColumns: COLUMNS,
          eventTypes: ["AUDIT_LOG"],
          since: "2026-11-20T00:00:00Z",
          pageSize: 3,
          api: createComplianceClient({ baseUrl: platform.baseUrl, principalId: PRINCIPAL, key: new Secret(KEY) }),
          uploader: killable(createLogsIngestionUploader({ client, dcrImmutableId: DCR, stream: STREAM, retry: noWait }), kill),
          store: killableStore(new FileStateStore(stateFile), stateFile, kill),
          retry: noWait,
          maxBatchBytes: 16_384,
          now: () => new Date("2026-11-25T00:00:00Z"),
          ...(options.verify ? { verifier } : {}),
        });
        if (!kill?.fired && result.kills >= options.kills) break;
      } catch (error) {
        if (!(error instanceof Killed)) throw error;
        result.kills++;
        result.killsAt[error.message as KillPoint]++;
      }
    }
    const sourceIds = platform.files.flatMap((f) => f.lines.map((l) => String((JSON.parse(l) as Record<string, unknown>)[ID_KEY])));
    Object.assign(result, measure(sourceIds, ingestion.accepted.get(STREAM) ?? []));
    result.tempFilesLeft = readdirSync(options.dir).filter((n) => n.endsWith(".tmp")).length;
    return result;
  } finally {
    await platform.close();
    await ingestion.close();
  }
}

/** Lost and duplicated counts of the workspace's rows against the source's event ids. */
export function measure(sourceIds: readonly string[], rows: readonly Record<string, unknown>[]): Pick<CollectorCampaignResult, "events" | "lost" | "duplicatedAtWire" | "duplicatedAfterDedup"> {
  const source = new Set(sourceIds);
  const perId = new Map<string, number>();
  const withoutId: string[] = [];
  for (const row of rows) {
    const id = row[ID_KEY];
    if (typeof id === "string" && id !== "") perId.set(id, (perId.get(id) ?? 0) + 1);
    else withoutId.push(JSON.stringify(row));
  }
  const landed = [...source].filter((id) => perId.has(id)).length;
  const atWire = [...perId.values()].reduce((n, c) => n + c - 1, 0) + withoutId.length - new Set(withoutId).size;
  // De-duplicated on the id (one row per id, rows without an id kept as they are), as the parsers read the tables.
  const afterDedup = perId.size + withoutId.length - landed;
  return { events: source.size, lost: source.size - landed, duplicatedAtWire: atWire, duplicatedAfterDedup: afterDedup };
}

function presentIds(rows: readonly Record<string, unknown>[], ids: readonly string[]): Set<string> {
  const wanted = new Set(ids);
  return new Set(rows.map((r) => String(r[ID_KEY])).filter((id) => wanted.has(id)));
}

/** A live source: every run finds new log files, each ending a minute after the last. */
function addFiles(files: FakeLogFile[], run: number, options: CollectorCampaignOptions): void {
  const start = new Date(Date.parse("2026-11-21T00:00:00Z") + run * options.filesPerRun * 60_000).toISOString();
  files.push(...generateLogFiles({ eventType: "AUDIT_LOG", files: options.filesPerRun, eventsPerFile: options.eventsPerFile, start, idPrefix: `r${run}` }));
}

/** Scripts a few transport faults for the next run: 429 with Retry-After, 5xx, a download cut half-way. */
function injectFaults(
  random: () => number,
  platform: Awaited<ReturnType<typeof startFakeCompliancePlatform>>,
  ingestion: Awaited<ReturnType<typeof startFakeLogsIngestion>>,
  result: CollectorCampaignResult,
): void {
  if (random() < 0.5) {
    ingestion.uploadFaults.push(random() < 0.5 ? { status: 429, retryAfter: "3600" } : { status: 503 });
    result.faults[ingestion.uploadFaults.at(-1)!.status === 429 ? "throttled" : "serverErrors"]++;
  }
  if (random() < 0.3) {
    platform.listFaults.push(random() < 0.5 ? { status: 429, retryAfter: "1" } : { status: 500 });
    result.faults[platform.listFaults.at(-1)!.status === 429 ? "throttled" : "serverErrors"]++;
  }
  if (random() < 0.3) {
    platform.downloadFaults.push({ status: 502 });
    result.faults.serverErrors++;
  }
  const last = platform.files.at(-1);
  if (last && random() < 0.3) {
    platform.dropMidDownload.add(last.id);
    result.faults.droppedDownloads++;
  }
}

/** Counts the hooks a run passes and fires (throws Killed) at the chosen one. */
class KillSwitch {
  fired = false;
  #seen = 0;
  constructor(
    readonly at: number,
    readonly random: () => number,
  ) {}

  /** Throws Killed when this hook is the chosen one. */
  hook(point: KillPoint): void {
    if (this.fired || ++this.#seen !== this.at) return;
    this.fired = true;
    throw new Killed(point);
  }
}

function killable(uploader: Uploader, kill: KillSwitch | undefined): Uploader {
  return {
    async upload(rows) {
      kill?.hook("before-upload");
      await uploader.upload(rows);
      kill?.hook("after-store-before-checkpoint");
    },
  };
}

/** A state store whose checkpoint writes can be killed before they start or half-way (a temp file left, no rename). */
function killableStore(store: FileStateStore, file: string, kill: KillSwitch | undefined): StateStore {
  return {
    load: () => store.load(),
    async save(state: CollectorState) {
      if (kill && !kill.fired && kill.random() < 0.5) {
        try {
          kill.hook("mid-checkpoint-write");
        } catch (error) {
          writeFileSync(`${file}.${DEAD_PID}.0badcafe.tmp`, JSON.stringify(state).slice(0, 100));
          throw error;
        }
      } else kill?.hook("before-checkpoint-write");
      await store.save(state);
    },
  };
}
