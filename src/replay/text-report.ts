import type { ReplayCell, ReplayResult } from "./result.ts";

function cellText(value: ReplayCell): string {
  return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}

function table(header: readonly string[], rows: readonly string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** The replay result as text: the inputs, a table of alerts (rule, run time, severity, entities, title), skipped rules and the figures. */
export function formatReplayText(result: ReplayResult): string {
  const parts: string[] = [`Replay ${result.from} → ${result.to}`];
  if (result.live) parts.push(`Live on ${result.live.target}: ${result.live.queries} queries sent, ${result.live.failedQueries} failed`);
  else parts.push(
    table(
      ["input", "source", "table", "by", "events", "rows"],
      result.inputs.map((i) => [i.file, i.source, i.table, i.recognisedBy, String(i.events), String(i.rows)]),
    ),
  );
  if (result.alerts.length === 0) parts.push("No alerts.");
  else {
    const rows = result.alerts.map((a) => [
      a.ruleName,
      a.runTime.replace(".000Z", "Z"),
      a.severity,
      a.entities.map((e) => `${e.type}:${Object.values(e.identifiers).map(cellText).join("/")}`).join(", "),
      a.title,
    ]);
    parts.push(table(["rule", "run time", "severity", "entities", "title"], rows));
  }
  const skipped = result.rules.filter((r) => r.skipped);
  if (skipped.length > 0) parts.push(["Skipped rules:", ...skipped.map((r) => `  ${r.ruleFile}: ${r.skipped ?? ""}`)].join("\n"));
  const failed = result.rules.filter((r) => r.failed);
  if (failed.length > 0) parts.push(["Rules whose queries failed:", ...failed.map((r) => `  ${r.ruleFile}: ${r.failed ?? ""}`)].join("\n"));
  const ran = result.rules.length - skipped.length;
  const { stats } = result;
  const seconds = Math.max(stats.elapsedMs, 1) / 1000;
  parts.push(
    `${result.alerts.length} alert${result.alerts.length === 1 ? "" : "s"}, ${result.incidents.length} incident${result.incidents.length === 1 ? "" : "s"} from ${ran} rule${ran === 1 ? "" : "s"} ` +
      `(${stats.runs} runs over ${stats.events} events, ${stats.rows} rows; ${seconds.toFixed(1)} s: ${Math.round(stats.events / seconds)} events/s, ` +
      `${(stats.runs / seconds).toFixed(1)} runs/s; ${stats.cpuMs === undefined ? "" : `${(stats.cpuMs / 1000).toFixed(1)} s CPU, `}peak ${Math.round(stats.peakRssBytes / 1024 / 1024)} MB` +
      `${(stats.jobs ?? 1) > 1 ? ` over ${stats.jobs ?? 1} jobs` : ""})`,
  );
  return `${parts.join("\n\n")}\n`;
}
