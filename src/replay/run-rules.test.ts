import { describe, expect, it } from "vitest";
import { visibleRows, type RowTiming } from "../testing/simulation/scheduler.ts";
import { rangeVisibility, sameSegments, seenSegments, segmentRows, type SeenSegment } from "./run-rules.ts";
import { segmentRange, type WindowSegment } from "./spool.ts";

const MIN = 60_000;
const HOUR = 60 * MIN;
const GRACE = 5 * MIN;
const now = Date.parse("2026-11-20T12:00:00Z");
const previous = now - 5 * MIN;
const scheduled = { kind: "Scheduled" as const, queryPeriodMs: HOUR, queryFrequencyMs: HOUR };
const nrt = { kind: "NRT" as const, queryPeriodMs: MIN, queryFrequencyMs: MIN };

function segment(timings: RowTiming[]): WindowSegment {
  return { rows: timings.map((_, i) => [i]), timings, range: segmentRange(timings) };
}

/** A row with a TimeGenerated `generated` ms before now, ingested `ingested` ms after now. */
const at = (generated: number, ingested = 0): RowTiming => ({ timeGenerated: now - generated, ingested: now + ingested });
/** A row without a TimeGenerated, ingested `ingested` ms after now. */
const untimed = (ingested: number): RowTiming => ({ ingested: now + ingested });

describe("rangeVisibility", () => {
  it.each([
    ["scheduled: every row inside the period and ingested by now + grace", scheduled, [at(10 * MIN, GRACE), at(HOUR - 1)], "all"],
    ["scheduled: one row ingested just after now + grace", scheduled, [at(10 * MIN, GRACE + 1), at(20 * MIN)], "some"],
    ["scheduled: every row ingested after now + grace", scheduled, [at(10 * MIN, GRACE + 1)], "none"],
    ["scheduled: one row at the period's start (excluded)", scheduled, [at(HOUR), at(10 * MIN)], "some"],
    ["scheduled: every row at or before the period's start", scheduled, [at(HOUR), at(2 * HOUR)], "none"],
    ["scheduled: one row just after now (excluded)", scheduled, [at(0), at(-1)], "some"],
    ["scheduled: every row after now", scheduled, [at(-1), at(-HOUR)], "none"],
    ["scheduled: rows without TimeGenerated beside rows outside the period", scheduled, [at(2 * HOUR), untimed(0)], "some"],
    ["scheduled: only rows without TimeGenerated, ingested in time", scheduled, [untimed(-HOUR), untimed(GRACE)], "all"],
    ["scheduled: only rows without TimeGenerated, one ingested late", scheduled, [untimed(-HOUR), untimed(GRACE + 1)], "some"],
    ["NRT: every row ingested in (previous, now]", nrt, [at(HOUR, -(5 * MIN - 1)), at(HOUR, 0)], "all"],
    ["NRT: one row ingested at the previous run (excluded)", nrt, [at(0, -5 * MIN), at(0, -MIN)], "some"],
    ["NRT: every row ingested at or before the previous run", nrt, [at(0, -5 * MIN), at(0, -HOUR)], "none"],
    ["NRT: one row ingested just after now", nrt, [at(0, 1), at(0, -MIN)], "some"],
    ["NRT: every row ingested after now, whatever its TimeGenerated", nrt, [untimed(1), at(HOUR, 1)], "none"],
  ] as const)("%s", (_name, settings, timings, expected) => {
    expect(rangeVisibility(settings, segmentRange(timings), now, previous)).toBe(expected);
  });
});

/** A small deterministic generator, so the comparison below covers the same rows every time. */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

describe("seenSegments", () => {
  it.each([
    ["scheduled", scheduled, 20 * MIN],
    ["NRT", nrt, 2 * MIN],
  ] as const)("finds exactly visibleRows' rows (%s), segment by segment", (_name, settings, span) => {
    const random = generator(7);
    // segments of rows ingested up to 4 min late, some without TimeGenerated, around the runs below
    const segments = Array.from({ length: (6 * HOUR) / span }, (_, k) =>
      segment(
        Array.from({ length: 1 + Math.floor(random() * 12) }, () => {
          const generated = now - 4 * HOUR + k * span + Math.floor(random() * span);
          const ingested = generated + Math.floor(random() * 4 * MIN);
          return random() < 0.1 ? { ingested } : { timeGenerated: generated, ingested };
        }),
      ),
    );
    const flat = segments.flatMap((s) => s.timings);
    const starts = segments.map((_, i) => segments.slice(0, i).reduce((n, s) => n + s.rows.length, 0));
    let wholes = 0;
    let parts = 0;
    for (let run = now - 3 * HOUR; run <= now + 2 * HOUR; run += 3 * MIN) {
      const seen = seenSegments(settings, ["T", "Missing"], new Map([["T", { segments }]]), run, run - 5 * MIN);
      const indexes = (seen.get("T") ?? []).flatMap((part) => {
        const at = starts[segments.indexOf(part.segment)] as number;
        return part.rows ? part.rows.map((r) => at + r) : part.segment.rows.map((_, r) => at + r);
      });
      expect(indexes).toEqual(visibleRows(settings, new Map([["T", flat]]), run, run - 5 * MIN).get("T"));
      expect(seen.has("Missing")).toBe(false);
      wholes += (seen.get("T") ?? []).filter((p) => !p.rows).length;
      parts += (seen.get("T") ?? []).filter((p) => p.rows).length;
    }
    // the comparison covered segments seen whole as well as straddling ones
    expect(wholes).toBeGreaterThan(10);
    expect(parts).toBeGreaterThan(10);
  });
});

describe("segmentRows and sameSegments", () => {
  const a = segment([at(10 * MIN), at(20 * MIN), at(30 * MIN)]);
  const b = segment([at(40 * MIN)]);

  it("give a segment seen whole as its own array, one seen in part as a new array of those rows", () => {
    expect(segmentRows({ segment: a })).toEqual({ rows: a.rows, stable: true });
    expect(segmentRows({ segment: a }).rows).toBe(a.rows);
    expect(segmentRows({ segment: a, rows: [0, 2] })).toEqual({ rows: [a.rows[0], a.rows[2]], stable: false });
  });

  it.each([
    ["the same segments and positions", [{ segment: a, rows: [0, 2] }, { segment: b }], true],
    ["a segment whole instead of in part", [{ segment: a }, { segment: b }], false],
    ["other positions of a segment", [{ segment: a, rows: [0, 1] }, { segment: b }], false],
    ["fewer positions of a segment", [{ segment: a, rows: [0] }, { segment: b }], false],
    ["a segment missing", [{ segment: a, rows: [0, 2] }], false],
    ["another segment object with the same rows", [{ segment: a, rows: [0, 2] }, { segment: segment(b.timings) }], false],
  ] as [string, SeenSegment[], boolean][])("tell a run seeing %s", (_name, parts, expected) => {
    const before = new Map([["T", [{ segment: a, rows: [0, 2] }, { segment: b }]]]);
    expect(sameSegments(before, new Map([["T", parts]]))).toBe(expected);
  });

  it("tell runs over other tables apart", () => {
    expect(sameSegments(new Map([["T", [{ segment: b }]]]), new Map([["U", [{ segment: b }]]]))).toBe(false);
    expect(sameSegments(new Map([["T", []]]), new Map([["T", []], ["U", []]]))).toBe(false);
    expect(sameSegments(new Map([["T", []]]), new Map([["T", []]]))).toBe(true);
  });
});
