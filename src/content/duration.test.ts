import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration, parseDurationMinutes, splitDuration } from "./duration.ts";

describe("parseDuration", () => {
  it.each([
    ["5m", 300_000],
    ["1h", 3_600_000],
    ["14d", 14 * 86_400_000],
    ["30s", 30_000],
    ["1.5h", 5_400_000],
    ["PT1H", 3_600_000],
    ["PT5M", 300_000],
    ["P1D", 86_400_000],
    ["P2DT1H30M", 2 * 86_400_000 + 5_400_000],
    ["pt10m", 600_000],
  ])("%s", (text, expected) => {
    expect(parseDuration(text)).toBe(expected);
  });

  it.each([["5"], ["h"], ["P"], ["PT"], ["1w"], ["-5m"], [""], [5], [undefined]])("rejects %j", (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0s"],
    [5_400_000, "1h30m"],
    [86_400_000 + 1_000, "1d1s"],
  ])("%d", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe("rule-field durations", () => {
  it.each([
    ["5m", { amount: 5, unit: "m" }],
    ["24h", { amount: 24, unit: "h" }],
    ["14d", { amount: 14, unit: "d" }],
  ])("%s is in the rule fields' form and means what the one grammar says", (text, split) => {
    expect(splitDuration(text)).toEqual(split);
    expect((parseDurationMinutes(text) ?? 0) * 60_000).toBe(parseDuration(text));
  });

  it.each([["30s"], ["1.5h"], ["PT1H"], [" 5m"]])("%s is a duration but not in the rule fields' form", (text) => {
    expect(splitDuration(text)).toBeUndefined();
    expect(parseDuration(text)).toBeGreaterThan(0);
  });
});
