import path from "node:path";
import { fileURLToPath } from "node:url";
import { kustoResultSchema, resultProblems, runQuery } from "../engine/index.ts";
import type { QueryEngine } from "./run/engine-port.ts";
import { toEngineOutcome, toQueryInput } from "./run/offline-engine.ts";
import { planContentTests, type PlannedCase, type TestPlan } from "./run/plan.ts";
import type { CaseResult } from "./verdict/verdict.ts";

/** One content case run once: its verdict, and what the self-check found in the results the engine returned for it. */
export interface CheckedCase {
  result: CaseResult;
  /** Results the engine returned (each checked against Kusto.Language's result schema). */
  checked: number;
  /** Schema and cell problems of those results. */
  problems: string[];
}

const REPOSITORY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

let sink: { checked: number; problems: string[] } = { checked: 0, problems: [] };
let plan: Promise<TestPlan> | undefined;
const runs = new Map<PlannedCase, CheckedCase>();

/**
 * The harness's offline engine (as createOfflineEngine, default limits) that also checks every result it returns
 * against Kusto.Language's result schema (which reuses the run's analysed query), into the current case's record.
 */
const checkingEngine: QueryEngine = (query, data, now) => {
  const input = toQueryInput(data);
  const outcome = runQuery(query, input, { now: BigInt(now) * 10_000n });
  if (outcome.ok) {
    sink.checked++;
    const schema = kustoResultSchema(query, input);
    sink.problems.push(...(schema.ok ? resultProblems(outcome.table, schema) : ["Kusto.Language's schema is unavailable"]));
  }
  return toEngineOutcome(outcome);
};

/**
 * Test support: the repository's content cases, planned once per process on the checking engine. The content
 * tests and the engine self-check (both in test/content.test.ts, so one test worker runs them) share the plan
 * and each case's run, so every case runs once.
 */
export function repositoryContentPlan(): Promise<TestPlan> {
  plan ??= planContentTests(REPOSITORY, { engine: checkingEngine });
  return plan;
}

/** Test support: runs a case of repositoryContentPlan() the first time it is asked for, then returns that run. */
export function runCheckedCase(planned: PlannedCase): CheckedCase {
  let run = runs.get(planned);
  if (!run) {
    sink = { checked: 0, problems: [] };
    const result = planned.run();
    run = { result, ...sink };
    runs.set(planned, run);
  }
  return run;
}
