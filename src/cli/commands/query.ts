import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { ExitError } from "../../diagnostics/errors.ts";

interface QueryOptions {
  data?: string;
  now?: string;
  format: string;
  batch?: string;
  repo?: string;
}

/** Registers `sentinel-content query`: run KQL offline on table files with a frozen clock. */
export function register(program: Command): void {
  program
    .command("query")
    .description("Run a KQL query offline on table files (Name.json, Name.jsonl, Name.csv) with a frozen now().")
    .argument("[file]", "file holding the query, or - for stdin (default: stdin)")
    .option("--data <dir>", "folder of table files named after their tables")
    .option("--now <iso>", "the instant now() returns (ISO-8601 UTC; default: the current time)")
    .option("--format <format>", "output format: table or json", "table")
    .option("--batch <file>", "run many queries: a JSON Lines file of {id, query, now?}; prints one JSON line per query")
    .option("--repo <dir>", "content repository whose parsers and watchlists the query may call (e.g. . for this repo)")
    .action(async (file: string | undefined, options: QueryOptions) => {
      const { loadRepoContext, runQueryCommand } = await import("./query-run.ts");
      const { repo, ...rest } = options;
      const code = runQueryCommand(file, repo ? { ...rest, repo: await loadRepoContext(repo) } : rest, readFileSync);
      if (code !== 0) throw new ExitError(code, "");
    });
}
