import type { Command } from "commander";
import { ExitError } from "../../diagnostics/errors.ts";
import { examples } from "../help.ts";
import type { ImportOptions } from "../../import/import-command.ts";
import type { WorkspaceCommandOptions } from "../../import/workspace-command.ts";

/** Registers `sentinel-content import workspace|arm|sigma`: existing content into this repository's YAML. */
export function register(program: Command): void {
  const command = program
    .command("import")
    .description("Import existing content as YAML: a workspace's rules, hunting queries, parsers and watchlists; ARM templates; Sigma rules.")
    .addHelpText(
      "after",
      examples([
        ["sentinel-content import arm exported/*.json", "exported rule templates or a Content Hub mainTemplate.json"],
        ["sentinel-content import sigma rules/proc_creation.yml", "a Sigma rule, converted here"],
        ["sentinel-content import workspace --env prod", "everything in an environment's workspace"],
      ]),
    );
  const common = (c: Command) =>
    c.option("--out <dir>", "output root: files go to analytics-rules/imported/, hunting-queries/imported/, parsers/imported/, watchlists/imported/ under it (default: the current folder)").option("--force", "overwrite existing files");
  common(command.command("arm").argument("<files...>", "ARM templates: exported rules, Content Hub packages (mainTemplate.json), build --target arm|repositories output").description("Import ARM templates into YAML (a test skeleton beside each rule)."))
    .addHelpText(
      "after",
      `${examples([
        ["sentinel-content import arm exported/*.json", "rules exported from the portal, as YAML with test skeletons"],
        ["sentinel-content import arm mainTemplate.json --out . --force", "a Content Hub package, overwriting earlier imports"],
      ])}\nExit codes: 0 imported, 1 findings (nothing written), 2 usage error. See docs/import.md.`,
    )
    .action(async (files: string[], options: ImportOptions) => {
      const { runImportArm } = await import("../../import/import-command.ts");
      exit(await runImportArm(files, options, (text) => process.stdout.write(text)));
    });
  common(command.command("sigma").argument("<files...>", "Sigma rules (YAML)").description("Import Sigma rules as Sentinel Scheduled rules, entity mappings suggested from the output columns."))
    .option("--query <file>", "the Kusto query a Sigma backend wrote for the (single) rule; without it the common log sources and modifiers are converted here")
    .addHelpText(
      "after",
      `${examples([
        ["sentinel-content import sigma rules/proc_creation.yml", "converted here from the common log sources"],
        ["sentinel-content import sigma rule.yml --query rule.kql", "wrapping the query a Sigma backend wrote"],
      ])}\nExit codes: 0 imported, 1 findings (nothing written), 2 usage error. See docs/import.md.`,
    )
    .action(async (files: string[], options: ImportOptions & { query?: string }) => {
      const { runImportSigma } = await import("../../import/import-command.ts");
      exit(await runImportSigma(files, options, (text) => process.stdout.write(text)));
    });
  common(command.command("workspace").description("Import every analytic rule, hunting query, parser and watchlist of a workspace (not only this repository's)."))
    .option("--env <name>", "the workspace of this environment of environments.yaml")
    .option("--environments <file>", "environments file (default: environments.yaml under --root)")
    .option("--root <dir>", "repository root (default: the current folder)")
    .option("--subscription <id>", "workspace subscription (instead of --env)")
    .option("--resource-group <name>", "workspace resource group (instead of --env)")
    .option("--workspace <name>", "workspace name (instead of --env)")
    .option("--arm-endpoint <url>", "loopback ARM emulator (tests and demos only)")
    .addHelpText(
      "after",
      `${examples([
        ["sentinel-content import workspace --env prod", "the workspace of an environment of environments.yaml"],
        ["sentinel-content import workspace --subscription S --resource-group G --workspace W", "a workspace named directly"],
      ])}\nExit codes: 0 imported, 1 findings or ARM errors (nothing written), 2 usage error. See docs/import.md.`,
    )
    .action(async (options: WorkspaceCommandOptions) => {
      const { runImportWorkspaceCommand } = await import("../../import/workspace-command.ts");
      exit(await runImportWorkspaceCommand(options, (text) => process.stdout.write(text)));
    });
}

function exit(code: number): void {
  if (code !== 0) throw new ExitError(code, "");
}
