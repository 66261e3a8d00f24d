import { describe, expect, it } from "vitest";
import { buildGlobals } from "./globals.ts";
import { loadKusto } from "./kusto.ts";

describe("buildGlobals", () => {
  it("keeps the expansions of saved functions for later analyses (Kusto.Language's global binding cache)", () => {
    const k = loadKusto();
    const globals = buildGlobals({ tables: [{ name: "T", columns: [{ name: "x", type: "long" }] }], functions: [{ name: "F", parameters: [], body: "T | where x > 1" }] });
    const cachedExpansions = (): number => k.TestHelpers.GetGlobalExpansionCacheSize(globals.state) as number;
    k.KustoCode.ParseAndAnalyze("F | count", globals.state);
    const first = cachedExpansions();
    k.KustoCode.ParseAndAnalyze("F | take 1", globals.state);
    expect([first, cachedExpansions()]).toEqual([1, 1]);
  });
});
