import path from "node:path";
import type { Command } from "commander";
import { ExitError } from "../../diagnostics/errors.ts";
import { examples } from "../help.ts";

/** Options of `sentinel-content new rule`. */
interface NewRuleOptions {
  root: string;
  folder?: string;
}

/** Registers `sentinel-content new rule <source> <name>`: a rule, its tests file and a fixture row, valid as written. */
export function register(program: Command): void {
  const create = program
    .command("new")
    .description("Create content from a skeleton")
    .addHelpText("after", examples([["sentinel-content new rule SigninLogs failed-signin-burst", "a rule on SigninLogs with its tests and fixture"]]));
  create
    .command("rule")
    .description("Write an analytic rule on a table (fresh GUID), its tests file with a firing and a silent case, and a fixture row from the table's schema")
    .argument("<source>", "table the rule reads: a bundled table or a custom table declared in the repository (case-sensitive)")
    .argument("<name>", "file name: lowercase words joined by hyphens")
    .option("-C, --root <dir>", "repository root", process.cwd())
    .option("--folder <dir>", "folder for the rule, relative to the root (default: the layout's rule folder, then the table)")
    .addHelpText(
      "after",
      `${examples([
        ["sentinel-content new rule SigninLogs failed-signin-burst", "analytics-rules/SigninLogs/failed-signin-burst.yaml and its tests"],
        ["sentinel-content new rule AzureActivity key-listed --folder analytics-rules/azure-activity", "in a folder of your choice"],
      ])}\nThen: edit the query and the fixture row, and run sentinel-content test <folder>.`,
    )
    .action(async (table: string, name: string, options: NewRuleOptions) => {
      const root = path.resolve(options.root);
      const [{ loadRepository }, { buildWorkspace, leftOutNote }, { activeLayout }, { newRuleFiles }, { createFiles }] = await Promise.all([
        import("../../repository/index.ts"),
        import("../../testing/spec/workspace.ts"),
        import("../../content/layout.ts"),
        import("../../scaffold/new-rule.ts"),
        import("../../scaffold/write-files.ts"),
      ]);
      const workspace = buildWorkspace(await loadRepository(root));
      const schema = workspace.tables.get(table);
      if (!schema) throw new ExitError(2, `unknown table ${table}: name a bundled table or one declared in the repository (see sentinel-content fixture new --help)${leftOutNote(workspace)}`);
      const request = { table, columns: schema.columns, name, now: Date.now(), ...(options.folder ? { folder: options.folder } : {}) };
      const written = createFiles(root, newRuleFiles(request, activeLayout()));
      process.stdout.write(`created ${written.join(", ")}\n`);
    });
}
