// A collector in its own process, for the kill test: `node --import tsx collector-child.ts <config.json>`.
// The config names the fakes' URLs, the CA of the https fake, the state file and the batch size.
import { readFileSync } from "node:fs";
import { collect } from "../collector.ts";
import { createComplianceClient } from "../compliance-client.ts";
import { Secret } from "../secret.ts";
import { FileStateStore } from "../state.ts";
import { createIngestionClient, createLogsIngestionUploader } from "../uploader.ts";
import { staticCredential } from "./credential.ts";

/** What the parent test passes to the child collector. */
export interface ChildConfig {
  platformUrl: string;
  ingestionUrl: string;
  ca: string;
  principalId: string;
  key: string;
  token: string;
  dcr: string;
  stream: string;
  columns: string[];
  state: string;
  since: string;
  maxBatchBytes: number;
}

const config = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as ChildConfig;
const credential = staticCredential(config.token);
const retry = { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => undefined };
const client = createIngestionClient(config.ingestionUrl, credential, { tlsOptions: { ca: config.ca } });
await collect({
  source: "chatgpt",
  principalId: config.principalId,
  stream: config.stream,
  streamColumns: new Set(config.columns),
  eventTypes: ["AUDIT_LOG"],
  since: config.since,
  pageSize: 100,
  api: createComplianceClient({ baseUrl: config.platformUrl, principalId: config.principalId, key: new Secret(config.key) }),
  uploader: createLogsIngestionUploader({ client, dcrImmutableId: config.dcr, stream: config.stream, retry }),
  store: new FileStateStore(config.state),
  retry,
  maxBatchBytes: config.maxBatchBytes,
});
process.stdout.write("done\n");
