import path from "node:path";
import type { Command } from "commander";
import type { Diagnostic } from "../../diagnostics/index.ts";
import { ExitError } from "../../diagnostics/errors.ts";
import { writeFileAtomic } from "../../files/write-atomic.ts";
import { formatOption, parseFormat, type Format } from "../formats.ts";
import { examples } from "../help.ts";
import { addLiveOptions, liveSettings, refuseLiveOnlyOptions, type LiveCommandOptions } from "./replay-live.ts";

/** The formats `replay --format` writes. */
const REPLAY_FORMATS: readonly Format[] = ["text", "json"];

/** Options of `sentinel-content replay`. */
interface ReplayCommandOptions extends LiveCommandOptions {
  root: string;
  from: string;
  to: string;
  rules?: string[];
  map?: string[];
  watchlist?: string[];
  ingestionDelay?: string;
  seed: string;
  rowLimit: string;
  format: string;
  output?: string;
  html?: string;
  failOnAlert?: boolean;
  jobs?: string;
}

const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$/i;

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** An ISO 8601 datetime option (a date alone is its UTC midnight; a time needs Z or an offset), else a usage error. */
export function parseInstant(option: string, value: string): Date {
  const date = ISO_DATETIME.test(value.trim()) ? new Date(value.trim()) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw new ExitError(2, `error SC5044: ${option} ${JSON.stringify(value)} is not an ISO 8601 UTC datetime such as 2026-11-16T00:00:00Z`);
  return date;
}

/** `--map FILE=SOURCE` entries as a record, else a usage error. */
export function parseMap(entries: readonly string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const entry of entries) {
    const at = entry.lastIndexOf("=");
    if (at <= 0 || at === entry.length - 1) throw new ExitError(2, `error SC5046: --map ${JSON.stringify(entry)} must be FILE=SOURCE`);
    map[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return map;
}

function whole(option: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new ExitError(2, `${option} must be a whole number ≥ ${min}, not ${JSON.stringify(value)}`);
  return n;
}

function describe(d: Diagnostic): string {
  return `${d.file}${d.line > 0 ? `:${d.line}` : ""}: ${d.severity} ${d.code}: ${d.message}`;
}

/** Registers `sentinel-content replay`: raw vendor logs through the mappings and every rule, offline, over a time range. */
export function register(program: Command): void {
  const command = program
    .command("replay")
    .description("Replay raw vendor logs through the repository's ingestion mappings and analytic rules offline (or, with --live, the rules on a workspace's or cluster's own logs), and report what would have fired")
    .argument("[inputs...]", "exported log files or folders (.jsonl, .ndjson, .json, .csv); each file's source is recognised from its content (none with --live)")
    .requiredOption("--from <datetime>", "first scheduled run time (ISO 8601 UTC)")
    .requiredOption("--to <datetime>", "last scheduled run time (ISO 8601 UTC)")
    .option("-C, --root <dir>", "repository root (rules, mappings, parsers, watchlists, profiles)", process.cwd())
    .option("--rules <rule>", "replay only this rule file, folder or id (repeatable)", collect)
    .option("--map <file=source>", "name an input file's source (a profile such as ChatGPTComplianceLogs, a table or a stream), overriding recognition (repeatable)", collect)
    .option("--watchlist <file.csv>", "watchlist CSV as Sentinel exports it; its alias is the file name (repeatable)", collect)
    .option("--ingestion-delay <spec>", "delay from event to ingestion of rows without _TimeReceived: 2m, lognormal:median=2m,p99=10m or uniform:1m..5m", "0s")
    .option("--seed <n>", "seed of the delay distribution", "1")
    .option("--row-limit <n>", "most result rows kept per alert in the JSON result", "50")
    .addOption(formatOption(REPLAY_FORMATS, "output format"))
    .option("--output <file>", "write the result to a file (written whole, only when the replay succeeds)")
    .option("--html <file>", "also write the self-contained HTML report: timelines per rule and per entity, the alerts and their rows")
    .option("--fail-on-alert", "exit 1 when any alert would have fired")
    .option("--jobs <n>", "processes the rules are spread over, each reading only its rules' tables (default 1: this process alone; more cost CPU and memory, and pay only with free cores)");
  addLiveOptions(command)
    .addHelpText(
      "after",
      `${examples([
        ["sentinel-content replay exports/ --from 2026-11-16T00:00:00Z --to 2026-11-23T00:00:00Z", "a week of exports through every rule"],
        ["sentinel-content replay chatgpt-2026-11-20.jsonl --from 2026-11-20 --to 2026-11-21 --rules analytics-rules/chatgpt-enterprise", "one day, the ChatGPT rules only"],
        ["sentinel-content replay logs/ --from 2026-11-20 --to 2026-11-21 --ingestion-delay lognormal:median=2m,p99=10m --seed 7", "with a realistic ingestion delay"],
        ["sentinel-content replay activity.csv --map activity.csv=AzureActivity --from 2026-11-20 --to 2026-11-21 --format json --output replay.json", "a portal CSV export, named explicitly, as JSON"],
        ["sentinel-content replay fixtures/ --from 2026-11-20 --to 2026-11-21 --fail-on-alert", "in CI: fail when anything fires"],
        ["sentinel-content replay exports/ --from 2026-11-16 --to 2026-11-23 --html last-week.html", "the analyst's view as one HTML file"],
        ["sentinel-content replay --live --workspace-id $WS --from 2026-11-20 --to 2026-11-21 --rules analytics-rules/azure-openai", "the same runs on a workspace's own logs"],
        ["sentinel-content replay --live --cluster https://soc.westeurope.kusto.windows.net --database Sentinel --from 2026-11-01 --to 2026-11-08", "on an ADX cluster holding the exported tables"],
      ])}\nExit codes: 0 replayed, 1 alerts fired with --fail-on-alert, 2 usage or input error (nothing written). See docs/replay.md.`,
    )
    .action(async (inputs: string[], options: ReplayCommandOptions) => {
      process.exitCode = await runReplayCommand(inputs, options);
    });
}

async function runReplayCommand(inputs: string[], options: ReplayCommandOptions): Promise<number> {
  const format = parseFormat(options.format, REPLAY_FORMATS);
  const from = parseInstant("--from", options.from);
  const to = parseInstant("--to", options.to);
  const seed = whole("--seed", options.seed, 0);
  const rowLimit = whole("--row-limit", options.rowLimit, 0);
  const jobs = options.jobs === undefined ? undefined : whole("--jobs", options.jobs, 1);
  refuseLiveOnlyOptions(options);
  if (options.live && jobs !== undefined) throw new ExitError(2, "--jobs spreads an offline replay over processes; a live replay's queries run on the service (--concurrency sets how many at once)");
  if (!options.live && inputs.length === 0) throw new ExitError(2, "error: missing required argument 'inputs' (or query a workspace or cluster with --live)");
  const { runReplay, formatReplayText } = await import("../../replay/index.ts");
  const { result, diagnostics } = options.live ? await runLive(inputs, options, from, to, rowLimit) : await runReplay({
    root: path.resolve(options.root),
    inputs,
    from,
    to,
    map: parseMap(options.map ?? []),
    ...(options.rules ? { rules: options.rules } : {}),
    ...(options.watchlist ? { watchlists: options.watchlist } : {}),
    ...(options.ingestionDelay ? { ingestionDelay: options.ingestionDelay } : {}),
    seed,
    rowLimit,
    ...(jobs === undefined ? {} : { jobs }),
  });
  for (const d of diagnostics) process.stderr.write(`${describe(d)}\n`);
  if (diagnostics.some((d) => d.severity === "error")) return 2;
  const text = format === "json" ? `${JSON.stringify(result, null, 2)}\n` : formatReplayText(result);
  if (options.html) {
    const { renderReplayHtml } = await import("../../replay/html-report.ts");
    await writeFileAtomic(options.html, renderReplayHtml(result), 0o644);
  }
  if (options.output) await writeFileAtomic(options.output, text, 0o644);
  else process.stdout.write(text);
  return options.failOnAlert && result.alerts.length > 0 ? 1 : 0;
}

async function runLive(inputs: readonly string[], options: ReplayCommandOptions, from: Date, to: Date, rowLimit: number) {
  const settings = await liveSettings(inputs, options);
  const { runLiveReplay } = await import("../../replay/live.ts");
  return runLiveReplay({ root: path.resolve(options.root), from, to, rowLimit, ...settings, ...(options.rules ? { rules: options.rules } : {}), ...(options.watchlist ? { watchlists: options.watchlist } : {}) });
}
