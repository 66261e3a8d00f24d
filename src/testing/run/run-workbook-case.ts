import type { Location } from "../../diagnostics/index.ts";
import { locate, locateInScalar, type DocPath, type LoadedFile } from "../../load/index.ts";
import { prepareCaseData, withReferencedTables } from "../spec/case-data.ts";
import type { CaseSpec } from "../spec/case-spec.ts";
import { problemMessage, problemsOf, type EngineData, type QueryEngine } from "./engine-port.ts";
import type { ResultTable } from "../verdict/result-table.ts";
import { checkRows, fail } from "../verdict/row-checks.ts";
import type { Failure } from "../verdict/verdict.ts";
import { bindParameters, workbookSteps, type WorkbookStep } from "./workbook-steps.ts";
import { substituteForRun, type BoundParameter } from "./workbook-substitution.ts";
import type { Workspace } from "../spec/workspace.ts";

/**
 * Runs one workbook case: every Log Analytics query step (named in `expect.steps` or not) is run on the case's
 * tables with the case's parameters expanded; a step that fails is an error, and each named step must meet its
 * expectation. Steps of other query types (Resource Graph, ARM, …) cannot run offline and may not be named.
 */
export function runWorkbookCase(testsFile: LoadedFile, target: LoadedFile, workspace: Workspace, engine: QueryEngine, spec: CaseSpec): Failure[] {
  const caseAt = (path: DocPath) => locate(testsFile, [...spec.path, ...path]);
  const steps = workbookSteps(target.data);
  const { bound, unknown } = bindParameters(target.data, spec.parameters);
  const failures: Failure[] = unknown.map((name) => fail("SC5007", caseAt(["parameters", name]), `parameter ${name} is not a parameter of ${target.path}`));
  for (const [name, values] of spec.parameters) {
    const definition = bound.get(name.toLowerCase())?.definition;
    if (definition && !definition.multiSelect && values.length > 1) failures.push(fail("SC5007", caseAt(["parameters", name]), `parameter ${name} is not multi-select: give one value, not ${values.length}`));
  }
  const byName = new Map(steps.filter((s) => s.named).map((s) => [s.name, s]));
  for (const expectation of spec.expect.steps ?? []) {
    const step = byName.get(expectation.step);
    const at = caseAt(["expect", "steps", expectation.step]);
    if (!step) failures.push(fail("SC5007", at, `${target.path} has no query step named ${expectation.step} (its steps: ${[...byName.keys()].join(", ") || "none"})`));
    else if (!step.logs) failures.push(fail("SC5007", at, `step ${step.name} is not a Log Analytics query (queryType 0) and cannot run offline`));
  }
  if (failures.length > 0) return failures;
  const read = prepareCaseData(spec, testsFile, workspace);
  if (read.diagnostics.length > 0) return read.diagnostics.map((diagnostic) => ({ diagnostic }));
  const expectations = new Map((spec.expect.steps ?? []).map((e) => [e.step, e]));
  const now = spec.now ?? 0;
  for (const step of steps.filter((s) => s.logs)) {
    const outcome = runStep(target, workspace, engine, step, bound, read.data, now);
    if ("failures" in outcome) {
      failures.push(...outcome.failures);
      continue;
    }
    const expectation = step.named ? expectations.get(step.name) : undefined;
    if (expectation) failures.push(...checkRows(expectation, outcome.table, (key) => caseAt(["expect", "steps", step.name, key]), `step ${expectation.step}: `));
  }
  return failures;
}

function runStep(
  target: LoadedFile,
  workspace: Workspace,
  engine: QueryEngine,
  step: WorkbookStep,
  bound: ReadonlyMap<string, BoundParameter>,
  data: EngineData,
  now: number,
): { table: ResultTable } | { failures: Failure[] } {
  const queryPath: DocPath = [...step.path, "content", "query"];
  const at = (offset: number): Location => ({ file: target.path, start: locateInScalar(target, queryPath, offset) });
  const substituted = substituteForRun(step.query, bound, now);
  if (!substituted.ok) return { failures: substituted.problems.map((p) => fail("SC5007", at(p.offset), `step ${step.name}: ${p.message}`)) };
  const query = substituted.query;
  const outcome = engine(query.text, withReferencedTables(data, query.text, workspace), now);
  if (outcome.ok) return { table: outcome.table };
  return { failures: problemsOf(outcome.problems).map((p) => fail("SC5011", at(query.toSource(p.offset ?? 0)), `step ${step.name}: ${problemMessage(p)}`)) };
}
