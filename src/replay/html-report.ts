// The self-contained HTML report of a replay: a summary, a timeline per rule and per entity, and the alert table
// with the rows behind each alert. One file with inline CSS and JS (no network, no fonts); the data sits in a JSON
// script element and the page's script draws the charts and the table from it with DOM calls (text nodes only), so
// attacker-controlled text in the rows is never parsed as markup. The same result always gives the same bytes.
import { createHash } from "node:crypto";
import type { ReplayAlert, ReplayCell, ReplayEntity, ReplayResult } from "./result.ts";

/** Limits that keep the file bounded however large the result. */
export interface ReplayHtmlOptions {
  /** The page title (default "Replay report"). */
  title?: string;
  /** Most lanes drawn per timeline; the busiest lanes are kept (default 40). */
  maxLanes?: number;
  /** Most marks drawn per timeline, after alerts in the same lane and time column are merged (default 4,000). */
  maxMarks?: number;
  /** Most alerts listed in the table, in result order (default 1,000). */
  maxTableAlerts?: number;
  /** Most rows shown behind one alert (default 50). */
  maxRowsPerAlert?: number;
  /** Longest text shown for one value; longer values are cut with a note (default 2,000 characters). */
  maxCellChars?: number;
  /** Most characters of row values shown in the whole table; later alerts then show their rows' count only (default 4,000,000). */
  maxRowChars?: number;
}

const DEFAULTS = { title: "Replay report", maxLanes: 40, maxMarks: 4000, maxTableAlerts: 1000, maxRowsPerAlert: 50, maxCellChars: 2000, maxRowChars: 4_000_000 };

/** Width of the plotting area of a timeline, in SVG units; marks are merged per unit column. */
const TIMELINE_WIDTH = 900;

const SEVERITIES: readonly ReplayAlert["severity"][] = ["Informational", "Low", "Medium", "High"];

/** One mark of a lane: x column, alerts merged into it, highest severity index, first and last run time. */
type Mark = [x: number, alerts: number, severity: number, first: string, last: string, title: string];

interface Lane {
  label: string;
  alerts: number;
  marks: Mark[];
}

interface Chart {
  title: string;
  lanes: Lane[];
  lanesNotDrawn: number;
  alertsNotDrawn: number;
}

interface TableAlert {
  rule: string;
  ruleFile: string;
  runTime: string;
  severity: string;
  title: string;
  description: string;
  entities: string[];
  customDetails: Array<[string, string]>;
  rows: Array<Array<[string, string]>>;
  rowCount: number;
  rowsNotShown: number;
  incident: number | null;
}

/** What the page's script draws. */
interface ReportData {
  width: number;
  ticks: Array<[x: number, label: string]>;
  severities: readonly string[];
  charts: Chart[];
  alerts: TableAlert[];
  alertsNotListed: number;
}

/** Renders a replay result as one self-contained, deterministic HTML document. */
export function renderReplayHtml(result: ReplayResult, options: ReplayHtmlOptions = {}): string {
  const limits = { ...DEFAULTS, ...definedOnly(options) };
  const data = reportData(result, limits);
  const json = scriptSafeJson(data);
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${createHash("sha256").update(CLIENT_SCRIPT).digest("base64")}'; img-src data:`;
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(limits.title)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    `<h1>${escapeHtml(limits.title)}</h1>`,
    summaryHtml(result),
    '<h2>Timeline</h2>',
    '<div id="timelines"><noscript>The timelines and the alert table are drawn by the page\'s script; open the JSON result for the data.</noscript></div>',
    `<h2>Alerts (${result.alerts.length})</h2>`,
    '<div id="alerts"></div>',
    `<script type="application/json" id="replay-data">${json}</script>`,
    `<script>${CLIENT_SCRIPT}</script>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

function definedOnly(options: ReplayHtmlOptions): ReplayHtmlOptions {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as ReplayHtmlOptions;
}

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON that cannot end its script element or open a comment: `<`, `>`, `&` and the JS line separators as \u escapes. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function summaryHtml(result: ReplayResult): string {
  const skipped = result.rules.filter((r) => r.skipped !== undefined).length;
  const facts: Array<[string, string]> = [
    ["Range", `${result.from} – ${result.to}`],
    ["Inputs", `${result.inputs.length} files, ${result.stats.events} events, ${result.stats.rows} rows`],
    ...(result.live ? [["Queries", `on ${result.live.target}: ${result.live.queries} sent, ${result.live.failedQueries} failed`] as [string, string]] : []),
    ["Rules", `${result.rules.length - skipped} run, ${skipped} skipped`],
    ["Scheduled runs", String(result.stats.runs)],
    ["Alerts", String(result.alerts.length)],
    ["Incidents", String(result.incidents.length)],
    ["Replay time", `${(result.stats.elapsedMs / 1000).toFixed(1)} s, peak memory ${(result.stats.peakRssBytes / 1048576).toFixed(0)} MB`],
  ];
  const inputs = table(
    ["File", "Source", "Table", "Recognised by", "Events", "Rows"],
    result.inputs.map((i) => [i.file, i.source, i.table, i.recognisedBy, String(i.events), String(i.rows)]),
  );
  const rules = table(
    ["Rule", "File", "Kind", "Use case", "Runs", "Alerts", "Incidents", "Skipped because"],
    result.rules.map((r) => [r.ruleName, r.ruleFile, r.kind, r.useCase ?? "", String(r.runs), String(r.alerts), String(r.incidents), r.skipped ?? (r.failed ? `queries failed: ${r.failed}` : "")]),
    (i) => (result.rules[i]?.skipped !== undefined ? ' class="skipped"' : ""),
  );
  return [
    '<section id="summary"><h2>Summary</h2>',
    `<dl>${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join("")}</dl>`,
    "<h3>Inputs</h3>",
    inputs,
    "<h3>Rules</h3>",
    rules,
    "</section>",
  ].join("\n");
}

function table(head: string[], rows: string[][], rowAttributes: (index: number) => string = () => ""): string {
  if (rows.length === 0) return '<p class="none">None.</p>';
  const header = `<tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr>`;
  const body = rows.map((r, i) => `<tr${rowAttributes(i)}>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`).join("\n");
  return `<table>\n<thead>${header}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function reportData(result: ReplayResult, limits: typeof DEFAULTS): ReportData {
  const from = Date.parse(result.from);
  const to = Date.parse(result.to);
  const column = timeColumn(from, to);
  const byRule = result.alerts.map((a) => [a.ruleName || a.ruleId]);
  const byEntity = result.alerts.map((a) => a.entities.map((e) => entityLabel(e, limits.maxCellChars)));
  const listed = result.alerts.slice(0, limits.maxTableAlerts);
  const rowBudget = { chars: limits.maxRowChars };
  return {
    width: TIMELINE_WIDTH,
    ticks: ticks(from, to),
    severities: SEVERITIES,
    charts: [chart("Per rule", result.alerts, byRule, column, limits), chart("Per entity", result.alerts, byEntity, column, limits)],
    alerts: listed.map((a) => tableAlert(a, limits, rowBudget)),
    alertsNotListed: result.alerts.length - listed.length,
  };
}

/** Maps a run time to its column of the plotting area, clamped to the range (an unreadable time goes to 0). */
function timeColumn(from: number, to: number): (iso: string) => number {
  const span = Number.isFinite(from) && Number.isFinite(to) && to > from ? to - from : 1;
  return (iso) => {
    const t = Date.parse(iso);
    if (!Number.isFinite(t) || !Number.isFinite(from)) return 0;
    return Math.min(TIMELINE_WIDTH - 1, Math.max(0, Math.floor(((t - from) / span) * TIMELINE_WIDTH)));
  };
}

/** Axis ticks: one per day for up to 14 days, else eight evenly spaced; labels are UTC. */
function ticks(from: number, to: number): Array<[number, string]> {
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) return [];
  const day = 86_400_000;
  const span = to - from;
  const step = span <= 14 * day && span >= day ? day : span / 8;
  const first = step === day ? Math.ceil(from / day) * day : from;
  const out: Array<[number, string]> = [];
  for (let t = first, i = 0; t <= to && i <= 16; t += step, i++) {
    const iso = new Date(t).toISOString();
    out.push([Math.round(((t - from) / span) * TIMELINE_WIDTH), step === day ? iso.slice(0, 10) : `${iso.slice(0, 16).replace("T", " ")}Z`]);
  }
  return out;
}

/** Lanes of one timeline: every alert counted in each lane its keys name; the busiest lanes drawn, marks merged per column. */
function chart(title: string, alerts: readonly ReplayAlert[], keysOf: string[][], column: (iso: string) => number, limits: typeof DEFAULTS): Chart {
  const lanes = new Map<string, { alerts: number; marks: Map<number, Mark> }>();
  alerts.forEach((alert, index) => {
    for (const key of new Set(keysOf[index])) {
      let lane = lanes.get(key);
      if (!lane) lanes.set(key, (lane = { alerts: 0, marks: new Map() }));
      lane.alerts++;
      addToMark(lane.marks, column(alert.runTime), alert);
    }
  });
  const ordered = [...lanes.entries()].sort((a, b) => b[1].alerts - a[1].alerts || compareText(a[0], b[0]));
  const drawn = ordered.slice(0, limits.maxLanes);
  let budget = limits.maxMarks;
  let alertsNotDrawn = ordered.slice(drawn.length).reduce((n, [, lane]) => n + lane.alerts, 0);
  const out: Lane[] = drawn.map(([label, lane]) => {
    const marks = [...lane.marks.values()].sort((a, b) => a[0] - b[0]);
    const kept = marks.slice(0, Math.max(0, budget));
    budget -= kept.length;
    alertsNotDrawn += marks.slice(kept.length).reduce((n, m) => n + m[1], 0);
    return { label, alerts: lane.alerts, marks: kept };
  });
  return { title, lanes: out, lanesNotDrawn: ordered.length - drawn.length, alertsNotDrawn };
}

function addToMark(marks: Map<number, Mark>, x: number, alert: ReplayAlert): void {
  const severity = Math.max(0, SEVERITIES.indexOf(alert.severity));
  const mark = marks.get(x);
  if (!mark) {
    marks.set(x, [x, 1, severity, alert.runTime, alert.runTime, alert.title]);
    return;
  }
  mark[1]++;
  mark[2] = Math.max(mark[2], severity);
  if (alert.runTime < mark[3]) mark[3] = alert.runTime;
  if (alert.runTime > mark[4]) mark[4] = alert.runTime;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** An entity as the analyst reads it: its type and the values of its identifiers. */
function entityLabel(entity: ReplayEntity, maxChars: number): string {
  const values = Object.values(entity.identifiers).map((v) => cellText(v, maxChars)).filter((v) => v !== "");
  return `${entity.type}: ${values.join(" / ")}`;
}

/** A cell as text: strings as they are, everything else as JSON; cut to `maxChars` with a note. */
function cellText(cell: ReplayCell | undefined, maxChars: number): string {
  const text = cell === null || cell === undefined ? "" : typeof cell === "string" ? cell : JSON.stringify(cell);
  return text.length > maxChars ? `${text.slice(0, maxChars)}… (${text.length - maxChars} more characters)` : text;
}

function tableAlert(alert: ReplayAlert, limits: typeof DEFAULTS, rowBudget: { chars: number }): TableAlert {
  const cut = (cell: ReplayCell | undefined) => cellText(cell, limits.maxCellChars);
  const rows: Array<Array<[string, string]>> = [];
  for (const row of alert.rows.slice(0, limits.maxRowsPerAlert)) {
    if (rowBudget.chars <= 0) break;
    const cells = Object.entries(row).map(([k, v]): [string, string] => [k, cut(v)]);
    rowBudget.chars -= cells.reduce((n, [k, v]) => n + k.length + v.length, 0);
    rows.push(cells);
  }
  return {
    rule: alert.ruleName,
    ruleFile: alert.ruleFile,
    runTime: alert.runTime,
    severity: alert.severity,
    title: cut(alert.title),
    description: cut(alert.description),
    entities: alert.entities.map((e) => entityLabel(e, limits.maxCellChars)),
    customDetails: Object.entries(alert.customDetails).map(([k, values]) => [k, values.map(cut).join(", ")]),
    rows,
    rowCount: alert.rowCount,
    rowsNotShown: Math.max(0, alert.rowCount - rows.length),
    incident: alert.incident,
  };
}

const STYLE = `
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5em;color:#1b1b1b}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.5em}h3{font-size:1em}
dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{font-weight:600}dd{margin:0}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3}tr.skipped td{color:#777}td.wrap{max-width:40em;overflow-wrap:anywhere}
.note{color:#a4262c;font-style:italic}.none{color:#777}
svg.timeline{display:block;margin:.5em 0;font-size:11px}svg .lane-label{fill:#333}svg .tick{stroke:#ddd}svg .tick-label{fill:#555}
.sev-High{fill:#c50f1f}.sev-Medium{fill:#f7630c}.sev-Low{fill:#c19c00}.sev-Informational{fill:#0f6cbd}
span.sev-High,span.sev-Medium,span.sev-Low,span.sev-Informational{fill:none;font-weight:600}
span.sev-High{color:#c50f1f}span.sev-Medium{color:#bc4b09}span.sev-Low{color:#8a6d00}span.sev-Informational{color:#0f6cbd}
details table{font-size:12px}
`.trim();

/** The page's script: reads #replay-data and draws the timelines and the alert table with text nodes only. */
const CLIENT_SCRIPT = `
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var data = JSON.parse(document.getElementById("replay-data").textContent);
  function el(name, attrs, text) {
    var node = document.createElement(name);
    for (var k in attrs) node.setAttribute(k, attrs[k]);
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function svg(name, attrs, text) {
    var node = document.createElementNS(SVG, name);
    for (var k in attrs) node.setAttribute(k, String(attrs[k]));
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function note(text) { return el("p", { "class": "note" }, text); }
  var LABEL = 280, LANE = 18, TOP = 20, RIGHT = 80;
  function shorten(text) { return text.length > 44 ? text.slice(0, 20) + "\\u2026" + text.slice(-23) : text; }
  function drawChart(chart) {
    var box = el("section", { "class": "chart" });
    box.appendChild(el("h3", {}, chart.title));
    if (chart.lanes.length === 0) { box.appendChild(el("p", { "class": "none" }, "No alerts.")); return box; }
    var height = TOP + chart.lanes.length * LANE + 4;
    var root = svg("svg", { "class": "timeline", width: LABEL + data.width + RIGHT, height: height, viewBox: "0 0 " + (LABEL + data.width + RIGHT) + " " + height });
    data.ticks.forEach(function (t) {
      root.appendChild(svg("line", { "class": "tick", x1: LABEL + t[0], x2: LABEL + t[0], y1: TOP - 4, y2: height }));
      root.appendChild(svg("text", { "class": "tick-label", x: LABEL + t[0] + 2, y: 12 }, t[1]));
    });
    chart.lanes.forEach(function (lane, i) {
      var y = TOP + i * LANE + LANE / 2;
      var label = svg("text", { "class": "lane-label", x: 4, y: y + 4 }, shorten(lane.label));
      label.appendChild(svg("title", {}, lane.label + " (" + lane.alerts + " alerts)"));
      root.appendChild(label);
      var g = svg("g", { "class": "lane", "data-lane": lane.label });
      lane.marks.forEach(function (m) {
        var severity = data.severities[m[2]];
        var mark = svg("circle", { "class": "mark sev-" + severity, cx: LABEL + m[0] + 0.5, cy: y, r: m[1] > 1 ? 5 : 4, "data-alerts": m[1] });
        var when = m[3] === m[4] ? m[3] : m[3] + " \\u2013 " + m[4];
        mark.appendChild(svg("title", {}, m[1] === 1 ? severity + " \\u00b7 " + when + " \\u00b7 " + m[5] : m[1] + " alerts (highest " + severity + ") \\u00b7 " + when));
        g.appendChild(mark);
      });
      root.appendChild(g);
    });
    box.appendChild(root);
    if (chart.lanesNotDrawn > 0 || chart.alertsNotDrawn > 0) {
      box.appendChild(note(chart.lanesNotDrawn + " more lanes and " + chart.alertsNotDrawn + " more alert marks not drawn (the busiest lanes are shown; the JSON result has every alert)."));
    }
    return box;
  }
  function cells(pairs) {
    var table = el("table");
    pairs.forEach(function (p) {
      var tr = el("tr");
      tr.appendChild(el("th", {}, p[0]));
      tr.appendChild(el("td", { "class": "wrap" }, p[1]));
      table.appendChild(tr);
    });
    return table;
  }
  function rowsTable(rows) {
    var table = el("table");
    if (rows.length === 0) return table;
    var head = el("tr");
    rows[0].forEach(function (c) { head.appendChild(el("th", {}, c[0])); });
    table.appendChild(head);
    rows.forEach(function (row) {
      var tr = el("tr", { "class": "row" });
      row.forEach(function (c) { tr.appendChild(el("td", { "class": "wrap" }, c[1])); });
      table.appendChild(tr);
    });
    return table;
  }
  function drawAlerts() {
    var box = document.getElementById("alerts");
    if (data.alerts.length === 0) { box.appendChild(el("p", { "class": "none" }, "No rule would have raised an alert.")); return; }
    var table = el("table", { id: "alert-table" });
    var head = el("tr");
    ["Rule", "Run time", "Severity", "Title", "Entities", "Custom details", "Rows behind the alert"].forEach(function (h) { head.appendChild(el("th", {}, h)); });
    table.appendChild(head);
    data.alerts.forEach(function (a) {
      var tr = el("tr", { "class": "alert" });
      var rule = el("td", { title: a.ruleFile }, a.rule);
      tr.appendChild(rule);
      tr.appendChild(el("td", {}, a.runTime));
      var sev = el("td");
      sev.appendChild(el("span", { "class": "sev-" + a.severity }, a.severity));
      tr.appendChild(sev);
      var title = el("td", { "class": "wrap" });
      title.appendChild(el("div", {}, a.title));
      if (a.incident !== null) title.appendChild(el("div", { "class": "none" }, "Incident " + (a.incident + 1)));
      tr.appendChild(title);
      var ents = el("td", { "class": "wrap" });
      a.entities.forEach(function (e) { ents.appendChild(el("div", {}, e)); });
      tr.appendChild(ents);
      var details = el("td");
      details.appendChild(cells(a.customDetails));
      tr.appendChild(details);
      var rows = el("td");
      var d = el("details");
      d.appendChild(el("summary", {}, a.rowCount + (a.rowCount === 1 ? " row" : " rows")));
      d.appendChild(el("p", { "class": "wrap" }, a.description));
      d.appendChild(rowsTable(a.rows));
      if (a.rowsNotShown > 0) d.appendChild(note(a.rowsNotShown + " more rows not shown."));
      rows.appendChild(d);
      tr.appendChild(rows);
      table.appendChild(tr);
    });
    box.appendChild(table);
    if (data.alertsNotListed > 0) box.appendChild(note(data.alertsNotListed + " more alerts not listed (the JSON result has every alert)."));
  }
  var timelines = document.getElementById("timelines");
  data.charts.forEach(function (c) { timelines.appendChild(drawChart(c)); });
  drawAlerts();
  document.body.setAttribute("data-rendered", "true");
})();
`.trim();
