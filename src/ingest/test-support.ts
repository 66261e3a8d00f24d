import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { FAKE_TOKEN } from "./fakes/credential.ts";
import { afterEach, beforeAll, beforeEach } from "vitest";
import type { FakeCompliancePlatform } from "./fakes/compliance-platform.ts";
import { makeLoopbackCert, startFakeLogsIngestion, type FakeLogsIngestion, type LoopbackCert } from "./fakes/logs-ingestion.ts";
import { CHATGPT_MAPPING_FILE } from "./mapping.ts";
import type { CollectArgs } from "./run-collect.ts";

/** The fakes one collector test works against; fields are refreshed before each test. */
export interface CollectorFakes<Source> {
  cert: LoopbackCert;
  /** The fake source API the collector reads from. */
  source: Source;
  ingestion: FakeLogsIngestion;
  /** A fresh temporary directory, removed after the test. */
  dir: string;
}

/** Registers vitest hooks that start a fake source and a fake Logs Ingestion API (one stream) and a temp dir per test, and stop them after. */
export function useCollectorFakes<Source extends { close(): Promise<void> }>(input: {
  startSource: () => Promise<Source>;
  dcrImmutableId: string;
  stream: string;
  /** The raw-row key the fake workspace stores as the id column. */
  idKey?: string;
  tempPrefix: string;
}): CollectorFakes<Source> {
  const fakes = {} as CollectorFakes<Source>;
  beforeAll(() => {
    fakes.cert = makeLoopbackCert();
  });
  beforeEach(async () => {
    fakes.source = await input.startSource();
    fakes.ingestion = await startFakeLogsIngestion({ cert: fakes.cert, token: FAKE_TOKEN, dcrImmutableId: input.dcrImmutableId, streams: [input.stream], idKey: input.idKey });
    fakes.dir = mkdtempSync(path.join(tmpdir(), input.tempPrefix));
  });
  afterEach(async () => {
    await fakes.source.close();
    await fakes.ingestion.close();
    rmSync(fakes.dir, { recursive: true, force: true });
  });
  return fakes;
}

/** `collect chatgpt` arguments against `fakes` (AUDIT_LOG since 2026-11-20, state in the test's temp dir, no verify wait); `overrides` win. */
export function chatgptCollectArgs(
  fakes: CollectorFakes<FakeCompliancePlatform>,
  target: { principalId: string; dcrImmutableId: string; stream: string },
  overrides: Partial<CollectArgs> = {},
): CollectArgs {
  return {
    ...target,
    dcrEndpoint: fakes.ingestion.endpoint,
    eventTypes: ["AUDIT_LOG"],
    since: "2026-11-20T00:00:00Z",
    state: path.join(fakes.dir, "state.json"),
    mapping: CHATGPT_MAPPING_FILE,
    pageSize: 100,
    apiBaseUrl: fakes.source.baseUrl,
    verifyWaitSeconds: 0,
    quiet: false,
    ...overrides,
  };
}
