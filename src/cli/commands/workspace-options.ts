import { Option, type Command } from "commander";

/** Adds the options that locate the target workspace's environment file and repository (--environments, --root, hidden --arm-endpoint); returns the command. */
export function addWorkspaceTargetOptions(command: Command): Command {
  return command
    .option("--environments <file>", "environments file (default: environments.yaml under --root)")
    .option("--root <dir>", "repository root (default: the current folder)")
    .addOption(new Option("--arm-endpoint <url>", "loopback ARM emulator endpoint (tests and benchmarks)").hideHelp());
}
