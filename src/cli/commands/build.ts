import type { Command } from "commander";
import { ExitError } from "../../diagnostics/errors.ts";
import { examples } from "../help.ts";
import type { BuildCommandOptions } from "../../build/build-command.ts";

/** Registers `sentinel-content build`: content → exact Azure REST bodies (and optionally one ARM template). */
export function register(program: Command): void {
  program
    .command("build")
    .description("Build content into the exact Azure REST bodies (alertRules, savedSearches, workbooks, watchlists, tables, DCRs).")
    .option("--out <dir>", "output folder (default: out/ under --root)")
    .option("--arm-template", "also write one ARM template (azuredeploy.json)")
    .option("--env <name>", "build for this environment of environments.yaml (its workspace ids and overlays)")
    .option("--environments <file>", "environments file (default: environments.yaml under --root)")
    .option("--root <dir>", "repository root (default: the current folder)")
    .addHelpText(
      "after",
      `${examples([
        ["sentinel-content build", "REST bodies of every content item under out/"],
        ["sentinel-content build --env prod --arm-template", "for one environment, plus one ARM template"],
      ])}\nExit codes: 0 built, 1 findings, 2 usage error. See docs/deploy.md.`,
    )
    .action(async (options: BuildCommandOptions) => {
      const { runBuildCommand } = await import("../../build/build-command.ts");
      const code = await runBuildCommand(options, (text) => process.stdout.write(text));
      if (code !== 0) throw new ExitError(code, "");
    });
}
