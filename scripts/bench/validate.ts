// `npm run bench -- validate`: KQL analysis speed over Microsoft's rule corpus (../shared/corpus/azure-sentinel/rules).
// Measures, in one run: the reference (Kusto.Language ParseAndAnalyze alone, one thread, globals built once),
// the parallel ceiling of this machine (two independent processes, each analysing half the corpus the reference
// way), and our analyser single-threaded (no cache), cold (worker threads, empty cache) and warm (cache filled).
// Targets (issue 3): cold wall time ≤ 0.6 × the reference's summed analysis time; warm re-run < 2 s.
// `--report` prints findings by code.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { analyzeContentQueries } from "../../src/checks/kql-content.ts";
import type { Diagnostic } from "../../src/diagnostics/index.ts";
import { corpusRules, RULES } from "./validate/corpus.ts";
import type { ReferenceTiming } from "./validate/reference.ts";

const REFERENCE = path.join(path.dirname(fileURLToPath(import.meta.url)), "validate", "reference.ts");

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

function line(label: string, seconds: number, rules: number, extra = ""): void {
  console.log(`${label.padEnd(44)} ${seconds.toFixed(2).padStart(8)} s  ${(rules / seconds).toFixed(1).padStart(8)} rules/s${extra}`);
}

function summary(label: string, timing: Timing<unknown>, rules: number): void {
  line(label, timing.seconds, rules, `  cpu ${timing.cpuSeconds.toFixed(2)} s (${(timing.cpuSeconds / timing.seconds).toFixed(2)} cores)`);
}

/** Runs the reference analysis of every `parts`-th query from `part` in a fresh process (a cold JIT, as a CLI run has). */
function reference(part: number, parts: number): Promise<ReferenceTiming> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", REFERENCE, String(part), String(parts)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(JSON.parse(out) as ReferenceTiming) : reject(new Error(`reference run exited with ${code}`))));
  });
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
  const load = await timed(async () => corpusRules());
  const files = load.value;
  const workers = Math.min(4, availableParallelism());
  console.log(`${files.length} corpus rules, ${availableParallelism()} cores, ${workers} workers`);
  summary("load + parse YAML", load, files.length);

  const baseline = await reference(0, 1);
  line(`reference: ParseAndAnalyze, 1 thread (sum)`, baseline.analysisSeconds, baseline.queries, `  (${baseline.tables} tables, globals built once)`);
  const halves = await Promise.all(Array.from({ length: workers }, (_, part) => reference(part, workers)));
  const ceiling = Math.max(...halves.map((h) => h.loopSeconds));
  line(`ceiling: ${workers} independent processes`, ceiling, baseline.queries, `  (each: ${halves.map((h) => h.loopSeconds.toFixed(2)).join(" / ")} s)`);

  const cacheRoot = mkdtempSync(path.join(tmpdir(), "kql-bench-"));
  try {
    const single = await timed(() => analyzeContentQueries(files, { root: cacheRoot, cache: false, workers: 1 }));
    summary("ours: single-threaded, no cache", single, files.length);
    const cold = await timed(() => analyzeContentQueries(files, { root: cacheRoot, cache: true, workers }));
    summary(`ours: cold, ${workers} workers, empty cache`, cold, files.length);
    const warm = await timed(() => analyzeContentQueries(files, { root: cacheRoot, cache: true, workers }));
    summary("ours: warm, unchanged content", warm, files.length);
    console.log(`cold / reference = ${(cold.seconds / baseline.analysisSeconds).toFixed(2)} (target ≤ 0.60)`);
    console.log(`ceiling / reference = ${(ceiling / baseline.analysisSeconds).toFixed(2)} (the best any ${workers}-way split of this work reaches on this machine)`);
    console.log(`cold / ours single-threaded = ${(cold.seconds / single.seconds).toFixed(2)}`);
    console.log(`warm = ${warm.seconds.toFixed(2)} s, with YAML loading ${(warm.seconds + load.seconds).toFixed(2)} s (target < 2 s)`);
    const counts = [single, cold, warm].map((r) => r.value.length);
    console.log(`findings: ${counts.join(" / ")}${new Set(counts).size === 1 ? " (identical)" : " (DIFFER: cache or worker bug)"}`);
    if (process.argv.includes("--report")) report(single.value);
  } finally {
    rmSync(cacheRoot, { recursive: true, force: true });
  }
}

await main();
