// Benchmark of `npm run check` (`sentinel-content check`: validate, then every content test, in one process) against
// the two processes it replaces (`validate && test`), on a copy of this repository's content: cold (no .cache/, as in
// a fresh CI checkout) and warm (the KQL analysis cache of the cold run in place). Prints wall and CPU seconds (user +
// system of the child processes and all their threads; Linux) and the load average beside each figure: on a busy
// machine the wall time grows with the load, the CPU time much less. Also cold `check --jobs 1` (one thread for both
// stages). Target: cold `check` ≤ 10 s on 2 CPUs.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { childrenCpu } from "./children-cpu.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BIN = path.join(ROOT, "bin/sentinel-content.js");
const TARGET_SECONDS = 10;
/** What the copy leaves out: the toolkit's own code, tests and build output, caches. Everything else is content. */
const NOT_CONTENT = new Set(["node_modules", ".git", "dist", ".cache", "src", "test", "scripts", "docs", "bin", ".vitest-report.json"]);

/** CPU seconds (user + system) of the waited-for child processes; undefined where /proc is missing. */
function childrenCpuSeconds(): number | undefined {
  const cpu = childrenCpu();
  return cpu && cpu.user + cpu.system;
}

const load = () => os.loadavg()[0]!.toFixed(2);

/** A fresh copy of the repository's content (no cache) in a temporary folder. */
function contentCopy(): string {
  const copy = mkdtempSync(path.join(os.tmpdir(), "bench-check-"));
  for (const name of readdirSync(ROOT)) if (!NOT_CONTENT.has(name)) cpSync(path.join(ROOT, name), path.join(copy, name), { recursive: true });
  return copy;
}

/** Runs the commands in turn (each only if the previous exited 0) and prints wall and CPU seconds with the load. */
function measure(title: string, commands: string[][]): number {
  const loadBefore = load();
  const cpuBefore = childrenCpuSeconds();
  const started = performance.now();
  let status: number | null = 0;
  for (const args of commands) {
    if (status !== 0) break;
    status = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: "ignore" }).status;
  }
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = childrenCpuSeconds();
  const cpu = cpuBefore !== undefined && cpuAfter !== undefined ? `, CPU ${(cpuAfter - cpuBefore).toFixed(1)} s` : "";
  console.log(`${title.padEnd(30)} ${seconds.toFixed(1).padStart(6)} s wall${cpu}, exit ${status} (load ${loadBefore} → ${load()})`);
  return seconds;
}

console.log(`node ${process.version}, ${os.availableParallelism()} CPUs, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
const separate = contentCopy();
const single = contentCopy();
const oneThread = contentCopy();
try {
  const twoProcesses = (root: string) => [
    ["validate", "--root", root],
    ["test", "-C", root],
  ];
  measure("validate && test, cold", twoProcesses(separate));
  const cold = measure("check, cold", [["check", "--root", single]]);
  measure("validate && test, warm", twoProcesses(separate));
  measure("check, warm", [["check", "--root", single]]);
  // both stages on the main thread: no worker loads the content, the modules and Kusto.Language again
  measure("check --jobs 1, cold", [["check", "--root", oneThread, "--jobs", "1"]]);
  console.log(`target: cold check ≤ ${TARGET_SECONDS} s on 2 CPUs: ${cold <= TARGET_SECONDS ? "ok" : "OVER"}`);
} finally {
  rmSync(separate, { recursive: true, force: true });
  rmSync(single, { recursive: true, force: true });
  rmSync(oneThread, { recursive: true, force: true });
}
