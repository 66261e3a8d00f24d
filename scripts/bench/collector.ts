// Collector throughput: events per second from the fake Compliance Logs Platform through the collector
// (download, split, de-duplicate, batch ≤ 1 MB, checkpoint) into the fake Logs Ingestion API over https.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { collect } from "../../src/ingest/collector.ts";
import { createComplianceClient } from "../../src/ingest/compliance-client.ts";
import { startFakeCompliancePlatform } from "../../src/ingest/fakes/compliance-platform.ts";
import { generateLogFiles } from "../../src/ingest/fakes/generate.ts";
import { makeLoopbackCert, startFakeLogsIngestion } from "../../src/ingest/fakes/logs-ingestion.ts";
import { CHATGPT_MAPPING_FILE, loadMapping, streamColumnsOf } from "../../src/ingest/mapping.ts";
import { DEFAULT_RETRY_POLICY } from "../../src/ingest/retry.ts";
import { Secret } from "../../src/ingest/secret.ts";
import { FileStateStore } from "../../src/ingest/state.ts";
import { createIngestionClient, createLogsIngestionUploader } from "../../src/ingest/uploader.ts";

const EVENTS = Number(process.env.BENCH_COLLECTOR_EVENTS ?? 100_000);
const FILES = 50;
const WORKSPACE = "be545252-ad04-4cfa-9ca5-deca58416151";
const KEY = "sk-bench";
const TOKEN = "bench-token";
const DCR = "dcr-bench";
const STREAM = "Custom-ChatGPTComplianceRaw";

const credential: TokenCredential = {
  async getToken(): Promise<AccessToken> {
    return { token: TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 };
  },
};

const cert = makeLoopbackCert();
const mapping = await loadMapping(CHATGPT_MAPPING_FILE);
const files = generateLogFiles({ eventType: "AUDIT_LOG", files: FILES, eventsPerFile: Math.ceil(EVENTS / FILES), start: "2026-11-24T00:00:00Z" });
const sourceBytes = files.reduce((n, f) => n + f.lines.reduce((m, l) => m + l.length + 1, 0), 0);
const platform = await startFakeCompliancePlatform({ principalId: WORKSPACE, key: KEY, files });
const ingestion = await startFakeLogsIngestion({ cert, token: TOKEN, dcrImmutableId: DCR, streams: [STREAM] });
const dir = mkdtempSync(path.join(tmpdir(), "bench-collector-"));
try {
  const client = createIngestionClient(ingestion.endpoint, credential, { tlsOptions: { ca: cert.cert } });
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
  const accepted = ingestion.accepted.get(STREAM)?.length ?? 0;
  if (accepted !== result.stats.events) throw new Error(`fake workspace holds ${accepted} rows, collector reported ${result.stats.events}`);
  const rss = process.memoryUsage().rss / 1024 / 1024;
  console.log(`collector: ${result.stats.events} events in ${result.stats.files} files (${(sourceBytes / 1024 / 1024).toFixed(1)} MB of JSONL)`);
  console.log(`collector: ${result.stats.batches} uploads of ≤ 1 MB, ${(result.stats.bytes / 1024 / 1024).toFixed(1)} MB sent (undeclared keys dropped), state checkpointed twice per upload`);
  console.log(`collector: ${seconds.toFixed(2)} s → ${Math.round(result.stats.events / seconds)} events/s, ${(result.stats.bytes / 1024 / 1024 / seconds).toFixed(1)} MB/s; peak RSS ${rss.toFixed(0)} MB`);
} finally {
  await platform.close();
  await ingestion.close();
  rmSync(dir, { recursive: true, force: true });
}
