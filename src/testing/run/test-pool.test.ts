import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createOfflineEngine } from "./offline-engine.ts";
import { planContentTests } from "./plan.ts";
import { runCasesOnWorkers } from "./test-pool.ts";

const fixtureRepo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../test/harness/repo");

describe("runCasesOnWorkers", () => {
  it("returns the same verdicts as this thread, in plan order", async () => {
    const plan = await planContentTests(fixtureRepo, { engine: createOfflineEngine(), select: (tests) => tests.startsWith("analytics-rules/azure-openai") || tests.startsWith("parsers") });
    const results = await runCasesOnWorkers(fixtureRepo, plan.cases, 2);
    expect(results.map((r) => [r.testsFile, r.name, r.status])).toEqual(plan.cases.map((c) => [c.testsFile, c.name, "passed"]));
  });
});
