import { Option } from "commander";
import { ExitError } from "../diagnostics/errors.ts";

/**
 * The one vocabulary of report formats across commands; each command accepts a subset of it. A new format
 * (a CI system's annotations, say) is added here and to the commands that write it.
 */
export const FORMATS = ["text", "json", "sarif", "junit", "markdown", "github", "azure-devops"] as const;

/** A report format name. */
export type Format = (typeof FORMATS)[number];

/** Earlier names of `text`, still accepted: validate's `human`, test's `pretty`, query's `table`. */
export const FORMAT_ALIASES: Readonly<Record<string, Format>> = { human: "text", pretty: "text", table: "text" };

/** The format a --format value names (an alias resolved) if the command accepts it; a usage error (exit 2) otherwise. */
export function parseFormat(value: string, accepted: readonly Format[]): Format {
  const format = FORMAT_ALIASES[value] ?? value;
  if ((accepted as readonly string[]).includes(format)) return format as Format;
  throw new ExitError(2, `--format must be one of ${accepted.join(", ")}, not ${JSON.stringify(value)}`);
}

/** The --format option of a command writing these formats (the first is the default). */
export function formatOption(accepted: readonly Format[], what = "report format"): Option {
  return new Option("--format <format>", `${what}: ${accepted.join(", ")}`).default(accepted[0]);
}
