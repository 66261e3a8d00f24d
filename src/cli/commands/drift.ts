import type { Command } from "commander";
import { ExitError } from "../../diagnostics/errors.ts";
import type { DriftOptions } from "../../deploy/deploy-command.ts";
import { addWorkspaceTargetOptions } from "./workspace-options.ts";

/** Registers `sentinel-content drift`: report (and optionally absorb) portal edits to repository-managed content. */
export function register(program: Command): void {
  const command = program
    .command("drift")
    .description("Report portal edits to repository-managed content (fields, who, when); --absorb writes them into the YAML.")
    .requiredOption("--env <name>", "environment of environments.yaml")
    .option("--absorb", "write the drifted fields back into the content files (comments and layout kept)")
    .option("--format <format>", "text, markdown or json", "text");
  addWorkspaceTargetOptions(command)
    .addHelpText("after", "\nExit codes: 0 no drift, 1 drift or findings, 2 usage error. See docs/deploy.md.")
    .action(async (options: DriftOptions) => {
      const { runDriftCommand } = await import("../../deploy/deploy-command.ts");
      const code = await runDriftCommand(options, (text) => process.stdout.write(text));
      if (code !== 0) throw new ExitError(code, "");
    });
}
