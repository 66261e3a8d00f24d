import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ReplayInputError } from "./inputs.ts";
import { BUCKET_MS, RowSpool, segmentRange, TableWindow } from "./spool.ts";

const HOUR = 3_600_000;
const start = Date.parse("2026-11-20T00:00:00Z");
const columns = [
  { name: "TimeGenerated", type: "datetime" },
  { name: "Count", type: "long" },
  { name: "Props", type: "dynamic" },
];

function spoolOf(rows: { generated: number; ingested: number }[]): RowSpool {
  const spool = new RowSpool();
  rows.forEach(({ generated, ingested }, i) => spool.add("T", columns, { cells: [BigInt(generated) * 10_000n, 2n ** 60n + BigInt(i), { i }], timing: { timeGenerated: generated, ingested } }));
  return spool;
}

describe("RowSpool and TableWindow", () => {
  it("make their files in the folder they are given", () => {
    const spool = new RowSpool({ folder: path.join(tmpdir(), "no-such-folder", "spool") });
    try {
      spool.add("T", columns, { cells: [0n, 1n, {}], timing: { timeGenerated: start, ingested: start } });
      expect(() => spool.buckets("T")[0]?.read()).toThrow(/no-such-folder/);
    } finally {
      spool.dispose();
    }
  });

  it("give back the rows as they were spooled, by hour of ingestion", () => {
    const spool = spoolOf([{ generated: start + 2 * HOUR, ingested: start + 2 * HOUR }, { generated: start, ingested: start + 10 }]);
    try {
      const buckets = spool.buckets("T");
      expect(buckets.map((b) => b.start)).toEqual([start, start + 2 * BUCKET_MS]);
      expect(buckets[0]?.read()).toEqual([{ cells: [BigInt(start) * 10_000n, 2n ** 60n + 1n, { i: 1 }], timing: { timeGenerated: start, ingested: start + 10 } }]);
    } finally {
      spool.dispose();
    }
  });

  it("hold only the lookback (plus the delay of late rows) as the clock moves", () => {
    // three days of a row a minute, each ingested 10 minutes after it happened
    const rows = Array.from({ length: 3 * 24 * 60 }, (_, i) => ({ generated: start + i * 60_000, ingested: start + i * 60_000 + 10 * 60_000 }));
    const spool = spoolOf(rows);
    try {
      const window = new TableWindow("T", columns, spool, HOUR, 5 * 60_000);
      for (let clock = start; clock <= start + 3 * 24 * HOUR; clock += 5 * 60_000) {
        window.advance(clock);
        // every row a run at `clock` can see is held
        const seen = rows.filter((r) => r.generated > clock - HOUR && r.ingested <= clock + 5 * 60_000).length;
        const held = window.segments.flatMap((s) => s.timings).filter((t) => (t.timeGenerated as number) > clock - HOUR && t.ingested <= clock + 5 * 60_000).length;
        expect(held).toBe(seen);
      }
      // lookback 60 min + up to 15 min between eviction passes + the hour bucket loaded ahead of the clock
      expect(window.peakRows).toBeLessThanOrEqual(60 + 15 + 60 + 10);
      expect(window.peakRows).toBeGreaterThan(60);
    } finally {
      spool.dispose();
    }
  });

  it("hold each loaded hour as a segment that keeps its array until eviction takes rows from it", () => {
    // a row every 10 minutes for 4 hours, each ingested when it happened
    const rows = Array.from({ length: 24 }, (_, i) => ({ generated: start + i * 600_000, ingested: start + i * 600_000 }));
    const spool = spoolOf(rows);
    try {
      const window = new TableWindow("T", columns, spool, 2 * HOUR, 5 * 60_000);
      // three hours loaded; the first row is at the horizon (clock − lookback) already
      window.advance(start + 2 * HOUR);
      const [first, second] = window.segments.map((s) => s.rows);
      expect(window.segments.map((s) => s.rows.length)).toEqual([5, 6, 6]);
      expect(window.heldRows).toBe(17);
      // the horizon passes into the first hour: it is replaced by its survivors, the others stay
      window.advance(start + 2 * HOUR + 30 * 60_000);
      expect(window.segments[0]?.rows).not.toBe(first);
      expect(window.segments[0]?.rows).toEqual(first?.slice(3));
      expect(window.segments[1]?.rows).toBe(second);
      // the horizon past the first hour: it is dropped whole
      window.advance(start + 2 * HOUR + 55 * 60_000);
      expect(window.segments[0]?.rows).toBe(second);
    } finally {
      spool.dispose();
    }
  });

  it("keep each segment's range of timings, recomputed when eviction splits it", () => {
    const spool = spoolOf([0, 20, 40, 65, 80].map((m) => ({ generated: start + m * 60_000, ingested: start + m * 60_000 + 1000 })));
    try {
      const window = new TableWindow("T", columns, spool, HOUR, 5 * 60_000);
      window.advance(start + HOUR);
      expect(window.segments.map((s) => s.range)).toEqual([
        { minIngested: start + 1000, maxIngested: start + 40 * 60_000 + 1000, minTimeGenerated: start, maxTimeGenerated: start + 40 * 60_000, untimed: false },
        { minIngested: start + 65 * 60_000 + 1000, maxIngested: start + 80 * 60_000 + 1000, minTimeGenerated: start + 65 * 60_000, maxTimeGenerated: start + 80 * 60_000, untimed: false },
      ]);
      // the horizon (clock − lookback) passes the first two rows of the first hour: its survivors get their own range
      window.advance(start + HOUR + 30 * 60_000);
      expect(window.segments[0]?.range).toEqual({ minIngested: start + 40 * 60_000 + 1000, maxIngested: start + 40 * 60_000 + 1000, minTimeGenerated: start + 40 * 60_000, maxTimeGenerated: start + 40 * 60_000, untimed: false });
    } finally {
      spool.dispose();
    }
  });

  it("range rows without a TimeGenerated by ingestion time alone", () => {
    expect(segmentRange([{ ingested: 5 }, { ingested: 3, timeGenerated: 1 }])).toEqual({ minIngested: 3, maxIngested: 5, minTimeGenerated: 1, maxTimeGenerated: 1, untimed: true });
    expect(segmentRange([{ ingested: 5 }])).toEqual({ minIngested: 5, maxIngested: 5, minTimeGenerated: Infinity, maxTimeGenerated: -Infinity, untimed: true });
  });
});

describe("RowSpool", () => {
  const row = (i: number) => ({ cells: [BigInt(start + i) * 10_000n, BigInt(i), { n: 2n ** 60n, i }], timing: { timeGenerated: start + i, ingested: start + i } });

  it("keeps only the kept columns of a table, and nothing of a table no rule reads", () => {
    const spool = new RowSpool({ kept: new Map([["T", new Set(["TimeGenerated", "Props"])]]) });
    try {
      spool.add("T", columns, row(1));
      spool.add("U", columns, row(2));
      expect([...spool.tables().keys()]).toEqual(["T"]);
      expect(spool.tables().get("T")?.map((c) => c.name)).toEqual(["TimeGenerated", "Props"]);
      // a bigint inside a dynamic value comes back as a number, as the engine's JSON has it
      expect(spool.buckets("T")[0]?.read()).toEqual([{ cells: [BigInt(start + 1) * 10_000n, { n: 2 ** 60, i: 1 }], timing: { timeGenerated: start + 1, ingested: start + 1 } }]);
    } finally {
      spool.dispose();
    }
  });

  it("leaves no file in the temporary folder by name, so no exit path (SIGINT, a kill) can leave one behind", () => {
    const ours = () => readdirSync(tmpdir()).filter((name) => name.startsWith(`sentinel-replay-${process.pid}-`));
    const spool = new RowSpool();
    try {
      for (let i = 0; i < 2000; i++) spool.add("T", columns, row(i));
      spool.flush();
      expect(ours()).toEqual([]);
      expect(spool.buckets("T")[0]?.read()).toHaveLength(2000);
    } finally {
      spool.dispose();
    }
  });

  it("refuses to load an hour larger than it may hold (SC5063), naming the table and the hour", () => {
    const spool = new RowSpool({ maxBucketBytes: 10_000 });
    try {
      for (let i = 0; i < 1000; i++) spool.add("T", columns, row(i));
      const read = () => spool.buckets("T")[0]?.read();
      expect(read).toThrow(ReplayInputError);
      expect(read).toThrow(/T: the hour from 2026-11-20T00:00:00.000Z holds 1 MB of rows/);
      try {
        read();
      } catch (error) {
        expect((error as ReplayInputError).diagnostic.code).toBe("SC5063");
      }
    } finally {
      spool.dispose();
    }
  });
});
