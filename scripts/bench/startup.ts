// Start-up benchmark: wall time of `sentinel-content --help` and of `query` on `print x=1`, run as fresh
// processes, from the TypeScript sources (tsx, as in a checkout), from the compiled dist/ (as installed; run
// `npm run build` first) and from dist/ with a warm-start snapshot (docs/warm-start.md; built into a temporary
// folder first). Prints the median and the fastest of several runs; run it on a quiet machine.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { mkdtempSync, rmSync } from "node:fs";
import { buildWarmStart, installedInputs, warmStartArgs } from "../../src/cli/warm-start.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const RUNS = 5;
const DIST_MAIN = path.join(ROOT, "dist/cli/main.js");

/** Node arguments that run the CLI with `args` from the sources or from dist/. */
function entry(from: "sources" | "dist", args: string[]): string[] {
  if (from === "sources") return [path.join(ROOT, "bin/sentinel-content.js"), ...args];
  const script = `const { main } = await import(${JSON.stringify(DIST_MAIN)}); process.exitCode = await main(["node", "sentinel-content", ...process.argv.slice(1)]);`;
  return ["--input-type=module", "-e", script, ...args];
}

function measure(title: string, args: string[], input?: string): void {
  const seconds: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const run = spawnSync(process.execPath, args, { input, encoding: "utf8", cwd: ROOT });
    seconds.push((performance.now() - started) / 1000);
    if (run.status !== 0) throw new Error(`${title} failed: ${run.stderr}`);
  }
  seconds.sort((a, b) => a - b);
  console.log(`${title.padEnd(44)} median ${seconds[Math.floor(RUNS / 2)]?.toFixed(2)} s, fastest ${seconds[0]?.toFixed(2)} s`);
}

console.log(`node ${process.version}, ${os.availableParallelism()} CPUs, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
for (const from of ["sources", "dist"] as const) {
  if (from === "dist" && !existsSync(DIST_MAIN)) {
    console.log("dist/ not built: run `npm run build` for the installed figures");
    continue;
  }
  measure(`--help (${from})`, entry(from, ["--help"]));
  measure(`query 'print x=1' (${from})`, entry(from, ["query"]), "print x=1\n");
}
if (existsSync(DIST_MAIN)) {
  const cache = mkdtempSync(path.join(os.tmpdir(), "bench-warm-start-"));
  try {
    const inputs = { ...installedInputs(), entry: path.join(ROOT, "bin/warm-start-entry.cjs"), cliMain: DIST_MAIN };
    const started = performance.now();
    const built = buildWarmStart(inputs, cache);
    if (!built.ok) throw new Error(built.message);
    console.log(`${"warm-start snapshot built".padEnd(44)} ${((performance.now() - started) / 1000).toFixed(2)} s, ${(built.bytes / 1024 / 1024).toFixed(1)} MB`);
    measure("query 'print x=1' (dist, warm start)", warmStartArgs(inputs, ["query"], cache) ?? [], "print x=1\n");
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}
