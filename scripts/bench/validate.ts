// `npm run bench -- validate`: KQL analysis speed over Microsoft's rule corpus (../shared/corpus/azure-sentinel/rules).
// Measures, in one run: the reference (Kusto.Language ParseAndAnalyze alone, one thread, globals built once),
// the parallel ceiling of this machine (two independent processes, each analysing half the corpus the reference
// way), and our analyser single-threaded (in a fresh process, and in this one), cold (worker threads, empty cache)
// and warm (cache filled); and the whole `validate` command of the corpus, cold, in a fresh process.
// Targets: cold wall time ≤ 0.6 × the reference's summed analysis time; warm re-run < 2 s.
// Ratios are taken within each round, then the median over `--rounds N` (default 3). `--report` prints findings by code.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { analyzeContentQueries } from "../../src/kql/content-analysis.ts";
import type { Diagnostic } from "../../src/diagnostics/index.ts";
import { corpusRules, RULES } from "./validate/corpus.ts";
import type { ChildTiming } from "./validate/reference.ts";

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
  console.log(`${label.padEnd(52)} ${seconds.toFixed(2).padStart(8)} s  ${(rules / seconds).toFixed(1).padStart(8)} rules/s${extra}`);
}

function summary(label: string, timing: Timing<unknown>, rules: number): void {
  line(label, timing.seconds, rules, `  cpu ${timing.cpuSeconds.toFixed(2)} s (${(timing.cpuSeconds / timing.seconds).toFixed(2)} cores)`);
}

/** Analyses every `parts`-th query from `part` in a fresh process (a cold JIT, as a CLI run has): the reference way or ours. */
function child(mode: "reference" | "ours" | "validate", part: number, parts: number): Promise<ChildTiming> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", REFERENCE, mode, String(part), String(parts)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(JSON.parse(out) as ChildTiming) : reject(new Error(`${mode} run exited with ${code}`))));
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

/** One round's figures, in seconds. */
interface Round {
  reference: number;
  ceiling: number;
  /** Our analyser on one thread in a fresh process. */
  single: number;
  cold: number;
  warm: number;
  findings: number[];
  singleFindings: Diagnostic[];
}

/** One round; `warmJit` when an earlier round already ran our analyser in this process (its JIT is warm). */
async function round(files: Parameters<typeof analyzeContentQueries>[0], workers: number, warmJit: boolean): Promise<Round> {
  const baseline = await child("reference", 0, 1);
  line(`reference: ParseAndAnalyze, 1 thread (sum)`, baseline.analysisSeconds, baseline.queries, `  (${baseline.tables} tables, globals built once)`);
  const halves = await Promise.all(Array.from({ length: workers }, (_, part) => child("reference", part, workers)));
  const ceiling = Math.max(...halves.map((h) => h.loopSeconds));
  line(`ceiling: ${workers} independent processes`, ceiling, baseline.queries, `  (each: ${halves.map((h) => h.loopSeconds.toFixed(2)).join(" / ")} s)`);
  const cacheRoot = mkdtempSync(path.join(tmpdir(), "kql-bench-"));
  try {
    const fresh = await child("ours", 0, 1);
    line("ours: single-threaded, fresh process", fresh.loopSeconds, fresh.queries);
    const single = await timed(() => analyzeContentQueries(files, { root: cacheRoot, cache: false, workers: 1 }));
    summary(`ours: single-threaded, this process${warmJit ? " (JIT warm)" : ""}`, single, files.length);
    const cold = await timed(() => analyzeContentQueries(files, { root: cacheRoot, cache: true, workers }));
    summary(`ours: cold, ${workers} workers, empty cache`, cold, files.length);
    const warm = await timed(() => analyzeContentQueries(files, { root: cacheRoot, cache: true, workers }));
    summary("ours: warm, unchanged content", warm, files.length);
    const command = await child("validate", 0, 1);
    line("ours: validate command, cold, fresh process", command.loopSeconds, files.length, `  cpu ${(command.cpuSeconds ?? 0).toFixed(2)} s  (YAML loading included, no cache)`);
    const findings = [single, cold, warm].map((r) => r.value.length);
    return { reference: baseline.analysisSeconds, ceiling, single: fresh.loopSeconds, cold: cold.seconds, warm: warm.seconds, findings, singleFindings: single.value };
  } finally {
    rmSync(cacheRoot, { recursive: true, force: true });
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function ratios(label: string, values: readonly number[], note: string): void {
  console.log(`${label.padEnd(34)} median ${median(values).toFixed(2)}  (rounds: ${values.map((v) => v.toFixed(2)).join(", ")})  ${note}`);
}

function roundsOption(): number {
  const at = process.argv.indexOf("--rounds");
  const value = at < 0 ? 3 : Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error("--rounds takes a positive integer");
  return value;
}

async function main(): Promise<void> {
  if (!existsSync(RULES)) {
    console.log(`validate bench skipped: ${RULES} not found (set SENTINEL_CORPUS to a copy of the corpus)`);
    return;
  }
  const rounds = roundsOption();
  const load = await timed(corpusRules);
  const files = load.value;
  const workers = Math.min(4, availableParallelism());
  console.log(`${files.length} corpus rules, ${availableParallelism()} cores, ${workers} workers, ${rounds} rounds (ratios are taken within a round, then the median)`);
  summary("load + parse YAML", load, files.length);
  const results: Round[] = [];
  for (let r = 1; r <= rounds; r++) {
    console.log(`-- round ${r}`);
    results.push(await round(files, workers, r > 1));
  }
  ratios("cold / reference", results.map((r) => r.cold / r.reference), "(target ≤ 0.60)");
  ratios("ceiling / reference", results.map((r) => r.ceiling / r.reference), `(${workers} independent processes: what splitting this work reaches on this machine)`);
  ratios("cold / ours fresh single-thread", results.map((r) => r.cold / r.single), "");
  const warm = median(results.map((r) => r.warm));
  console.log(`warm = ${warm.toFixed(2)} s (median), with YAML loading ${(warm + load.seconds).toFixed(2)} s (target < 2 s)`);
  const counts = results.flatMap((r) => r.findings);
  console.log(`findings: ${counts.join(" / ")}${new Set(counts).size === 1 ? " (identical)" : " (DIFFER: cache or worker bug)"}`);
  if (process.argv.includes("--report")) report((results[0] as Round).singleFindings);
}

await main();
