// CPU time of a benchmark's child processes, shared by the benchmarks that run the CLI or the test command.
import { existsSync, readFileSync } from "node:fs";

/** CPU seconds (user, system) of the waited-for child processes of this process, from /proc; undefined elsewhere. */
export function childrenCpu(): { user: number; system: number } | undefined {
  if (!existsSync("/proc/self/stat")) return undefined;
  // fields after the command name: cutime and cstime are the 14th and 15th, in clock ticks (100 a second on Linux)
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
  return { user: Number(fields[13]) / 100, system: Number(fields[14]) / 100 };
}
