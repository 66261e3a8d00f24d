#!/usr/bin/env node
// Entry point of the `sentinel-content` CLI. The installed package runs the compiled JavaScript in dist/ — from a
// warm-start snapshot when `sentinel-content warm` built one for this Node (docs/warm-start.md); a source
// checkout (src/ present) runs the TypeScript sources through tsx, so edits need no build step.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import module from "node:module";
import { fileURLToPath } from "node:url";

// reuses V8's compiled code between runs (Node 22.1+; a no-op where unavailable)
module.enableCompileCache?.();
// replay allocates short-lived rows at a high rate: with a larger young generation its garbage collection costs about a
// third less CPU and its peak memory is lower (docs/replay.md). V8 takes the size only at start, so the command
// restarts itself once with it, unless the caller already chose one.
const NURSERY = "--max-semi-space-size=64";
if (process.argv[2] === "replay" && !process.execArgv.some((arg) => arg.startsWith("--max-semi-space-size"))) {
  process.exit(await runChild([NURSERY, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)]));
}
const source = new URL("../src/cli/main.ts", import.meta.url);
// the commands whose own thread runs KQL start faster from the snapshot; the others (and --help) start faster
// without it, as loading a snapshot costs about half a second (docs/warm-start.md)
const WARM_COMMANDS = new Set(["query", "replay"]);
if (existsSync(source)) {
  const { register } = await import("tsx/esm/api");
  register();
  const { main } = await import(source.href);
  process.exitCode = await main(process.argv);
} else {
  const warm = process.env.SENTINEL_CONTENT_WARM_START === "0" || !WARM_COMMANDS.has(process.argv[2] ?? "") ? undefined : await warmStartArgs();
  if (warm) {
    process.exitCode = await runChild(warm);
  } else {
    const { main } = await import("../dist/cli/main.js");
    process.exitCode = await main(process.argv);
  }
}

/**
 * Runs node with `args` as this command, passing on the signals that stop a command (so a kill of this process stops
 * it too), and returns its exit code; when a signal ended it, this process ends by the same signal.
 */
async function runChild(args) {
  const child = spawn(process.execPath, args, { stdio: "inherit" });
  const forward = (signal) => child.kill(signal);
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const signal of signals) process.on(signal, forward);
  const [code, signal] = await once(child, "exit");
  for (const s of signals) process.off(s, forward);
  if (signal) process.kill(process.pid, signal);
  return code ?? 2;
}

/** The node arguments that run this command from a matching snapshot, or undefined. */
async function warmStartArgs() {
  const { installedInputs, warmStartArgs: args } = await import("../dist/cli/warm-start.js");
  return args(installedInputs(), process.argv.slice(2));
}
