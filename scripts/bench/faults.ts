// `npm run bench -- faults`: the seeded fault campaigns of the collector and of deploy, with their figures.
// Collector: runs killed at random points (before an upload, after the service stored a batch but before the
// checkpoint, before or half-way through a checkpoint write) with 429/5xx and dropped downloads, on a source that
// grows every run; printed: kills, events, lost, duplicated at the wire, duplicated after de-duplicating on the event
// id as the parsers do. Once re-sending in-doubt batches (no workspace to query), once checking them.
// Deploy: plan + apply --prune runs killed after a random number of ARM calls, with 429/5xx, lost responses (409/412
// on retry) and portal edits (412). BENCH_FAULT_KILLS sets the kills per campaign (default 100), BENCH_FAULT_SEED the seed.
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { runDeployCampaign } from "../../src/deploy/emulator/fault-campaign.ts";
import { runCollectorCampaign } from "../../src/ingest/fakes/fault-campaign.ts";
import { makeLoopbackCert } from "../../src/ingest/fakes/logs-ingestion.ts";

const KILLS = Number(process.env.BENCH_FAULT_KILLS ?? 100);
const SEED = Number(process.env.BENCH_FAULT_SEED ?? 20261207);
const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");

const cert = makeLoopbackCert();
let failed = false;
for (const verify of [false, true]) {
  const dir = mkdtempSync(path.join(tmpdir(), "bench-faults-"));
  try {
    const started = performance.now();
    const r = await runCollectorCampaign({ seed: SEED, kills: KILLS, filesPerRun: 3, eventsPerFile: 40, verify, cert, dir });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const at = Object.entries(r.killsAt).map(([k, n]) => `${k} ${n}`).join(", ");
    console.log(`collector campaign (${verify ? "in-doubt batches checked against the workspace" : "in-doubt batches re-sent"}), seed ${SEED}: ${r.runs} runs in ${seconds} s (load ${load()})`);
    console.log(`  kills ${r.kills} (${at}); faults: ${r.faults.throttled} throttled, ${r.faults.serverErrors} 5xx, ${r.faults.droppedDownloads} dropped downloads`);
    console.log(`  events ${r.events}, lost ${r.lost}, duplicated at the wire ${r.duplicatedAtWire}, duplicated after event-id de-duplication ${r.duplicatedAfterDedup}, temp files left ${r.tempFilesLeft}`);
    failed ||= r.lost > 0 || r.duplicatedAfterDedup > 0 || r.tempFilesLeft > 0 || (verify && r.duplicatedAtWire > 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const started = performance.now();
const d = await runDeployCampaign({ seed: SEED, kills: KILLS, rules: 40 });
console.log(`deploy campaign, seed ${SEED}: ${d.runs} runs, ${d.requests} requests in ${((performance.now() - started) / 1000).toFixed(1)} s (load ${load()})`);
console.log(`  kills ${d.kills}; faults: ${d.faults.throttled} throttled (Retry-After 3600, capped), ${d.faults.serverErrors} 5xx, ${d.faults.lostResponses} lost responses, ${d.faults.portalEdits} portal edits`);
console.log(`  retries answered 409/412 after a lost response ${d.conflictsAfterLostResponse}; changes left ${d.changesLeft}, orphans left ${d.orphansLeft}, unowned resources deleted ${d.unownedDeleted}`);
failed ||= d.changesLeft > 0 || d.orphansLeft > 0 || d.unownedDeleted > 0;
process.exitCode = failed ? 1 : 0;
