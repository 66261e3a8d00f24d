import type { Command } from "commander";
import type { DiagnosticCode } from "../../diagnostics/index.ts";
import { ExitError } from "../../diagnostics/errors.ts";
import type { LiveBackend } from "../../replay/live-backends.ts";
import { DEFAULT_LIVE_CONCURRENCY, DEFAULT_LIVE_TIMEOUT_SECONDS, DEFAULT_MAX_LIVE_QUERIES } from "../../replay/live-defaults.ts";

/** The options of `replay --live` (with the offline options it refuses). */
export interface LiveCommandOptions {
  live?: boolean;
  workspaceId?: string;
  cluster?: string;
  database?: string;
  concurrency: string;
  maxQueries: string;
  timeout: string;
  map?: string[];
  ingestionDelay?: string;
  seed: string;
}

/** Registers the `--live` options on `replay`. */
export function addLiveOptions(command: Command): Command {
  return command
    .option("--live", "run each scheduled run's query on a Log Analytics workspace or an Azure Data Explorer cluster, over the logs already there (no input files)")
    .option("--workspace-id <id>", "with --live: the Log Analytics workspace id (default: $SENTINEL_WORKSPACE_ID)")
    .option("--cluster <url>", "with --live: the Azure Data Explorer cluster, https://<cluster>.<region>.kusto.windows.net")
    .option("--database <db>", "with --live --cluster: the database holding the tables")
    .option("--concurrency <n>", "with --live: queries in flight at once (1-16)", String(DEFAULT_LIVE_CONCURRENCY))
    .option("--max-queries <n>", "with --live: refuse a replay needing more queries than this", String(DEFAULT_MAX_LIVE_QUERIES))
    .option("--timeout <seconds>", "with --live: the service's time limit for one query (1-600)", String(DEFAULT_LIVE_TIMEOUT_SECONDS));
}

/** The code of every --live usage error. */
const LIVE_USAGE: DiagnosticCode = "SC5072";

function usage(message: string): ExitError {
  return new ExitError(2, `error ${LIVE_USAGE}: ${message}`);
}

function bounded(option: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw usage(`${option} must be a whole number from ${min} to ${max}, not ${JSON.stringify(value)}`);
  return n;
}

/** The cluster's URI from --cluster (https, no path), else a usage error. */
function clusterUrlOf(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw usage(`--cluster ${JSON.stringify(value)} is not a URL such as https://mycluster.westeurope.kusto.windows.net`);
  }
  if (url.protocol !== "https:" || (url.pathname !== "/" && url.pathname !== "") || url.search || url.hash) throw usage(`--cluster ${value} must be the cluster's https URI alone, such as https://mycluster.westeurope.kusto.windows.net`);
  return url.origin;
}

/** Options that only mean something offline (inputs, --map, the ingestion delay and its seed), refused with --live. */
function refuseOfflineOptions(inputs: readonly string[], options: LiveCommandOptions): void {
  if (inputs.length > 0) throw usage(`--live queries the logs already in the workspace or cluster and takes no input files (got ${inputs.join(", ")})`);
  if (options.map && options.map.length > 0) throw usage("--map names the source of an input file; --live takes none");
  if ((options.ingestionDelay ?? "0s") !== "0s" || options.seed !== "1") throw usage("--ingestion-delay and --seed draw ingestion times of input rows; with --live the service's own ingestion times count");
}

/** Refuses the --live target options without --live. */
export function refuseLiveOnlyOptions(options: LiveCommandOptions): void {
  if (!options.live && (options.workspaceId !== undefined || options.cluster !== undefined || options.database !== undefined)) throw usage("--workspace-id, --cluster and --database need --live");
}

/** The live run's settings from the command line: its backend (with the project's credential) and its bounds. */
export async function liveSettings(inputs: readonly string[], options: LiveCommandOptions): Promise<{ backend: LiveBackend; concurrency: number; maxQueries: number }> {
  refuseOfflineOptions(inputs, options);
  const concurrency = bounded("--concurrency", options.concurrency, 1, 16);
  const maxQueries = bounded("--max-queries", options.maxQueries, 1, 1_000_000);
  const timeoutSeconds = bounded("--timeout", options.timeout, 1, 600);
  const workspaceId = options.cluster === undefined ? (options.workspaceId ?? process.env["SENTINEL_WORKSPACE_ID"]) : options.workspaceId;
  if (workspaceId !== undefined && options.cluster !== undefined) throw usage("give one target: --workspace-id or --cluster, not both");
  if (options.cluster !== undefined && !options.database) throw usage("--cluster needs --database <db>");
  if (options.database !== undefined && options.cluster === undefined) throw usage("--database goes with --cluster");
  if (workspaceId === undefined && options.cluster === undefined) throw usage("--live needs --workspace-id <id> (or $SENTINEL_WORKSPACE_ID), or --cluster <url> --database <db>");
  const clusterUrl = options.cluster === undefined ? undefined : clusterUrlOf(options.cluster);
  const { createCredential } = await import("../../deploy/credential.ts");
  const { clusterBackend, workspaceBackend } = await import("../../replay/live-backends.ts");
  const credential = createCredential();
  const backend =
    clusterUrl !== undefined
      ? clusterBackend({ clusterUrl, database: options.database as string, credential, timeoutSeconds })
      : workspaceBackend({ workspaceId: workspaceId as string, credential, timeoutSeconds });
  return { backend, concurrency, maxQueries };
}
