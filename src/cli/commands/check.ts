import type { Command } from "commander";
import { formatOption, parseFormat, type Format } from "../formats.ts";
import { examples } from "../help.ts";
import { budgetLimits, withBudgetOptions, type BudgetOptions } from "./engine-budget.ts";
import { DEFAULT_JOBS, parseJobs, runTestCommand } from "./test.ts";

/** Options of `sentinel-content check`. */
interface CheckOptions extends BudgetOptions {
  root?: string;
  format: string;
  strict?: boolean;
  cache: boolean;
  jobs: string;
}

/** The formats `check --format` writes: those both `validate` and `test` write to one stream. */
const CHECK_FORMATS: readonly Format[] = ["text", "github", "azure-devops"];

/** Registers `sentinel-content check`: `validate` then, if it passes, `test`, in one process that loads the content once. */
export function register(program: Command): void {
  withBudgetOptions(program.command("check"))
    .description("Validate, then (if validation passes) run the test cases: validate && test in one process, loading the content once")
    .argument("[paths...]", "files or folders to validate and test, relative to the current folder or else to --root (default: the whole repository)")
    .option("--root <dir>", "repository root (default: the nearest folder upwards holding content folders)")
    .addOption(formatOption(CHECK_FORMATS))
    .option("--strict", "validation fails (exit 1, no tests run) on warnings too")
    .option("--no-cache", "do not use the KQL analysis cache")
    .option("--jobs <n>", "worker threads running cases", DEFAULT_JOBS)
    .addHelpText(
      "after",
      `${examples([
        ["sentinel-content check", "what `validate && test` does, faster: the CI gate"],
        ["sentinel-content check analytics-rules/aoai", "one folder"],
        ["sentinel-content check --format github", "annotations and job summaries in GitHub Actions"],
      ])}\nPrints validate's report, then test's. Exit codes: validate's when it fails (the tests do not run), else test's: 0 passed, 1 failures or findings, 2 usage error. See docs/testing.md.`,
    )
    .action(async (paths: string[], options: CheckOptions) => {
      process.exitCode = await runCheckCommand(paths, options);
    });
}

/** Runs validate, then test when validation passed, sharing the loaded content and starting the test workers first. */
async function runCheckCommand(paths: string[], options: CheckOptions): Promise<number> {
  const format = parseFormat(options.format, CHECK_FORMATS);
  const jobs = parseJobs(options.jobs);
  const limits = budgetLimits(options);
  const { validateAndReport, parseRoot, resolvePath } = await import("../../validate/validate-command.ts");
  const root = parseRoot(options.root);
  // both stages take the paths as validate resolves them (from the working directory when they exist there)
  const given = paths.map((p) => resolvePath(p, root));
  // on the whole repository the workers start first: they analyse validation's queries (so Kusto.Language loads once
  // per thread for both stages) and plan the cases meanwhile (closed if validation fails); a selection may have too
  // few cases to pay for workers, so the test stage decides then
  const early = jobs > 1 && paths.length === 0;
  const workers = early ? (await import("../../testing/run/test-pool.ts")).startTestWorkers(root, jobs, limits) : undefined;
  // with one job this thread runs both stages: validation analyses here too (no worker to load Kusto.Language again)
  // and keeps its analyses for the cases' engine, as a test worker does (kql/kept-analyses.ts)
  const kept = jobs === 1 ? await import("../../kql/kept-analyses.ts") : undefined;
  try {
    const validateOptions = { format: format === "text" ? "human" : format, root, kql: true, cache: options.cache, ...(options.strict ? { strict: true } : {}) };
    kept?.keepAnalyses(true);
    const validated = await validateAndReport(given, { ...validateOptions, ...(workers ? { pool: workers.analysis } : {}), ...(kept ? { workers: 1 } : {}) });
    kept?.keepAnalyses(false);
    if (validated.code !== 0) return validated.code;
    const testOptions = { ...options, root, coverage: true };
    // a partial validation loaded only the given paths: the tests then load the whole repository, as `test` does
    const shared = validated.repository.whole ? { repository: validated.repository, ...(validated.fixtureProfiles ? { fixtureProfiles: validated.fixtureProfiles } : {}) } : {};
    return await runTestCommand(given, testOptions, { ...shared, ...(workers ? { workers } : {}) });
  } finally {
    kept?.keepAnalyses(false);
    // the analyses no case took are not kept past the command
    kept?.keepOnly(new Set());
    // workers handed to the test run are stopped by it already; this stops them when validation failed or threw
    void workers?.close();
  }
}
