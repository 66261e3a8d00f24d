// Benchmark of the project's test command (`npm test`, i.e. scripts/test.sh): wall time against the target (90 s
// on a 2-CPU machine), the CPU time it used (user + system, its processes and threads together; Linux), the load
// average before and after, and the slowest test files from vitest's JSON report. Run it on a quiet machine: on a
// busy one the wall time grows with the load, the CPU time much less. Run by `npm run bench`.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { childrenCpu } from "./children-cpu.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const REPORT = path.join(ROOT, ".vitest-report.json");
const TARGET_SECONDS = 90;
const SLOWEST = 15;

/** The slowest test files of vitest's JSON report: seconds and path. */
function slowestFiles(): string[] {
  if (!existsSync(REPORT)) return [];
  const report = JSON.parse(readFileSync(REPORT, "utf8")) as { testResults: { name: string; startTime: number; endTime: number }[] };
  return report.testResults
    .map((file) => ({ name: path.relative(ROOT, file.name), seconds: (file.endTime - file.startTime) / 1000 }))
    .sort((a, b) => b.seconds - a.seconds)
    .slice(0, SLOWEST)
    .map((file) => `${file.seconds.toFixed(1).padStart(7)} s  ${file.name}`);
}

const load = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");

console.log(`node ${process.version}, ${os.availableParallelism()} CPUs, load average ${load()}`);
const before = childrenCpu();
const started = performance.now();
const run = spawnSync("bash", [path.join(ROOT, "scripts/test.sh")], { cwd: ROOT, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
const seconds = (performance.now() - started) / 1000;
const after = childrenCpu();
const summary = (run.stdout ?? "").trimEnd().split("\n").pop() ?? "";
const cpu = before && after ? `, CPU ${(after.user - before.user).toFixed(1)} s user + ${(after.system - before.system).toFixed(1)} s system` : "";
console.log(`npm test: ${seconds.toFixed(1)} s wall${cpu}, exit ${run.status}, "${summary}"`);
console.log(`target: ${TARGET_SECONDS} s on 2 CPUs: ${seconds <= TARGET_SECONDS ? "ok" : "OVER"} (load average at the end ${load()})`);
console.log(`slowest test files:\n${slowestFiles().join("\n")}`);
process.exitCode = run.status === 0 ? 0 : 1;
