// `npm run bench -- validate`: KQL analysis speed over Microsoft's rule corpus (../shared/corpus/azure-sentinel/rules):
// single-threaded (no cache), cold with worker threads (empty cache), and warm (unchanged content, cache filled).
// Targets (issue 3): cold wall time ≤ 0.6 × single-threaded time; warm re-run < 2 s. `--report` prints findings by code.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { analyzeContentQueries } from "../../src/checks/kql-content.ts";
import type { Diagnostic } from "../../src/diagnostics/index.ts";
import { loadFile, type LoadedFile } from "../../src/load/index.ts";

const CORPUS = path.resolve(process.env["SENTINEL_CORPUS"] ?? "/work/shared/corpus/azure-sentinel");
const RULES = path.join(CORPUS, "rules");

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) return yamlFiles(full);
      return /\.ya?ml$/i.test(name) ? [full] : [];
    });
}

interface Timing<T> {
  value: T;
  seconds: number;
  /** CPU seconds of the whole process (all threads), to tell contention on a shared machine from our own cost. */
  cpuSeconds: number;
}

async function timed<T>(run: () => Promise<T>): Promise<Timing<T>> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await run();
  const used = process.cpuUsage(cpu);
  return { value, seconds: (performance.now() - start) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
}

function summary(label: string, timing: { seconds: number; cpuSeconds?: number }, rules: number): void {
  const cpu = timing.cpuSeconds === undefined ? "" : `  cpu ${timing.cpuSeconds.toFixed(2)} s (${(timing.cpuSeconds / timing.seconds).toFixed(2)} cores)`;
  console.log(`${label.padEnd(34)} ${timing.seconds.toFixed(2).padStart(8)} s  ${(rules / timing.seconds).toFixed(1).padStart(8)} rules/s${cpu}`);
}

function report(diagnostics: readonly Diagnostic[]): void {
  const byCode = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) byCode.set(d.code, [...(byCode.get(d.code) ?? []), d]);
  for (const [code, list] of [...byCode].sort()) {
    console.log(`\n${code} (${list.length})`);
    for (const d of list) console.log(`  ${d.file}:${d.line}:${d.col} ${d.severity} ${d.message}`);
  }
}

async function main(): Promise<void> {
  if (!existsSync(RULES)) {
    console.log(`validate bench skipped: ${RULES} not found (set SENTINEL_CORPUS to a copy of the corpus)`);
    return;
  }
  const load = await timed(async () => yamlFiles(RULES).flatMap((f): LoadedFile[] => {
    const file = loadFile(f, CORPUS, { kind: "analytic-rule" }).file;
    return file ? [file] : [];
  }));
  const files = load.value;
  const loadSeconds = load.seconds;
  const workers = Math.min(4, availableParallelism());
  console.log(`${files.length} corpus rules, ${availableParallelism()} cores, ${workers} workers`);
  summary("load + parse YAML", load, files.length);

  const cacheRoot = mkdtempSync(path.join(tmpdir(), "kql-bench-"));
  try {
    const single = await timed(() => analyzeContentQueries(files, { root: cacheRoot, cache: false, workers: 1 }));
    summary("single-threaded, no cache", single, files.length);
    const cold = await timed(() => analyzeContentQueries(files, { root: cacheRoot, cache: true, workers }));
    summary(`cold, ${workers} workers, empty cache`, cold, files.length);
    const warm = await timed(() => analyzeContentQueries(files, { root: cacheRoot, cache: true, workers }));
    summary("warm, unchanged content", warm, files.length);
    console.log(`cold / single-threaded = ${(cold.seconds / single.seconds).toFixed(2)} (target ≤ 0.60)`);
    console.log(`cores actually granted: single ${(single.cpuSeconds / single.seconds).toFixed(2)}, cold ${(cold.cpuSeconds / cold.seconds).toFixed(2)} (a ratio near 1 means the machine is saturated by other work)`);
    console.log(`warm = ${warm.seconds.toFixed(2)} s, with YAML loading ${(warm.seconds + loadSeconds).toFixed(2)} s (target < 2 s)`);
    const counts = [single, cold, warm].map((r) => r.value.length);
    console.log(`findings: ${counts.join(" / ")}${new Set(counts).size === 1 ? " (identical)" : " (DIFFER: cache or worker bug)"}`);
    if (process.argv.includes("--report")) report(single.value);
  } finally {
    rmSync(cacheRoot, { recursive: true, force: true });
  }
}

await main();
