import type { Command } from "commander";
import { ExitError } from "../../diagnostics/errors.ts";
import type { DeployOptions } from "../../deploy/deploy-command.ts";
import { formatOption, parseFormat, type Format } from "../formats.ts";
import { examples } from "../help.ts";
import { addWorkspaceTargetOptions } from "./workspace-options.ts";

/** The formats `deploy --format` writes. */
const DEPLOY_FORMATS: readonly Format[] = ["text", "markdown", "json"];

/** Registers `sentinel-content deploy`: plan or apply the repository against one environment's workspace. */
export function register(program: Command): void {
  const command = program
    .command("deploy")
    .description("Plan (read-only) or apply the repository's content to a Sentinel workspace.")
    .requiredOption("--env <name>", "environment of environments.yaml")
    .option("--plan", "show create / update / delete / no-op per item with field-level diffs (changes nothing)")
    .option("--apply", "execute the plan (dependency order, bounded concurrency, etags, retries)")
    .option("--prune", "also delete resources this repository deployed and still owns that are no longer in it (never anything unmarked, copied or foreign)")
    .option("--adopt", "take over resources whose names collide with the repository's but which it does not own (refused otherwise)")
    .option("--allow-mass-delete", "let --prune delete more than the delete guard allows")
    .option("--max-deletes <n>", "delete guard: most deletes --prune may make without --allow-mass-delete", "5")
    .option("--max-delete-fraction <f>", "delete guard: largest share (0-1) of the repository's resources --prune may delete without --allow-mass-delete", "0.25")
    .option("--fail-fast", "stop at the first failed item; the rest are reported as skipped")
    .addOption(formatOption(DEPLOY_FORMATS, "report format (markdown for a PR comment or job summary)"))
    .option("--concurrency <n>", "requests in flight at once during apply", "8");
  addWorkspaceTargetOptions(command)
    .addHelpText(
      "after",
      `${examples([
        ["sentinel-content deploy --env prod --plan", "what apply would change (read-only)"],
        ["sentinel-content deploy --env prod --apply --prune", "apply, and delete what this repository no longer holds"],
        ["sentinel-content deploy --env prod --plan --format markdown", "the plan as a job summary"],
      ])}\nExit codes: 0 ok, 1 findings or failed/skipped items, 2 usage error. See docs/deploy.md.`,
    )
    .action(async (options: DeployOptions) => {
      if (options.format !== undefined) options.format = parseFormat(options.format, DEPLOY_FORMATS);
      const { runDeployCommand } = await import("../../deploy/deploy-command.ts");
      const code = await runDeployCommand(options, (text) => process.stdout.write(text));
      if (code !== 0) throw new ExitError(code, "");
    });
}
