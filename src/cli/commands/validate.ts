import type { Command } from "commander";
import { ExitError } from "../../diagnostics/errors.ts";
import { formatOption, parseFormat, type Format } from "../formats.ts";
import { examples } from "../help.ts";
import type { ValidateCommandOptions } from "../../validate/validate-command.ts";

/** The formats `validate --format` writes. */
const VALIDATE_FORMATS: readonly Format[] = ["text", "json", "sarif", "github", "azure-devops"];

/** Registers `sentinel-content validate`: load, schema, content checks and KQL analysis of every content file. */
export function register(program: Command): void {
  program
    .command("validate")
    .description("Validate content: YAML, JSON Schemas, content checks (ids, durations, MITRE, entities) and KQL analysis.")
    .argument("[paths...]", "files or folders to validate, relative to the current folder or else to --root (default: every content folder under --root)")
    .addOption(formatOption(VALIDATE_FORMATS))
    .option("--strict", "fail (exit 1) on warnings too")
    .option("--output <file>", "write the report to a file instead of stdout")
    .option("--root <dir>", "repository root; finding paths are relative to it (default: the nearest folder upwards holding content folders)")
    .option("--kind <kind>", "treat every file as this kind (analytic-rule, hunting-query, ...), for trees outside the content folders")
    .option("--no-kql", "skip the KQL analysis stage")
    .option("--no-cache", "do not use the KQL analysis cache")
    .option("--baseline <file>", "accept the findings recorded in this baseline file: fail only on new ones")
    .option("--write-baseline [file]", "record the current findings as the baseline (default: .sentinel-content-baseline.json at the root) and exit 0")
    .addHelpText(
      "after",
      `${examples([
        ["sentinel-content validate", "every content file of the repository"],
        ["sentinel-content validate analytics-rules/aoai --strict", "one folder; warnings fail too"],
        ["sentinel-content validate --format sarif --output validate.sarif", "a SARIF report for code scanning"],
        ["sentinel-content validate --write-baseline", "record today's findings; later runs fail only on new ones with --baseline"],
      ])}\nExit codes: 0 clean, 1 errors (or warnings with --strict), 2 usage error. See docs/validate.md.`,
    )
    .action(async (paths: string[], options: ValidateCommandOptions) => {
      const format = parseFormat(options.format, VALIDATE_FORMATS);
      const { runValidateCommand } = await import("../../validate/validate-command.ts");
      const code = await runValidateCommand(paths, { ...options, format: format === "text" ? "human" : format });
      if (code !== 0) throw new ExitError(code, "");
    });
}
