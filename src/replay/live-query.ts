// The query one live replay run sends to the service: the rule's query with the repository's parsers and the
// replay's watchlists carried along as `let` statements, and (where the service cannot set the clock) every
// now()/ago() pinned to the run's time through Kusto.Language's syntax tree.
import { clockCalls } from "../kql/clock-calls.ts";
import type { FunctionDefinition } from "../kql/index.ts";
import type { WatchlistRows } from "../testing/run/engine-port.ts";
import { scanQueryNames } from "../testing/selection/dependencies.ts";
import { functionLet, watchlistLets } from "../testing/spec/datatable.ts";
import { formatTicksAsDatetime } from "../testing/spec/values.ts";

/** The KQL literal of an instant (epoch ms). */
export function datetimeLiteral(ms: number): string {
  return `datetime(${formatTicksAsDatetime(BigInt(ms) * 10_000n)})`;
}

/** The saved functions a query reaches (directly or through each other), callees before their callers. */
export function reachedFunctions(query: string, functions: readonly FunctionDefinition[]): FunctionDefinition[] {
  const byName = new Map(functions.map((f) => [f.name, f]));
  const ordered: FunctionDefinition[] = [];
  const seen = new Set<string>();
  const visit = (fn: FunctionDefinition) => {
    if (seen.has(fn.name)) return;
    seen.add(fn.name);
    for (const name of calledNames(fn.body, byName)) visit(byName.get(name) as FunctionDefinition);
    ordered.push(fn);
  };
  for (const name of calledNames(query, byName)) visit(byName.get(name) as FunctionDefinition);
  return ordered;
}

function calledNames(body: string, byName: ReadonlyMap<string, FunctionDefinition>): string[] {
  return [...scanQueryNames(body).names].filter((name) => byName.has(name)).sort();
}

/**
 * The self-contained query of a rule on the service: the watchlists as `_GetWatchlist` over inline rows (so every
 * run sees the same items as the offline replay, whatever the workspace holds and whatever the run's time range),
 * the parsers the query reaches as `let` functions, then the rule's query.
 */
export function serviceQuery(query: string, functions: readonly FunctionDefinition[], watchlists: ReadonlyMap<string, WatchlistRows>): string {
  const reached = reachedFunctions(query, functions);
  const uses = scanQueryNames([query, ...reached.map((f) => f.body)].join("\n"));
  const used = new Map([...watchlists].filter(([alias]) => uses.watchlists.has(alias)));
  const lets = [...watchlistLets({ watchlists: used }), ...reached.map(functionLet)];
  const body = query.trim().replace(/;\s*$/, "");
  return lets.length > 0 ? `${lets.join("\n")}\n${body}` : body;
}

/**
 * The query with every `now()` and `ago(x)` call fixed to the instant `now` (epoch ms), edited at the calls'
 * tokens found by Kusto.Language: `now()` → `datetime(T)`, `now(x)` → `(datetime(T) + (x))`,
 * `ago(x)` → `(datetime(T) - (x))`. Calls nested in an argument are rewritten too.
 */
export function pinClock(query: string, now: number): string {
  return clockPinner(query)(now);
}

/** `pinClock` for one query at many instants: the query is parsed once, and each instant only fills in the literal. */
export function clockPinner(query: string): (now: number) => string {
  const edits: { start: number; end: number; text: (at: string) => string }[] = [];
  for (const call of clockCalls(query)) {
    if (call.name === "now" && !call.hasArgument) {
      edits.push({ start: call.start, end: call.end, text: (at) => at });
      continue;
    }
    const sign = call.name === "now" ? "+" : "-";
    edits.push({ start: call.start, end: call.openEnd, text: (at) => `(${at} ${sign} (` });
    edits.push({ start: call.closeStart, end: call.end, text: () => "))" });
  }
  edits.sort((a, b) => a.start - b.start);
  // the text between the edits, once: a run joins it with the edits' text for its instant
  const between = edits.map((edit, i) => query.slice(i === 0 ? 0 : (edits[i - 1] as { end: number }).end, edit.start));
  const tail = query.slice(edits.at(-1)?.end ?? 0);
  return (now) => {
    const at = datetimeLiteral(now);
    return edits.map((edit, i) => `${between[i] ?? ""}${edit.text(at)}`).join("") + tail;
  };
}
