// What every replay shares, offline or live, before its rules run: the --from/--to check, the empty result of a
// replay that stopped, the watchlists the queries see, and the default row limit. Kept apart from the offline
// replay (index.ts), which the live replay does not load.
import { existsSync } from "node:fs";
import path from "node:path";
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.ts";
import { watchlistRows } from "../testing/spec/case-data.ts";
import type { WatchlistRows } from "../testing/run/engine-port.ts";
import type { Workspace } from "../testing/spec/workspace.ts";
import { inputProblem, readInputRecords, shownPath } from "./inputs.ts";
import type { ReplayResult } from "./result.ts";

/** Default of a replay's rowLimit, offline and live. */
export const DEFAULT_ROW_LIMIT = 50;

/** The result of a replay that stopped before running anything. */
export function emptyResult(options: { from: Date; to: Date }): ReplayResult {
  const time = (d: Date) => (Number.isNaN(d.getTime()) ? "" : d.toISOString());
  return { from: time(options.from), to: time(options.to), inputs: [], rules: [], alerts: [], incidents: [], stats: { events: 0, rows: 0, runs: 0, elapsedMs: 0, peakRssBytes: 0 } };
}

/** The finding of an invalid --from/--to range, if any. */
export function checkRange(from: Date, to: Date): Diagnostic | undefined {
  const at = { file: "--from/--to" };
  if (Number.isNaN(from.getTime())) return makeDiagnostic("SC5044", at, "--from is not a valid datetime");
  if (Number.isNaN(to.getTime())) return makeDiagnostic("SC5044", at, "--to is not a valid datetime");
  if (to.getTime() < from.getTime()) return makeDiagnostic("SC5044", at, `--to ${to.toISOString()} is before --from ${from.toISOString()}`);
  return undefined;
}

/** The watchlists queries see: the repository's, with each given CSV file replacing the one of its alias (extra columns kept). */
export async function loadWatchlists(workspace: Workspace, files: readonly string[]): Promise<Map<string, WatchlistRows>> {
  const watchlists = new Map<string, WatchlistRows>();
  for (const declared of workspace.watchlists.values()) {
    watchlists.set(declared.alias.toLowerCase(), watchlistRows(declared.alias, declared.columns, declared.items, declared.searchKey));
  }
  for (const file of files) {
    const shown = shownPath(file);
    if (path.extname(file).toLowerCase() !== ".csv") throw inputProblem("SC5051", shown, `watchlist ${shown} must be a .csv file as Sentinel exports it`);
    if (!existsSync(file)) throw inputProblem("SC5051", shown, `watchlist ${shown} does not exist`);
    const stem = path.basename(file, path.extname(file));
    const declared = [...workspace.watchlists.values()].find((w) => w.alias.toLowerCase() === stem.toLowerCase());
    const rows: Record<string, unknown>[] = [];
    for await (const record of readInputRecords(file, shown)) rows.push(record.values);
    const alias = declared?.alias ?? stem;
    watchlists.set(alias.toLowerCase(), watchlistRows(alias, declared?.columns ?? [], rows, declared?.searchKey));
  }
  return watchlists;
}
