// Replay benchmark: generates a week of raw logs of a 5,000-user organisation (scripts/generate-raw-logs.ts) at 1x,
// 2x and 4x that volume (or a small fraction with --quick), replays each through every rule with `runReplay` from
// src/replay/index.ts, and prints events/s, runs/s and peak memory per volume, plus the curve against 1x. Each
// generation and each replay runs in a process of its own, so its peak RSS (process.resourceUsage().maxRSS) is its
// own. Target at 1x: at most 5 minutes and under 2 GB on 2 cores. `npm run bench replay` runs it (scripts/bench/).
//
//   npx tsx scripts/bench-replay.ts                 # 1x, 2x, 4x
//   npx tsx scripts/bench-replay.ts --quick         # 0.05x, 0.1x, 0.2x: a check that it all runs
//   npx tsx scripts/bench-replay.ts --scales 1 --days 7 --seed 1 --rules analytics-rules/azure-openai --keep /tmp/raw
//   npx tsx scripts/bench-replay.ts --scales 0.25 --days 1 --jobs 2   # the rules over two processes (default: one)
//
// With --keep DIR the logs of each volume stay in DIR/scale-N, and a later run with the same seed and days replays
// them again instead of generating them (a week at 1x takes minutes to generate and 2.4 GB of disk). They are kept
// only while their manifest.json matches the volume, seed, days and the generator's source (its hash); otherwise
// DIR/scale-N is removed and generated afresh, so no file of another run is replayed.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { generatorHash, type GenerateManifest, type GenerateSummary } from "./generate-raw-logs.ts";
import type { ReplayOptions } from "../src/replay/index.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SELF = fileURLToPath(import.meta.url);
/** The replay run's module; REPLAY_MODULE points a test at a stand-in. */
const REPLAY_MODULE = process.env.REPLAY_MODULE ?? path.join(ROOT, "src/replay/index.ts");
/** The input folders the generator writes, one per source. */
const INPUT_FOLDERS = ["azure-activity", "azure-diagnostics", "chatgpt-compliance", "openai-audit-logs"];
const TARGET_SECONDS = 300;
const TARGET_BYTES = 2 * 1024 ** 3;
/** Longest a child may run before it is stopped (a hang must not stall the benchmark). */
const CHILD_TIMEOUT_MS = 60 * 60_000;

/** The part of src/replay/index.ts the benchmark calls (loaded from REPLAY_MODULE, so a test can stand in for it). */
type ReplayModule = Pick<typeof import("../src/replay/index.ts"), "runReplay">;

interface BenchOptions {
  scales: number[];
  days: number;
  seed: number;
  rules?: string[];
  ingestionDelay?: string;
  keep?: string;
  /** runReplay's jobs (default: its own, one process). */
  jobs?: number;
}

/** What one generation measured. */
export interface GenerationFigures {
  events: number;
  bytes: number;
  seconds: number;
  peakRssBytes: number;
  from: string;
  to: string;
  stories: string[];
  /** True when the logs were kept by an earlier run (--keep), not generated now. */
  kept?: boolean;
}

/** What one replay measured. */
export interface ReplayFigures {
  events: number;
  rows: number;
  runs: number;
  alerts: number;
  incidents: number;
  rulesRun: number;
  rulesSkipped: number;
  errors: number;
  seconds: number;
  /** CPU time of the replay (user and system, all threads): on a shared machine, the figure that load does not inflate. */
  cpuSeconds: number;
  peakRssBytes: number;
  /** Use cases of the planted stories that raised at least one alert. */
  storiesFound: string[];
  /** How many processes replayed the rules. */
  jobs: number;
}

/** Parses the benchmark's options. */
export function parseBenchArguments(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = { scales: [1, 2, 4], days: 7, seed: 1 };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i]!;
    if (name === "--quick") {
      options.scales = [0.05, 0.1, 0.2];
      continue;
    }
    const value = argv[++i];
    if (value === undefined) throw new Error(`${name} needs a value`);
    if (name === "--scales") options.scales = value.split(",").map(Number);
    else if (name === "--days") options.days = Number(value);
    else if (name === "--seed") options.seed = Number(value);
    else if (name === "--rules") options.rules = value.split(",");
    else if (name === "--ingestion-delay") options.ingestionDelay = value;
    else if (name === "--keep") options.keep = value;
    else if (name === "--jobs") options.jobs = Number(value);
    else throw new Error(`unknown option ${name} (options: --quick, --scales, --days, --seed, --rules, --ingestion-delay, --keep, --jobs)`);
  }
  if (options.scales.length === 0 || options.scales.some((s) => !(s > 0))) throw new Error("--scales must be a comma-separated list of numbers above 0");
  if (options.jobs !== undefined && !(Number.isInteger(options.jobs) && options.jobs >= 1)) throw new Error("--jobs must be a whole number of at least 1");
  return options;
}

/** Runs this script as a child in one mode and returns the JSON figures it prints last. */
function child<T>(args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const run = spawn(process.execPath, ["--import", "tsx", SELF, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"], timeout: CHILD_TIMEOUT_MS });
    let out = "";
    run.stdout.setEncoding("utf8");
    run.stdout.on("data", (chunk: string) => {
      out = (out + chunk).slice(-1_000_000);
    });
    run.on("error", reject);
    run.on("close", (code, signal) => {
      const last = out.trimEnd().split("\n").pop() ?? "";
      if (code !== 0) {
        reject(new Error(`${args[0]} ${signal ? `stopped by ${signal}` : `exited with ${code}`}${last ? `: ${last}` : ""}`));
        return;
      }
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`${args[0]} printed no figures (last line: ${last.slice(0, 200)})`));
      }
    });
  });
}

/** Child mode: generate one volume and print its figures. */
async function generateChild(out: string, scale: number, days: number, seed: number): Promise<void> {
  const { generateRawLogs } = await import("./generate-raw-logs.ts");
  const started = performance.now();
  const summary = await generateRawLogs({ out, scale, days, seed });
  console.log(JSON.stringify(figuresOf(summary, (performance.now() - started) / 1000, process.resourceUsage().maxRSS * 1024)));
}

/** A generation's figures from what the generator wrote (its summary, or the manifest of kept logs). */
function figuresOf(summary: GenerateSummary, seconds: number, peakRssBytes: number): GenerationFigures {
  return { events: summary.events, bytes: summary.bytes, seconds, peakRssBytes, from: summary.from, to: summary.to, stories: summary.stories.map((s) => s.useCase) };
}

/** Child mode: replay one generated folder and print its figures. */
async function replayChild(dir: string, options: { rules?: string[]; ingestionDelay?: string; seed: number; jobs?: number }): Promise<void> {
  const manifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8")) as GenerateSummary;
  if (!existsSync(REPLAY_MODULE)) throw new Error(`${path.relative(ROOT, REPLAY_MODULE)} is not in this checkout: the replay run is needed to measure it`);
  const { runReplay } = (await import(pathToFileURL(REPLAY_MODULE).href)) as ReplayModule;
  if (typeof runReplay !== "function") throw new Error(`${REPLAY_MODULE} does not export runReplay`);
  const replayOptions: ReplayOptions = { root: ROOT, inputs: INPUT_FOLDERS.map((f) => path.join(dir, f)), from: new Date(manifest.from), to: new Date(manifest.to), seed: options.seed };
  if (options.rules) replayOptions.rules = options.rules;
  if (options.ingestionDelay) replayOptions.ingestionDelay = options.ingestionDelay;
  if (options.jobs !== undefined) replayOptions.jobs = options.jobs;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const { result, diagnostics } = await runReplay(replayOptions);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const useCases = new Map(result.rules.map((r) => [r.ruleId, r.useCase]));
  const alerted = new Set(result.alerts.map((a) => useCases.get(a.ruleId)));
  const jobs = result.stats.jobs ?? 1;
  const figures: ReplayFigures = {
    events: result.stats.events,
    rows: result.stats.rows,
    runs: result.stats.runs,
    alerts: result.alerts.length,
    incidents: result.incidents.length,
    rulesRun: result.rules.filter((r) => r.skipped === undefined).length,
    rulesSkipped: result.rules.filter((r) => r.skipped !== undefined).length,
    errors: diagnostics.filter((d) => d.severity === "error").length,
    seconds,
    // with jobs, the replay's own figures: every process's CPU time, and their peaks summed
    cpuSeconds: jobs > 1 && result.stats.cpuMs !== undefined ? result.stats.cpuMs / 1000 : (cpu.user + cpu.system) / 1e6,
    peakRssBytes: jobs > 1 ? result.stats.peakRssBytes : process.resourceUsage().maxRSS * 1024,
    storiesFound: manifest.stories.map((s) => s.useCase).filter((u) => alerted.has(u)),
    jobs,
  };
  console.log(JSON.stringify(figures));
}

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;
const rate = (n: number, seconds: number) => (seconds > 0 ? Math.round(n / seconds).toLocaleString("en-US") : "-");
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");

/** One line of the curve: a volume's figures and how they grew against the first volume. */
export function curveLine(scale: number, gen: GenerationFigures, replay: ReplayFigures | undefined, base: { scale: number; replay?: ReplayFigures }): string {
  const generated = gen.kept
    ? `${scale}x: kept ${gen.events.toLocaleString("en-US")} events (${mb(gen.bytes)}) from an earlier run`
    : `${scale}x: generated ${gen.events.toLocaleString("en-US")} events (${mb(gen.bytes)}) in ${gen.seconds.toFixed(1)} s = ${rate(gen.events, gen.seconds)} events/s, peak RSS ${mb(gen.peakRssBytes)}`;
  if (!replay) return generated;
  const growth = base.replay && base.replay.seconds > 0 ? `, time x${(replay.seconds / base.replay.seconds).toFixed(2)} for volume x${(scale / base.scale).toFixed(2)}` : "";
  const verdict = scale === 1 ? `  [target 1x: ${replay.seconds <= TARGET_SECONDS ? "time ok" : "TIME OVER 300 s"}, ${replay.peakRssBytes < TARGET_BYTES ? "memory ok" : "MEMORY OVER 2 GB"}]` : "";
  return [
    generated,
    `${scale}x: replayed ${replay.events.toLocaleString("en-US")} events (${replay.rows.toLocaleString("en-US")} rows), ${replay.runs} runs of ${replay.rulesRun} rules (${replay.rulesSkipped} skipped) over ${replay.jobs} job${replay.jobs === 1 ? "" : "s"} in ${replay.seconds.toFixed(1)} s (CPU ${replay.cpuSeconds.toFixed(1)} s)`,
    `      ${rate(replay.events, replay.seconds)} events/s, ${rate(replay.runs, replay.seconds)} runs/s, peak RSS ${mb(replay.peakRssBytes)}, ${replay.alerts} alerts, ${replay.incidents} incidents, ${replay.errors} errors, planted stories found: ${replay.storiesFound.join(", ") || "none"}${growth}${verdict}`,
  ].join("\n");
}

/** The manifest in `file`, or undefined when it is not a JSON object (a truncated or foreign file). */
function readManifest(file: string): GenerateManifest | undefined {
  try {
    const manifest: unknown = JSON.parse(readFileSync(file, "utf8"));
    return typeof manifest === "object" && manifest !== null ? (manifest as GenerateManifest) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The figures of logs an earlier run kept in `dir` for this volume, seed, days and generator (its manifest.json), or
 * undefined: a missing, unreadable or other run's manifest is a miss.
 */
export function keptGeneration(dir: string, scale: number, options: Pick<BenchOptions, "days" | "seed" | "keep">): GenerationFigures | undefined {
  const file = path.join(dir, "manifest.json");
  if (!options.keep || !existsSync(file)) return undefined;
  const manifest = readManifest(file);
  if (manifest?.seed !== options.seed || manifest.scale !== scale || manifest.days !== options.days || manifest.generator !== generatorHash()) return undefined;
  console.log(`${scale}x: replaying the logs kept in ${dir}`);
  return { ...figuresOf(manifest, 0, 0), kept: true };
}

/** Generates one volume into `dir` in a child; a kept folder that did not match is emptied first, so only this run's files are in it. */
function generate(dir: string, scale: number, options: BenchOptions): Promise<GenerationFigures> {
  if (options.keep) rmSync(dir, { recursive: true, force: true });
  return child<GenerationFigures>(["--generate", dir, String(scale), String(options.days), String(options.seed)]);
}

/** Runs the benchmark over every volume and prints the curve. */
export async function benchReplay(argv: readonly string[]): Promise<number> {
  const options = parseBenchArguments(argv);
  console.log(`node ${process.version}, ${os.availableParallelism()} CPUs, ${mb(os.totalmem())} memory, load average ${load()}, --jobs ${options.jobs ?? "default (1)"}`);
  let failures = 0;
  let base: { scale: number; replay?: ReplayFigures } | undefined;
  const lines: string[] = [];
  for (const scale of options.scales) {
    const dir = options.keep ? path.join(options.keep, `scale-${scale}`) : mkdtempSync(path.join(os.tmpdir(), `bench-replay-${scale}x-`));
    try {
      const gen = keptGeneration(dir, scale, options) ?? (await generate(dir, scale, options));
      let replay: ReplayFigures | undefined;
      try {
        const replayArgs = ["--replay", dir, String(options.seed), options.rules?.join(",") ?? "", options.ingestionDelay ?? "", options.jobs === undefined ? "" : String(options.jobs)];
        replay = await child<ReplayFigures>(replayArgs);
      } catch (error) {
        failures++;
        console.log(`${scale}x: replay failed: ${(error as Error).message}`);
      }
      base ??= { scale, replay };
      const line = curveLine(scale, gen, replay, base);
      lines.push(line);
      console.log(`${line}\n      (load average ${load()})`);
    } finally {
      if (!options.keep) rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(`\ncurve (seed ${options.seed}, ${options.days} days):\n${lines.join("\n")}\nload average at the end ${load()}`);
  return failures > 0 ? 1 : 0;
}

async function main(argv: readonly string[]): Promise<void> {
  const [mode, ...rest] = argv;
  try {
    if (mode === "--generate") {
      const [dir, scale, days, seed] = rest;
      await generateChild(dir!, Number(scale), Number(days), Number(seed));
    } else if (mode === "--replay") {
      const [dir, seed, rules, delay, jobs] = rest;
      await replayChild(dir!, { seed: Number(seed), ...(rules ? { rules: rules.split(",") } : {}), ...(delay ? { ingestionDelay: delay } : {}), ...(jobs ? { jobs: Number(jobs) } : {}) });
    } else {
      process.exitCode = await benchReplay(argv);
    }
  } catch (error) {
    // a child's message becomes the last line its parent reports
    console.log(`bench-replay: ${(error as Error).message}`);
    process.exitCode = mode === "--generate" || mode === "--replay" ? 1 : 2;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(process.argv.slice(2));
