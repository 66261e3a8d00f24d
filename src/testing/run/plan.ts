import { existsSync } from "node:fs";
import path from "node:path";
import { makeDiagnostic, type Diagnostic } from "../../diagnostics/index.ts";
import { locate, type LoadedFile } from "../../load/index.ts";
import { loadRepository, type Repository } from "../../repository/index.ts";
import { readTestFile, RUNNABLE_KINDS, type CaseSpec } from "../spec/case-spec.ts";
import type { QueryEngine } from "./engine-port.ts";
import { runQueryCase, type SnapshotStore } from "./run-case.ts";
import { runIngestionCase } from "./run-ingestion-case.ts";
import { runWorkbookCase } from "./run-workbook-case.ts";
import { readSnapshotFile, snapshotPathFor, writeSnapshotFile, type CaseSnapshot } from "../verdict/snapshots.ts";
import { statusOf, type CaseResult, type Failure } from "../verdict/verdict.ts";
import { buildWorkspace, queryOf, type Workspace } from "../spec/workspace.ts";

/** One case ready to run. */
export interface PlannedCase {
  testsFile: string;
  target: string;
  name: string;
  line: number;
  /** The query the case runs its target's data through, when the target is a rule, hunting query or parser. */
  query?: string;
  run(): CaseResult;
}

/** The queries the cases run (each once): what the engine may still take from validation's kept analyses. */
export function caseQueries(cases: Iterable<PlannedCase>): Set<string> {
  const queries = new Set<string>();
  for (const c of cases) if (c.query !== undefined) queries.add(c.query);
  return queries;
}

/** The cases of a content tree, the findings that stopped some from being planned, and a finish step that writes snapshots. */
export interface TestPlan {
  cases: PlannedCase[];
  diagnostics: Diagnostic[];
  /** The content the cases were planned from. */
  repository: Repository;
  workspace: Workspace;
  /** Writes updated snapshot files (with --update-snapshots); returns the files written. */
  finish(): string[];
}

/** Options of `planContentTests`. */
export interface PlanOptions {
  engine: QueryEngine;
  updateSnapshots?: boolean;
  /** Keep only tests files for which this returns true (given the tests file and its target, repo-relative). */
  select?: (testsFile: string, target: string) => boolean;
}

/** Loads the repository under `root` and plans every case of every tests file the selection keeps. */
export async function planContentTests(root: string, options: PlanOptions): Promise<TestPlan> {
  return planFromRepository(await loadRepository(root), options);
}

/** Plans the cases of already-loaded content: each tests file with the target the repository paired it with. */
export function planFromRepository(repository: Repository, options: PlanOptions): TestPlan {
  const workspace = buildWorkspace(repository);
  // parsers, watchlists and mappings the workspace left out would make cases fail for a reason the run must show
  const diagnostics: Diagnostic[] = [...repository.loadDiagnostics, ...workspace.leftOut];
  const cases: PlannedCase[] = [];
  const pendingSnapshots: { file: string; keep: string[]; updates: Map<string, CaseSnapshot> }[] = [];
  for (const { tests: testsFile, targetPath, target, named } of repository.tests) {
    if (options.select && !options.select(testsFile.path, targetPath)) continue;
    if (!target) {
      diagnostics.push(makeDiagnostic("SC5006", locate(testsFile, named ? ["target"] : []), `tests target ${targetPath} does not exist or did not load`));
      continue;
    }
    if (!RUNNABLE_KINDS.includes(target.kind)) {
      const message = `${target.kind} tests are not run by sentinel-content test (it runs analytic rules, hunting queries, parsers, ingestion mappings and workbooks)`;
      diagnostics.push(makeDiagnostic("SC5007", locate(testsFile, []), message, { severity: "warning" }));
      continue;
    }
    const spec = readTestFile(testsFile, target.kind);
    diagnostics.push(...spec.diagnostics);
    const snapshotFile = path.join(path.dirname(testsFile.absolutePath), path.basename(snapshotPathFor(testsFile.path)));
    const stored = spec.cases.some((c) => c.expect.snapshot) ? readSnapshotFile(snapshotFile) : { cases: new Map<string, unknown>() };
    if ("error" in stored && stored.error) diagnostics.push(makeDiagnostic("SC5009", { file: snapshotPathFor(testsFile.path) }, `cannot read the snapshot file: ${stored.error}`));
    const updates = new Map<string, CaseSnapshot>();
    const keep = spec.cases.filter((c) => c.expect.snapshot).map((c) => c.name);
    if (options.updateSnapshots && (keep.length > 0 || existsSync(snapshotFile))) pendingSnapshots.push({ file: snapshotFile, keep, updates });
    for (const caseSpec of spec.cases) {
      const store: SnapshotStore = {
        updating: options.updateSnapshots === true,
        stored: (name) => (stored.cases.has(name) ? { found: true, value: stored.cases.get(name) } : { found: false }),
        record: (name, actual) => updates.set(name, actual),
      };
      cases.push(planCase(testsFile, target, workspace, options.engine, caseSpec, store));
    }
  }
  return {
    cases,
    diagnostics,
    repository,
    workspace,
    finish: () => {
      const written: string[] = [];
      for (const pending of pendingSnapshots) {
        if (pending.updates.size === 0 && pending.keep.length > 0) continue;
        writeSnapshotFile(pending.file, pending.keep, pending.updates);
        written.push(path.relative(repository.root, pending.file).split(path.sep).join("/"));
      }
      return written;
    },
  };
}

function planCase(testsFile: LoadedFile, target: LoadedFile, workspace: Workspace, engine: QueryEngine, spec: CaseSpec, snapshots: SnapshotStore): PlannedCase {
  const line = locate(testsFile, spec.path).start?.line ?? 1;
  const query = queryOf(target);
  return {
    testsFile: testsFile.path,
    target: target.path,
    name: spec.name,
    line,
    ...(query === undefined ? {} : { query }),
    run: () => {
      const started = performance.now();
      let failures: Failure[];
      try {
        failures = runByKind(testsFile, target, workspace, engine, spec, snapshots);
      } catch (error) {
        // A bug in the harness or the engine: reported as this case's internal error, never a crash of the run.
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        failures = [{ diagnostic: makeDiagnostic("SC9001", locate(testsFile, spec.path), `internal error while running the case: ${message}`) }];
      }
      return { testsFile: testsFile.path, target: target.path, kind: target.kind, name: spec.name, line, status: statusOf(failures), failures, durationMs: performance.now() - started };
    },
  };
}

function runByKind(testsFile: LoadedFile, target: LoadedFile, workspace: Workspace, engine: QueryEngine, spec: CaseSpec, snapshots: SnapshotStore): Failure[] {
  if (target.kind === "ingestion-mapping") return runIngestionCase(testsFile, target, workspace, engine, spec);
  if (target.kind === "workbook") return runWorkbookCase(testsFile, target, workspace, engine, spec);
  return runQueryCase({ testsFile, target, workspace, engine, snapshots }, spec);
}
