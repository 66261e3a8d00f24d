// Collector benchmarks, each case in its own process so that its peak RSS is its own:
// - throughput: events per second from the fake Compliance Logs Platform through the collector (download,
//   split, de-duplicate, batch ≤ 1 MB, checkpoint) into the fake Logs Ingestion API over https, 50 files;
// - large-<MB>: one log file of that many MB of JSON Lines, generated chunk by chunk by the fake (which holds
//   no copy) and counted, not kept, by the fake ingestion API: peak RSS must not grow with the file.
// BENCH_COLLECTOR_EVENTS sets the throughput case's events; BENCH_COLLECTOR_LARGE_MB the large sizes (comma list).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { collect } from "../../src/ingest/collector.ts";
import { createComplianceClient } from "../../src/ingest/compliance-client.ts";
import { startFakeCompliancePlatform, type FakeLogFile } from "../../src/ingest/fakes/compliance-platform.ts";
import { FAKE_TOKEN, fakeCredential } from "../../src/ingest/fakes/credential.ts";
import { generateLogBody, generateLogFiles } from "../../src/ingest/fakes/generate.ts";
import { makeLoopbackCert, startFakeLogsIngestion } from "../../src/ingest/fakes/logs-ingestion.ts";
import { CHATGPT_MAPPING_FILE, loadMapping, streamColumnsOf } from "../../src/ingest/mapping.ts";
import { DEFAULT_RETRY_POLICY } from "../../src/ingest/retry.ts";
import { Secret } from "../../src/ingest/secret.ts";
import { FileStateStore } from "../../src/ingest/state.ts";
import { createIngestionClient, createLogsIngestionUploader } from "../../src/ingest/uploader.ts";

const EVENTS = Number(process.env.BENCH_COLLECTOR_EVENTS ?? 100_000);
const LARGE_MB = (process.env.BENCH_COLLECTOR_LARGE_MB ?? "50,250").split(",").map(Number);
const FILES = 50;
const WORKSPACE = "be545252-ad04-4cfa-9ca5-deca58416151";
const KEY = "sk-bench";
const DCR = "dcr-bench";
const STREAM = "Custom-ChatGPTComplianceRaw";
/** Bytes of one generated event line (measured: the generator's events are all this long, give or take a byte). */
const BYTES_PER_EVENT = Buffer.byteLength(generateLogFiles({ eventType: "AUDIT_LOG", files: 1, eventsPerFile: 1, start: "2026-11-24T00:00:00Z" })[0]!.lines[0]!) + 1;

const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

/** Runs the collector once over `files` against fresh fakes and prints events/s and peak RSS. */
async function runCase(label: string, files: FakeLogFile[], sourceBytes: number, retainRows: boolean): Promise<void> {
  const cert = makeLoopbackCert();
  const mapping = await loadMapping(CHATGPT_MAPPING_FILE);
  const platform = await startFakeCompliancePlatform({ principalId: WORKSPACE, key: KEY, files });
  const ingestion = await startFakeLogsIngestion({ cert, token: FAKE_TOKEN, dcrImmutableId: DCR, streams: [STREAM], retainRows });
  const dir = mkdtempSync(path.join(tmpdir(), "bench-collector-"));
  try {
    const client = createIngestionClient(ingestion.endpoint, fakeCredential, { tlsOptions: { ca: cert.cert } });
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const result = await collect({
      source: "chatgpt",
      principalId: WORKSPACE,
      stream: STREAM,
      streamColumns: streamColumnsOf(mapping, STREAM)!,
      eventTypes: ["AUDIT_LOG"],
      since: "2026-11-23T00:00:00Z",
      pageSize: 100,
      api: createComplianceClient({ baseUrl: platform.baseUrl, principalId: WORKSPACE, key: new Secret(KEY) }),
      uploader: createLogsIngestionUploader({ client, dcrImmutableId: DCR, stream: STREAM, retry: DEFAULT_RETRY_POLICY }),
      store: new FileStateStore(path.join(dir, "state.json")),
      retry: DEFAULT_RETRY_POLICY,
    });
    const seconds = (performance.now() - started) / 1000;
    if (ingestion.acceptedRows !== result.stats.events) throw new Error(`fake workspace holds ${ingestion.acceptedRows} rows, collector reported ${result.stats.events}`);
    const peakMb = process.resourceUsage().maxRSS / 1024;
    console.log(`collector ${label}: ${result.stats.events} events in ${result.stats.files} files (${mb(sourceBytes)} MB of JSONL), ${result.stats.batches} uploads of ≤ 1 MB, ${mb(result.stats.bytes)} MB sent`);
    console.log(
      `collector ${label}: ${seconds.toFixed(2)} s → ${Math.round(result.stats.events / seconds)} events/s, ${(sourceBytes / 1024 / 1024 / seconds).toFixed(1)} MB/s read; ` +
        `RSS before the run ${mb(rssBefore)} MB, peak RSS ${peakMb.toFixed(0)} MB`,
    );
  } finally {
    await platform.close();
    await ingestion.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** 100,000 events in 50 files held by the fake as lines, rows kept by the fake workspace (the original case). */
async function throughput(): Promise<void> {
  const files = generateLogFiles({ eventType: "AUDIT_LOG", files: FILES, eventsPerFile: Math.ceil(EVENTS / FILES), start: "2026-11-24T00:00:00Z" });
  const sourceBytes = files.reduce((n, f) => n + f.lines.reduce((m, l) => m + l.length + 1, 0), 0);
  await runCase("throughput", files, sourceBytes, true);
}

/** One file of about `sizeMb` MB, generated while served; the fake workspace only counts rows. */
async function large(sizeMb: number): Promise<void> {
  const events = Math.round((sizeMb * 1024 * 1024) / BYTES_PER_EVENT);
  const end = "2026-11-24T00:00:00.000Z";
  const file: FakeLogFile = { id: "file-large", eventType: "AUDIT_LOG", endTime: end, lines: [], body: () => generateLogBody({ eventType: "AUDIT_LOG", events, end }) };
  await runCase(`large-${sizeMb}`, [file], events * BYTES_PER_EVENT, false);
}

const which = process.argv[2];
if (which === "throughput") await throughput();
else if (which?.startsWith("large-")) await large(Number(which.slice("large-".length)));
else {
  const self = fileURLToPath(import.meta.url);
  let failed = false;
  for (const name of ["throughput", ...LARGE_MB.map((m) => `large-${m}`)]) {
    const run = spawnSync(process.execPath, [...process.execArgv, self, name], { stdio: "inherit" });
    failed ||= run.status !== 0;
  }
  process.exitCode = failed ? 1 : 0;
}
