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
    .option("--target <name>", "write a target instead of REST bodies: arm, repositories, bicep, terraform, defender or content-hub (see docs/build-targets.md)")
    .option("--env <name>", "build for this environment of environments.yaml (its workspace ids and overlays)")
    .option("--environments <file>", "environments file (default: environments.yaml under --root)")
    .option("--root <dir>", "repository root (default: the current folder)")
    .addHelpText(
      "after",
      `${examples([
        ["sentinel-content build", "REST bodies of every content item under out/"],
        ["sentinel-content build --env prod --arm-template", "for one environment, plus one ARM template"],
        ["sentinel-content build --target repositories", "one ARM template per item for Sentinel Repositories"],
      ])}
Exit codes: 0 built, 1 findings, 2 usage error. See docs/deploy.md and docs/build-targets.md.`,
    )
    .action(async (options: BuildCommandOptions & { target?: string }) => {
      const code = options.target
        ? await (await import("../../build/targets/target-command.ts")).runTargetCommand({ ...options, target: options.target }, (text) => process.stdout.write(text))
        : await (await import("../../build/build-command.ts")).runBuildCommand(options, (text) => process.stdout.write(text));
      if (code !== 0) throw new ExitError(code, "");
    });
}
