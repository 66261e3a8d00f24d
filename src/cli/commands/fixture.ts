import path from "node:path";
import type { Command } from "commander";
import { ExitError } from "../../diagnostics/errors.ts";
import { writeFileAtomicSync } from "../../files/write-atomic.ts";
import { examples } from "../help.ts";

/** Options of `sentinel-content fixture new`. */
interface FixtureOptions {
  root: string;
  count: string;
  start?: string;
  output?: string;
}

/** Registers `sentinel-content fixture new <table>`: writes schema-correct skeleton rows (JSONL) for a bundled or custom table. */
export function register(program: Command): void {
  const fixture = program
    .command("fixture")
    .description("Scaffold test fixtures")
    .addHelpText("after", examples([["sentinel-content fixture new SigninLogs --count 2", "two skeleton rows of a bundled table"]]));
  fixture
    .command("new")
    .description("Write schema-correct skeleton rows (JSONL) for a bundled table or a custom table declared in ingestion/")
    .argument("<table>", "table name (case-sensitive)")
    .option("-C, --root <dir>", "repository root (for custom tables)", process.cwd())
    .option("--count <n>", "number of rows", "1")
    .option("--start <datetime>", "TimeGenerated of the first row (ISO 8601; default: now, to the minute)")
    .option("--output <file>", "write to a file (atomically) instead of stdout")
    .addHelpText(
      "after",
      examples([
        ["sentinel-content fixture new SigninLogs", "one skeleton row on stdout"],
        ["sentinel-content fixture new AzureActivity --count 3 --output fixtures/rows.jsonl", "three rows, a minute apart, in a file"],
      ]),
    )
    .action(async (table: string, options: FixtureOptions) => {
      const count = Number(options.count);
      if (!Number.isInteger(count) || count < 1 || count > 10_000) throw new ExitError(2, "--count must be a whole number from 1 to 10000");
      const start = options.start === undefined ? Math.floor(Date.now() / 60_000) * 60_000 : Date.parse(options.start);
      if (Number.isNaN(start)) throw new ExitError(2, `--start ${JSON.stringify(options.start)} is not an ISO 8601 datetime`);
      const { loadRepository } = await import("../../repository/index.ts");
      const { buildWorkspace, leftOutNote } = await import("../../testing/spec/workspace.ts");
      const { skeletonRows } = await import("../../testing/spec/fixture-skeleton.ts");
      const root = path.resolve(options.root);
      const workspace = buildWorkspace(await loadRepository(root, ["ingestion"]));
      const schema = workspace.tables.get(table);
      if (!schema) {
        const near = [...workspace.tables.keys()].filter((t) => t.toLowerCase().includes(table.toLowerCase())).slice(0, 5);
        throw new ExitError(1, `unknown table ${table}${near.length > 0 ? ` (did you mean ${near.join(", ")}?)` : ""}${leftOutNote(workspace)}`);
      }
      const text = skeletonRows(schema.columns, count, start);
      if (!options.output) {
        process.stdout.write(text);
        return;
      }
      writeFileAtomicSync(options.output, text);
      process.stderr.write(`wrote ${count} ${table} row${count > 1 ? "s" : ""} to ${options.output}\n`);
    });
}
