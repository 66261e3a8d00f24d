import { describe, expect, it } from "vitest";
import { bindParameters } from "./workbook-steps.ts";
import { kqlTimespan, substituteForRun } from "./workbook-substitution.ts";

const workbook = {
  content: {
    version: "Notebook/1.0",
    items: [
      {
        type: 9,
        content: {
          parameters: [
            { name: "TimeRange", type: 4, value: { durationMs: 86_400_000 } },
            { name: "Window", type: 4 },
            { name: "Subscription", type: 6 },
            { name: "Models", type: 2, multiSelect: true, quote: "'", delimiter: "," },
            { name: "Top", type: 1, value: "10" },
          ],
        },
      },
    ],
  },
};
const NOW = Date.UTC(2026, 10, 21);

function expand(query: string, given: Record<string, string[]> = {}): string {
  const { bound } = bindParameters(workbook, new Map(Object.entries(given)));
  const result = substituteForRun(query, bound, NOW);
  return result.ok ? result.query.text : `error: ${result.problems.map((p) => `${p.offset} ${p.message}`).join("; ")}`;
}

describe("substituteForRun", () => {
  it.each([
    ["relative range", "T | where TimeGenerated {TimeRange}", { TimeRange: ["7d"] }, "T | where TimeGenerated > ago(7d)"],
    ["the workbook's default range", "{TimeRange}", {}, "> ago(1d)"],
    ["ISO duration", "{TimeRange:query}", { TimeRange: ["PT90M"] }, "> ago(90m)"],
    ["absolute range", "{TimeRange}", { TimeRange: ["2026-11-20T00:00:00Z/2026-11-21T00:00:00Z"] }, "between (datetime(2026-11-20T00:00:00.000Z) .. datetime(2026-11-21T00:00:00.000Z))"],
    ["start and end of a relative range", "{TimeRange:start}|{TimeRange:end}", { TimeRange: ["1d"] }, "2026-11-20T00:00:00.000Z|2026-11-21T00:00:00.000Z"],
    ["grain of a day", "{TimeRange:grain}", { TimeRange: ["1d"] }, "15m"],
    ["grain of a week", "{TimeRange:grain}", { TimeRange: ["7d"] }, "1h"],
    ["grain of an hour", "{TimeRange:grain}", { TimeRange: ["1h"] }, "1m"],
    ["label", "{TimeRange:label}", { TimeRange: ["7d"] }, "Last 7d"],
    ["value", "{TimeRange:value}", { TimeRange: ["7d"] }, '{"durationMs":604800000}'],
    ["text parameter default", "take {Top}", {}, "take 10"],
    ["given value, case-insensitive name", "'{subscription:id}'", { SUBSCRIPTION: ["/subscriptions/abc"] }, "'/subscriptions/abc'"],
    ["resource name", "{Subscription:name}", { Subscription: ["/subscriptions/abc"] }, "abc"],
    ["optional parameter without value", "'{Subscription}'", {}, "''"],
    ["multi-select values quoted", "where M in ({Models})", { Models: ["gpt-4o", "o3"] }, "where M in ('gpt-4o','o3')"],
    ["multi-select label", "{Models:label}", { Models: ["gpt-4o", "o3"] }, "gpt-4o, o3"],
    ["empty multi-select", "in ({Models})", {}, "in ()"],
  ])("%s", (_name, query, given, expected) => {
    expect(expand(query, given)).toBe(expected);
  });

  it.each([
    ["unknown parameter", "T | take {Nope}", {}, "error: 9 {Nope} names no parameter of the workbook"],
    ["range without a value or default", "T {Window}", {}, "error: 2 time range Window has no value: give it under the case's parameters (e.g. Window: 1d)"],
    ["bad range", "{TimeRange}", { TimeRange: ["yesterday"] }, /^error: 0 time range TimeRange must be a duration/],
    ["range ending before it starts", "{TimeRange}", { TimeRange: ["2026-11-21T00:00:00Z/2026-11-20T00:00:00Z"] }, /must be a duration/],
    ["unsupported range format", "{TimeRange:iso}", {}, /format iso of a time range is not supported offline/],
    ["unsupported format", "{Top:escapejson}", {}, /format escapejson is not supported offline/],
    ["several values for a single-select", "{Top}", { Top: ["1", "2"] }, "error: 0 parameter Top is not multi-select but the case gives 2 values"],
  ])("reports %s", (_name, query, given, expected) => {
    if (typeof expected === "string") expect(expand(query, given)).toBe(expected);
    else expect(expand(query, given)).toMatch(expected);
  });

  it("maps offsets of the expanded query back to the source", () => {
    const source = "T | where TimeGenerated {TimeRange} | where Bad == 1";
    const { bound } = bindParameters(workbook, new Map([["TimeRange", ["7d"]]]));
    const result = substituteForRun(source, bound, NOW);
    if (!result.ok) throw new Error("substitution failed");
    expect(result.query.toSource(result.query.text.indexOf("Bad"))).toBe(source.indexOf("Bad"));
  });
});

describe("kqlTimespan", () => {
  it.each([
    [604_800_000, "7d"],
    [5_400_000, "90m"],
    [3_600_000, "1h"],
    [1_500, "1500ms"],
    [30_000, "30s"],
  ])("%d ms → %s", (ms, text) => {
    expect(kqlTimespan(ms)).toBe(text);
  });
});
