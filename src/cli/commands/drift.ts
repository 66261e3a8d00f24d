import type { Command } from "commander";
import { ExitError } from "../../diagnostics/errors.ts";
import type { DriftOptions } from "../../deploy/deploy-command.ts";
import { formatOption, parseFormat, type Format } from "../formats.ts";
import { examples } from "../help.ts";
import { addWorkspaceTargetOptions } from "./workspace-options.ts";

/** The formats `drift --format` writes. */
const DRIFT_FORMATS: readonly Format[] = ["text", "markdown", "json"];

/** Registers `sentinel-content drift`: report (and optionally absorb) portal edits to repository-managed content. */
export function register(program: Command): void {
  const command = program
    .command("drift")
    .description("Report portal edits to repository-managed content (fields, who, when); --absorb writes them into the YAML.")
    .requiredOption("--env <name>", "environment of environments.yaml")
    .option("--absorb", "write the drifted fields back into the content files (comments and layout kept)")
    .addOption(formatOption(DRIFT_FORMATS));
  addWorkspaceTargetOptions(command)
    .addHelpText(
      "after",
      `${examples([
        ["sentinel-content drift --env prod", "portal edits to repository-managed content"],
        ["sentinel-content drift --env prod --absorb", "write those edits back into the YAML files"],
      ])}\nExit codes: 0 no drift, 1 drift or findings, 2 usage error. See docs/deploy.md.`,
    )
    .action(async (options: DriftOptions) => {
      if (options.format !== undefined) options.format = parseFormat(options.format, DRIFT_FORMATS);
      const { runDriftCommand } = await import("../../deploy/deploy-command.ts");
      const code = await runDriftCommand(options, (text) => process.stdout.write(text));
      if (code !== 0) throw new ExitError(code, "");
    });
}
