import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { measure, runCollectorCampaign } from "./fakes/fault-campaign.ts";
import { makeLoopbackCert, type LoopbackCert } from "./fakes/logs-ingestion.ts";

let cert: LoopbackCert;
let dir: string;
beforeAll(() => {
  cert = makeLoopbackCert();
});
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "sc-campaign-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("collector fault campaign (seeded kills, 429/5xx, dropped downloads)", () => {
  it.each([
    ["re-sending in-doubt batches", false],
    ["checking in-doubt batches against the workspace", true],
  ])("%s: 20 kills lose nothing, and after de-duplication on the event id nothing repeats", async (_label, verify) => {
    const result = await runCollectorCampaign({ seed: 20261207, kills: 20, filesPerRun: 2, eventsPerFile: 12, verify, cert, dir });
    expect(result.kills).toBeGreaterThanOrEqual(20);
    expect(Object.values(result.killsAt).every((n) => n > 0)).toBe(true);
    expect(result.events).toBeGreaterThan(400);
    expect(result.lost).toBe(0);
    expect(result.duplicatedAfterDedup).toBe(0);
    expect(result.tempFilesLeft).toBe(0);
    if (verify) expect(result.duplicatedAtWire).toBe(0);
    else expect(result.duplicatedAtWire).toBeGreaterThan(0);
  });

  it.each([
    ["every event once", ["a", "b"], [{ event_id: "a" }, { event_id: "b" }], { events: 2, lost: 0, duplicatedAtWire: 0, duplicatedAfterDedup: 0 }],
    ["a re-sent event", ["a", "b"], [{ event_id: "a" }, { event_id: "b" }, { event_id: "a" }], { events: 2, lost: 0, duplicatedAtWire: 1, duplicatedAfterDedup: 0 }],
    ["a lost event", ["a", "b"], [{ event_id: "a" }], { events: 2, lost: 1, duplicatedAtWire: 0, duplicatedAfterDedup: 0 }],
    ["a re-sent row without an id (de-duplication cannot absorb it)", ["a"], [{ event_id: "a" }, { x: 1 }, { x: 1 }], { events: 1, lost: 0, duplicatedAtWire: 1, duplicatedAfterDedup: 2 }],
  ])("measures %s", (_label, source, rows, expected) => {
    expect(measure(source, rows)).toEqual(expected);
  });
});
