import { describe, expect, it } from "vitest";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { comparePair } from "./fidelity.ts";

const PAIRS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../test/fixtures/arm-pairs");

describe("fidelity against Microsoft's converter (sample of the corpus pairs)", () => {
  it.each(["001", "014", "020", "033", "061", "093", "113"])("pair %s matches on every shared field", (pair) => {
    const result = comparePair(path.join(PAIRS, pair));
    expect(result.compared).toEqual(expect.arrayContaining(["query", "queryFrequency", "queryPeriod", "severity", "triggerOperator", "triggerThreshold"]));
    expect(result.mismatches).toEqual([]);
  });

  // Each remaining difference is on Microsoft's side or in the data; docs/build-fidelity.md explains them.
  it.each([
    ["002", ["description", "displayName", "entityMappings"]],
    ["030", ["entityMappings"]],
    ["031", ["incidentConfiguration"]],
    ["042", ["tactics"]],
    ["065", ["customDetails"]],
  ])("pair %s differs only in the documented fields %j", (pair, fields) => {
    expect(comparePair(path.join(PAIRS, pair)).mismatches.map((m) => m.field)).toEqual(fields);
  });

  it("converts durations and operators as Microsoft does (1d → P1D, gt → GreaterThan)", () => {
    const result = comparePair(path.join(PAIRS, "001"));
    expect(result.compared).toContain("suppressionDuration");
    expect(result.mismatches).toEqual([]);
  });
});
