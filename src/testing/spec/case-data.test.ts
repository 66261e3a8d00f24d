import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadRepository } from "../../repository/index.ts";
import type { EngineData, EngineOutcome, QueryEngine } from "../run/engine-port.ts";
import { createOfflineEngine } from "../run/offline-engine.ts";
import { planContentTests } from "../run/plan.ts";
import { scanQueryNames } from "../selection/dependencies.ts";
import { withReferencedTables } from "./case-data.ts";
import { buildWorkspace } from "./workspace.ts";

const fixtureRepo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../test/harness/repo");

/** The data without the empty tables neither the query nor a parser names (what a case handed the engine before every query got the workspace's tables). */
function onlyNamedTables(data: EngineData, query: string): EngineData {
  const named = new Set(scanQueryNames(query).names);
  for (const fn of data.functions) for (const name of scanQueryNames(fn.body).names) named.add(name);
  return { ...data, tables: new Map([...data.tables].filter(([name, table]) => named.has(name) || table.rows.length > 0)) };
}

describe("withReferencedTables", () => {
  it("hands every query of a workspace the same empty tables, as the same objects", async () => {
    const workspace = buildWorkspace(await loadRepository(fixtureRepo));
    const none: EngineData = { tables: new Map(), functions: [], watchlists: new Map() };
    const first = withReferencedTables(none, "AzureActivity | take 1", workspace).tables;
    const second = withReferencedTables(none, "print 1", workspace).tables;
    expect([...first.keys()].sort()).toEqual([...second.keys()].sort());
    expect(first.has("AzureActivity")).toBe(true);
    expect([...first].every(([name, table]) => second.get(name) === table)).toBe(true);
  });

  it("gives every case of the fixture repository the outcome it gets with only the tables its query and parsers name", async () => {
    const inner = createOfflineEngine();
    const compared: { query: string; dropped: number; same: boolean }[] = [];
    const engine: QueryEngine = (query, data, now) => {
      const outcome = inner(query, data, now);
      const fewer = onlyNamedTables(data, query);
      const alone: EngineOutcome = inner(query, fewer, now);
      compared.push({ query, dropped: data.tables.size - fewer.tables.size, same: JSON.stringify(alone) === JSON.stringify(outcome) });
      return outcome;
    };
    const plan = await planContentTests(fixtureRepo, { engine });
    for (const planned of plan.cases) planned.run();
    expect(compared.filter((c) => !c.same)).toEqual([]);
    expect(compared.filter((c) => c.dropped > 0).length).toBeGreaterThan(10);
  }, 300_000);
});
