import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";
import { benchReplay, curveLine, keptGeneration, parseBenchArguments } from "./bench-replay.ts";
import { generatorHash } from "./generate-raw-logs.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const work = mkdtempSync(path.join(tmpdir(), "bench-replay-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A stand-in for src/replay/index.ts: counts the lines of the input folders and alerts once for AOAI-001. */
const FAKE_REPLAY = `
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
export async function runReplay(options) {
  let events = 0;
  for (const dir of options.inputs) for (const f of readdirSync(dir)) events += readFileSync(path.join(dir, f), "utf8").trimEnd().split("\\n").length;
  const rule = { ruleId: "r1", ruleName: "Azure OpenAI key used from new network", ruleFile: "x.yaml", kind: "Scheduled", useCase: "AOAI-001", runs: 24, alerts: 1, incidents: 1 };
  if (!(options.from instanceof Date) || !(options.to instanceof Date)) throw new Error("from and to must be Dates");
  const alert = { ruleId: "r1", ruleName: rule.ruleName, ruleFile: "x.yaml", runTime: options.to.toISOString(), windowStart: options.from.toISOString(), windowEnd: options.to.toISOString(), title: "t", description: "d", severity: "Medium", tactics: [], techniques: [], entities: [], customDetails: {}, incident: 0, rows: [], rowCount: 0 };
  const jobs = options.jobs ?? 1;
  return { result: { from: options.from.toISOString(), to: options.to.toISOString(), inputs: [], rules: [rule], alerts: [alert], incidents: [], stats: { events, rows: events, runs: 24, elapsedMs: 1, peakRssBytes: 7 * 1048576, cpuMs: 4200, jobs } }, diagnostics: [] };
}
`;

function bench(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", path.join(root, "scripts/bench-replay.ts"), ...args], { cwd: root, env: { ...process.env, ...env }, timeout: 120_000 }, (error, stdout) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }),
    );
  });
}

/** Runs the benchmark in this process (its generate and replay children are still processes); its exit code and output. */
async function benchInProcess(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string }> {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  const lines: string[] = [];
  vi.spyOn(console, "log").mockImplementation((...parts: unknown[]) => void lines.push(parts.join(" ")));
  Object.assign(process.env, env);
  try {
    const code = await benchReplay(args);
    return { code, stdout: `${lines.join("\n")}\n` };
  } finally {
    vi.restoreAllMocks();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

describe("bench-replay", () => {
  it("generates each volume, hands its folders and range to runReplay, and prints the curve", async () => {
    const fake = path.join(work, "fake-replay.mjs");
    writeFileSync(fake, FAKE_REPLAY);
    const { code, stdout } = await benchInProcess(["--scales", "0.002,0.004", "--days", "1", "--jobs", "2"], { REPLAY_MODULE: fake });
    expect(stdout).toMatch(/load average [\d.]+ [\d.]+ [\d.]+, --jobs 2$/m);
    const generated = [...stdout.matchAll(/^([\d.]+)x: generated ([\d,]+) events .* events\/s, peak RSS \d+ MB$/gm)].map((m) => [m[1], Number(m[2]!.replace(/,/g, ""))]);
    expect(generated.map((g) => g[0])).toEqual(["0.002", "0.004", "0.002", "0.004"]);
    const replayed = [...stdout.matchAll(/^([\d.]+)x: replayed ([\d,]+) events/gm)].map((m) => Number(m[2]!.replace(/,/g, "")));
    // the stand-in counted exactly the generated events in the folders it was given
    expect(replayed.slice(0, 2)).toEqual(generated.slice(0, 2).map((g) => g[1]));
    // with jobs, the replay's own figures: the CPU time and summed peak of its processes
    expect(stdout).toMatch(/^0\.002x: replayed [\d,]+ events \([\d,]+ rows\), 24 runs of 1 rules \(0 skipped\) over 2 jobs in [\d.]+ s \(CPU 4\.2 s\)$/m);
    expect(stdout).toMatch(/runs\/s, peak RSS 7 MB, 1 alerts, 0 incidents, 0 errors, planted stories found: AOAI-001, time x[\d.]+ for volume x2\.00/);
    expect(code).toBe(0);
  }, 150_000);

  // the script itself as a process: its exit code
  it("fails, after measuring the generator, when the replay module cannot run", async () => {
    const { code, stdout } = await bench(["--scales", "0.002", "--days", "1"], { REPLAY_MODULE: path.join(work, "missing.mjs") });
    expect(stdout).toMatch(/^0\.002x: generated [\d,]+ events/m);
    expect(stdout).toMatch(/^0\.002x: replay failed: --replay exited with 1: bench-replay: \S*missing\.mjs is not in this checkout: the replay run is needed to measure it$/m);
    expect(code).toBe(1);
  }, 150_000);

  it.each([
    [["--quick"], { scales: [0.05, 0.1, 0.2], days: 7, seed: 1 }],
    [["--scales", "1,2", "--days", "3", "--seed", "9", "--rules", "a,b"], { scales: [1, 2], days: 3, seed: 9, rules: ["a", "b"] }],
    [["--scales", "0.25", "--jobs", "1"], { scales: [0.25], days: 7, seed: 1, jobs: 1 }],
  ])("reads %j", (argv, expected) => {
    expect(parseBenchArguments(argv)).toEqual(expected);
  });

  it("replays the logs --keep left for the same volume, seed and days, and generates any other", () => {
    const dir = path.join(work, "kept", "scale-1");
    mkdirSync(dir, { recursive: true });
    const manifest = { seed: 1, scale: 1, days: 7, generator: generatorHash(), from: "2026-11-16T00:00:00.000Z", to: "2026-11-23T00:00:00.000Z", files: [], events: 2_000_000, bytes: 9, stories: [{ useCase: "AOAI-001" }] };
    writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest));
    const keep = path.join(work, "kept");
    const kept = keptGeneration(dir, 1, { days: 7, seed: 1, keep });
    expect(kept).toMatchObject({ events: 2_000_000, from: manifest.from, to: manifest.to, stories: ["AOAI-001"], kept: true });
    expect(curveLine(1, kept!, undefined, { scale: 1 })).toBe("1x: kept 2,000,000 events (0 MB) from an earlier run");
    expect(keptGeneration(dir, 1, { days: 1, seed: 1, keep })).toBeUndefined();
    expect(keptGeneration(dir, 1, { days: 7, seed: 2, keep })).toBeUndefined();
    expect(keptGeneration(dir, 2, { days: 7, seed: 1, keep })).toBeUndefined();
    expect(keptGeneration(dir, 1, { days: 7, seed: 1 })).toBeUndefined();
    writeFileSync(path.join(dir, "manifest.json"), JSON.stringify({ ...manifest, generator: "0".repeat(64) }));
    expect(keptGeneration(dir, 1, { days: 7, seed: 1, keep })).toBeUndefined();
  });

  it.each([
    ["a truncated manifest", '{ "seed": 1, "scale": 1, "days": 7, "events": 2'],
    ["an empty manifest", ""],
    ["a manifest that is not an object", "null"],
    ["a manifest of an unversioned generator", JSON.stringify({ seed: 1, scale: 1, days: 7, from: "2026-11-16T00:00:00.000Z", to: "2026-11-17T00:00:00.000Z", files: [], events: 1, bytes: 1, stories: [] })],
  ])("treats %s as a miss", (_, text) => {
    const dir = path.join(work, "miss", "scale-1");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "manifest.json"), text);
    expect(keptGeneration(dir, 1, { days: 7, seed: 1, keep: path.join(work, "miss") })).toBeUndefined();
  });

  it("with --keep, generates into an emptied folder when the kept manifest does not match, then replays the kept logs", async () => {
    const fake = path.join(work, "fake-replay-keep.mjs");
    writeFileSync(fake, FAKE_REPLAY);
    const keep = path.join(work, "keep-stale");
    const dir = path.join(keep, "scale-0.002");
    // an earlier run of two days, with an event type this run does not write
    const stale = [path.join(dir, "azure-activity", "AzureActivity-2026-11-17.jsonl"), path.join(dir, "chatgpt-compliance", "STALE-2026-11-16.jsonl")];
    for (const file of stale) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, "{}\n{}\n{}\n");
    }
    writeFileSync(path.join(dir, "manifest.json"), JSON.stringify({ seed: 1, scale: 0.002, days: 2, generator: generatorHash() }));
    writeFileSync(path.join(keep, "notes.txt"), "not the bench's");

    const first = await benchInProcess(["--scales", "0.002", "--days", "1", "--keep", keep], { REPLAY_MODULE: fake });
    const generated = Number(/^0\.002x: generated ([\d,]+) events/m.exec(first.stdout)![1]!.replace(/,/g, ""));
    expect(stale.filter((file) => existsSync(file))).toEqual([]);
    expect(readFileSync(path.join(keep, "notes.txt"), "utf8")).toBe("not the bench's");
    expect(first.stdout).toContain(`0.002x: replayed ${generated.toLocaleString("en-US")} events`);
    expect(JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8"))).toMatchObject({ seed: 1, scale: 0.002, days: 1, generator: generatorHash(), events: generated });

    const second = await benchInProcess(["--scales", "0.002", "--days", "1", "--keep", keep], { REPLAY_MODULE: fake });
    expect(second.stdout).toContain(`0.002x: kept ${generated.toLocaleString("en-US")} events`);
    expect(second.stdout).toContain(`0.002x: replayed ${generated.toLocaleString("en-US")} events`);
    expect(first.code + second.code).toBe(0);
  }, 150_000);

  it.each([
    [["--scales", "0"], "--scales must be a comma-separated list of numbers above 0"],
    [["--bogus", "1"], "unknown option --bogus"],
    [["--days"], "--days needs a value"],
    [["--jobs", "0"], "--jobs must be a whole number of at least 1"],
  ])("rejects %j", (argv, message) => {
    expect(() => parseBenchArguments(argv)).toThrow(message);
  });
});
