import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { ExitError } from "../../diagnostics/errors.ts";
import { formatOption, parseFormat, type Format } from "../formats.ts";
import { examples } from "../help.ts";
import { budgetLimits, withBudgetOptions, type BudgetOptions } from "./engine-budget.ts";

interface QueryOptions extends BudgetOptions {
  data?: string;
  now?: string;
  format: string;
  batch?: string;
  repo?: string;
  stream?: string;
}

/** The formats `query --format` writes. */
const QUERY_FORMATS: readonly Format[] = ["text", "json"];

/** Registers `sentinel-content query`: run KQL offline on table files with a frozen clock. */
export function register(program: Command): void {
  withBudgetOptions(program.command("query"))
    .description("Run a KQL query offline on table files (Name.json, Name.jsonl, Name.csv) with a frozen now().")
    .argument("[file]", "file holding the query, or - for stdin (default: stdin)")
    .option("--data <dir>", "folder of table files named after their tables")
    .option("--now <iso>", "the instant now() returns (ISO-8601 UTC; default: the current time)")
    .addOption(formatOption(QUERY_FORMATS, "output format"))
    .option("--batch <file>", "run many queries: a JSON Lines file of {id, query, now?}; prints one JSON line per query")
    .option("--repo <dir>", "content repository whose parsers and watchlists the query may call (e.g. . for this repo); its custom tables' data files are typed by their declared columns")
    .option("--stream <name>", "with --repo: type the data folder's source file by this DCR input stream's declared columns (to run a mapping's transformKql)")
    .addHelpText(
      "after",
      `${examples([
        ["sentinel-content query q.kql --data fixtures/ --now 2026-11-20T12:00:00Z", "on table files, with a frozen clock"],
        ["echo 'print x=1' | sentinel-content query", "a query from stdin"],
        ["sentinel-content query q.kql --repo . --format json", "calling the repository's parsers and watchlists; JSON out"],
        ["sentinel-content query transform.kql --repo . --stream Custom-ChatGPTComplianceRaw --data raw/", "a DCR transform on raw/source.jsonl, typed as the stream declares"],
      ])}\nExit codes: 0 ok, 1 query or data error, 2 usage error. See docs/kql-engine.md.`,
    )
    .action(async (file: string | undefined, options: QueryOptions) => {
      const format = parseFormat(options.format, QUERY_FORMATS);
      const { loadRepoContext, runQueryCommand } = await import("./query-run.ts");
      const { repo, timeBudget, memoryBudget, ...rest } = { ...options, format: format === "text" ? "table" : format };
      const settings = { ...rest, limits: budgetLimits({ timeBudget, memoryBudget }) };
      const code = runQueryCommand(file, repo ? { ...settings, repo: await loadRepoContext(repo) } : settings, readFileSync);
      if (code !== 0) throw new ExitError(code, "");
    });
}
