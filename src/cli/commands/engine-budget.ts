import type { Command } from "commander";
import type { EngineLimits } from "../../engine/index.ts";
import { ExitError } from "../../diagnostics/errors.ts";

/** The budget options a command that runs queries accepts. */
export interface BudgetOptions {
  timeBudget?: string;
  memoryBudget?: string;
}

/** Adds `--time-budget` and `--memory-budget` to a command that runs queries on the offline engine. */
export function withBudgetOptions(command: Command): Command {
  return command
    .option("--time-budget <ms>", "longest a query may run, in milliseconds (default: 30000)")
    .option("--memory-budget <mib>", "most JavaScript heap a query may grow by, in MiB (default: 1024)");
}

function positiveWhole(flag: string, text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1) throw new ExitError(2, `${flag} must be a whole number of at least 1, not '${text}'`);
  return n;
}

/** The engine limits the options ask for (only those given; the engine's defaults fill the rest). */
export function budgetLimits(options: BudgetOptions): Partial<EngineLimits> {
  return {
    ...(options.timeBudget === undefined ? {} : { maxMilliseconds: positiveWhole("--time-budget", options.timeBudget) }),
    ...(options.memoryBudget === undefined ? {} : { maxMemoryMb: positiveWhole("--memory-budget", options.memoryBudget) }),
  };
}
