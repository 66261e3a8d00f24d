import { writeFileSync, renameSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { ExitError } from "../../diagnostics/index.ts";
import { budgetLimits, withBudgetOptions, type BudgetOptions } from "./engine-budget.ts";

/** Options of `sentinel-content test`. */
interface TestOptions extends BudgetOptions {
  root: string;
  changed?: boolean;
  base?: string;
  updateSnapshots?: boolean;
  format: "pretty" | "json" | "junit";
  output?: string;
  verbose?: boolean;
  coverage: boolean;
  live?: boolean;
  workspaceId?: string;
  jobs: string;
}

const FORMATS = ["pretty", "json", "junit"] as const;

/** Registers `sentinel-content test`: runs content test cases offline (and optionally on a live workspace). */
export function register(program: Command): void {
  withBudgetOptions(program.command("test"))
    .description("Run the test cases of analytic rules, hunting queries, parsers and ingestion mappings on the offline KQL engine")
    .argument("[paths...]", "content files, tests files or folders (default: the whole repository)")
    .option("-C, --root <dir>", "repository root", process.cwd())
    .option("--changed", "only content changed since --base, plus everything that depends on it")
    .option("--base <ref>", "git base ref for --changed (default: origin/main, else main)")
    .option("--update-snapshots", "rewrite the alert snapshots (<name>.snap.yaml) from the actual alerts")
    .option("--format <format>", `report format: ${FORMATS.join(", ")}`, "pretty")
    .option("--output <file>", "write the report to a file instead of stdout")
    .option("--verbose", "also list passing cases (pretty format)")
    .option("--no-coverage", "skip the coverage gate (a firing and a silent case per rule, a case with rows per hunting query)")
    .option("--jobs <n>", "worker threads running cases (not with --update-snapshots or --live)", "1")
    .option("--live", "also run every case on a Log Analytics workspace and report disagreements")
    .option("--workspace-id <id>", "Log Analytics workspace id for --live (default: $SENTINEL_WORKSPACE_ID)")
    .action(async (paths: string[], options: TestOptions) => {
      process.exitCode = await runTestCommand(paths, options);
    });
}

async function runTestCommand(paths: string[], options: TestOptions): Promise<number> {
  if (!(FORMATS as readonly string[]).includes(options.format)) throw new ExitError(2, `--format must be one of ${FORMATS.join(", ")}`);
  if (options.base !== undefined && !options.changed) throw new ExitError(2, "--base needs --changed");
  const jobs = Number(options.jobs);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new ExitError(2, "--jobs must be a whole number from 1 to 64");
  const root = path.resolve(options.root);
  const { runContentTests } = await import("../../testing/run-tests.ts");
  const { createOfflineEngine } = await import("../../testing/offline-engine.ts");
  const limits = budgetLimits(options);
  const offline = createOfflineEngine(limits);
  const live = options.live ? await liveComparer(options, offline) : undefined;
  const engine = live?.engine ?? offline;
  const afterCase = live?.afterCase;
  let report;
  try {
    report = await runContentTests({
      root,
      engine,
      paths,
      updateSnapshots: options.updateSnapshots === true,
      coverage: options.coverage,
      jobs,
      limits,
      ...(options.changed ? { changedBase: options.base ?? "" } : {}),
      ...(afterCase ? { afterCase } : {}),
    });
  } catch (error) {
    // git failures for --changed are environment problems, not findings
    throw new ExitError(2, `cannot select tests: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  }
  const text = await format(report, options);
  if (options.output) {
    const temp = `${options.output}.${process.pid}.tmp`;
    writeFileSync(temp, `${text}\n`, "utf8");
    renameSync(temp, options.output);
    if (options.format !== "pretty") process.stdout.write(`${report.summary.passed} passed, ${report.summary.failed} failed, ${report.summary.errors} errors\n`);
  } else {
    process.stdout.write(`${text}\n`);
  }
  const failing = report.summary.failed + report.summary.errors > 0 || report.diagnostics.some((d) => d.severity === "error");
  return failing ? 1 : 0;
}

async function format(report: Awaited<ReturnType<typeof import("../../testing/run-tests.ts").runContentTests>>, options: TestOptions): Promise<string> {
  switch (options.format) {
    case "json":
      return (await import("../../testing/reporters/json.ts")).formatJson(report);
    case "junit":
      return (await import("../../testing/reporters/junit.ts")).formatJunit(report);
    default: {
      const pretty = (await import("../../testing/reporters/pretty.ts")).formatPretty(report, { verbose: options.verbose === true });
      return report.selection ? `${report.selection}\n${pretty}` : pretty;
    }
  }
}

async function liveComparer(options: TestOptions, engine: import("../../testing/engine-port.ts").QueryEngine) {
  const workspaceId = options.workspaceId ?? process.env.SENTINEL_WORKSPACE_ID;
  if (!workspaceId) throw new ExitError(2, "--live needs --workspace-id <id> or $SENTINEL_WORKSPACE_ID");
  const { createLiveComparer } = await import("../../testing/live.ts");
  const { DefaultAzureCredential } = await import("@azure/identity");
  return createLiveComparer({ workspaceId, credential: new DefaultAzureCredential(), engine });
}
