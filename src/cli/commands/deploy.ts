import { Option, type Command } from "commander";
import { ExitError } from "../../diagnostics/errors.ts";
import type { DeployOptions } from "../../deploy/deploy-command.ts";

/** Registers `sentinel-content deploy`: plan or apply the repository against one environment's workspace. */
export function register(program: Command): void {
  program
    .command("deploy")
    .description("Plan (read-only) or apply the repository's content to a Sentinel workspace.")
    .requiredOption("--env <name>", "environment of environments.yaml")
    .option("--plan", "show create / update / delete / no-op per item with field-level diffs (changes nothing)")
    .option("--apply", "execute the plan (dependency order, bounded concurrency, etags, retries)")
    .option("--prune", "also delete resources this repository created that are no longer in it (never anything unmarked)")
    .option("--fail-fast", "stop at the first failed item; the rest are reported as skipped")
    .option("--format <format>", "text, markdown (PR comment / job summary) or json", "text")
    .option("--concurrency <n>", "requests in flight at once during apply", "8")
    .option("--environments <file>", "environments file (default: environments.yaml under --root)")
    .option("--root <dir>", "repository root (default: the current folder)")
    .addOption(new Option("--arm-endpoint <url>", "loopback ARM emulator endpoint (tests and benchmarks)").hideHelp())
    .addHelpText("after", "\nExit codes: 0 ok, 1 findings or failed/skipped items, 2 usage error. See docs/deploy.md.")
    .action(async (options: DeployOptions) => {
      const { runDeployCommand } = await import("../../deploy/deploy-command.ts");
      const code = await runDeployCommand(options, (text) => process.stdout.write(text));
      if (code !== 0) throw new ExitError(code, "");
    });
}
