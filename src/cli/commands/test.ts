import { availableParallelism } from "node:os";
import path from "node:path";
import type { Command } from "commander";
import { ExitError } from "../../diagnostics/errors.ts";
import { writeFileAtomicSync } from "../../files/write-atomic.ts";
import { formatOption, parseFormat, type Format } from "../formats.ts";
import { examples } from "../help.ts";
import { ProgressLine, styler } from "../terminal.ts";
import { budgetLimits, withBudgetOptions, type BudgetOptions } from "./engine-budget.ts";

/** Options of `sentinel-content test`. */
export interface TestOptions extends BudgetOptions {
  root: string;
  changed?: boolean;
  base?: string;
  updateSnapshots?: boolean;
  format: string;
  output?: string;
  verbose?: boolean;
  coverage: boolean;
  live?: boolean;
  workspaceId?: string;
  jobs: string;
  case?: string;
}

/** The formats `test --format` writes. */
const TEST_FORMATS: readonly Format[] = ["text", "json", "junit", "github", "azure-devops"];
/** Most worker threads --jobs accepts. */
const MAX_JOBS = 64;
/** The default --jobs: every CPU, at most MAX_JOBS. */
export const DEFAULT_JOBS = String(Math.min(availableParallelism(), MAX_JOBS));

/** What an earlier stage of the same process (`check`) hands the test run: the content it loaded, workers it started. */
export interface SharedTestInputs {
  repository?: import("../../repository/index.ts").Repository;
  /** The fixture-vs-profile findings of `repository`, already computed (validate's). */
  fixtureProfiles?: import("../../diagnostics/index.ts").Diagnostic[];
  workers?: import("../../testing/run/test-pool.ts").TestWorkers;
}

/** Registers `sentinel-content test`: runs content test cases offline (and optionally on a live workspace). */
export function register(program: Command): void {
  withBudgetOptions(program.command("test"))
    .description("Run the test cases of analytic rules, hunting queries, parsers and ingestion mappings on the offline KQL engine")
    .argument("[paths...]", "content files, tests files or folders (default: the whole repository)")
    .option("-C, --root <dir>", "repository root", process.cwd())
    .option("--changed", "only content changed since --base, plus everything that depends on it")
    .option("--base <ref>", "git base ref for --changed (default: origin/main, else main)")
    .option("--update-snapshots", "rewrite the alert snapshots (<name>.snap.yaml) from the actual alerts")
    .addOption(formatOption(TEST_FORMATS))
    .option("--output <file>", "write the report to a file instead of stdout")
    .option("--verbose", "also list passing cases (text format)")
    .option("--case <name>", "run only the cases with this name (the coverage gate is skipped)")
    .option("--no-coverage", "skip the coverage gate (a firing and a silent case per rule, a case with rows per hunting query)")
    .option("--jobs <n>", "worker threads running cases (not with --update-snapshots or --live)", DEFAULT_JOBS)
    .option("--live", "also run every case on a Log Analytics workspace and report disagreements")
    .option("--workspace-id <id>", "Log Analytics workspace id for --live (default: $SENTINEL_WORKSPACE_ID)")
    .addHelpText(
      "after",
      `${examples([
        ["sentinel-content test", "every case of the repository, on all CPUs"],
        ["sentinel-content test analytics-rules/aoai --jobs 1", "the cases of one folder, on this thread"],
        ['sentinel-content test --case "five failures fire"', "one case by name"],
        ["sentinel-content test --changed --base origin/main", "content changed on this branch and what depends on it"],
        ["sentinel-content test --format junit --output junit.xml", "a JUnit report for CI"],
      ])}\nExit codes: 0 all passed, 1 failures or findings, 2 usage error. See docs/testing.md.`,
    )
    .action(async (paths: string[], options: TestOptions) => {
      process.exitCode = await runTestCommand(paths, options);
    });
}

/** Runs the content tests and prints or writes the report, as `sentinel-content test` does; returns the exit code. */
export async function runTestCommand(paths: string[], options: TestOptions, shared: SharedTestInputs = {}): Promise<number> {
  const format = parseFormat(options.format, TEST_FORMATS);
  if (options.base !== undefined && !options.changed) throw new ExitError(2, "--base needs --changed");
  const jobs = parseJobs(options.jobs);
  const root = path.resolve(options.root);
  const { runContentTests } = await import("../../testing/run/run-tests.ts");
  const { createOfflineEngine } = await import("../../testing/run/offline-engine.ts");
  const limits = budgetLimits(options);
  const offline = createOfflineEngine(limits);
  const live = options.live ? await liveComparer(options, offline) : undefined;
  const engine = live?.engine ?? offline;
  const afterCase = live?.afterCase;
  const progress = new ProgressLine(process.stderr);
  let done = 0;
  let failing = 0;
  let report;
  try {
    report = await runContentTests({
      root,
      engine,
      paths,
      ...(shared.repository ? { repository: shared.repository } : {}),
      ...(shared.workers ? { workers: shared.workers } : {}),
      ...(shared.repository && shared.fixtureProfiles ? { fixtureProfiles: shared.fixtureProfiles } : {}),
      updateSnapshots: options.updateSnapshots === true,
      coverage: options.coverage,
      jobs,
      ...(options.case !== undefined ? { caseName: options.case } : {}),
      onCase: (result, total) => {
        done++;
        if (result.status !== "passed") failing++;
        progress.update(`${done}/${total} cases${failing > 0 ? `, ${failing} failing` : ""}`);
      },
      limits,
      ...(options.changed ? { changedBase: options.base ?? "" } : {}),
      ...(afterCase ? { afterCase } : {}),
    });
  } catch (error) {
    // git failures for --changed are environment problems, not findings
    throw new ExitError(2, `cannot select tests: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  } finally {
    progress.clear();
  }
  if (options.case !== undefined && report.results.length === 0) throw new ExitError(2, `no case is named ${JSON.stringify(options.case)}`);
  // nothing to run is a usage error (a wrong path or an empty repository), unless a --changed selection is empty
  if (report.results.length === 0 && report.diagnostics.every((d) => d.code === "SC1011") && !options.changed) {
    throw new ExitError(2, `no test cases found${paths.length > 0 ? ` under ${paths.join(", ")}` : ` in ${root}`}: tests files are <stem>.tests.yaml beside the content they test (docs/testing.md)`);
  }
  const text = await render(report, format, options);
  if (options.output) {
    writeFileAtomicSync(options.output, `${text}\n`);
    if (format !== "text") process.stdout.write(`${(await import("../../testing/reporters/ci.ts")).testTotalsLine(report)}\n`);
  } else {
    process.stdout.write(`${text}\n`);
  }
  const failed = report.summary.failed + report.summary.errors > 0 || report.diagnostics.some((d) => d.severity === "error");
  return failed ? 1 : 0;
}

/** The --jobs value as a number of worker threads; a usage error (exit 2) outside 1–MAX_JOBS. */
export function parseJobs(text: string): number {
  const jobs = Number(text);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > MAX_JOBS) throw new ExitError(2, `--jobs must be a whole number from 1 to ${MAX_JOBS}`);
  return jobs;
}

async function render(report: Awaited<ReturnType<typeof import("../../testing/run/run-tests.ts").runContentTests>>, format: Format, options: TestOptions): Promise<string> {
  switch (format) {
    case "json":
      return (await import("../../testing/reporters/json.ts")).formatJson(report);
    case "junit":
      return (await import("../../testing/reporters/junit.ts")).formatJunit(report);
    case "github":
    case "azure-devops":
      return (await import("../../testing/reporters/ci-output.ts")).formatCiWithSummary(format, report);
    default: {
      const style = options.output ? undefined : styler(process.stdout);
      const pretty = (await import("../../testing/reporters/pretty.ts")).formatPretty(report, { verbose: options.verbose === true, ...(style ? { style } : {}) });
      return report.selection ? `${report.selection}\n${pretty}` : pretty;
    }
  }
}

async function liveComparer(options: TestOptions, engine: import("../../testing/run/engine-port.ts").QueryEngine) {
  const workspaceId = options.workspaceId ?? process.env.SENTINEL_WORKSPACE_ID;
  if (!workspaceId) throw new ExitError(2, "--live needs --workspace-id <id> or $SENTINEL_WORKSPACE_ID");
  const { createLiveComparer } = await import("../../testing/run/live.ts");
  const { DefaultAzureCredential } = await import("@azure/identity");
  return createLiveComparer({ workspaceId, credential: new DefaultAzureCredential(), engine });
}
