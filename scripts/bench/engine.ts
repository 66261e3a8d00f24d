// Offline KQL engine throughput on a 1,000,000-row AzureDiagnostics-shaped table built in memory:
// (a) where with =~ and has, (b) summarize count(), dcount() by two keys and bin(TimeGenerated, 1h),
// (c) a join of 100,000 × 10,000 rows on a key, (d) long arithmetic with sum() and max() by a key, (e) `matches regex`
// and `extract` (RE2 on re2js). Each is timed against a hand-written TypeScript loop computing the same result in the
// same run (both answers are checked equal), and peak memory is printed.
import { runQuery, type Column, type Row, type Table } from "../../src/engine/index.ts";

const rowsArg = process.argv.indexOf("--rows");
/** Rows of the big table (1,000,000; `--rows N` for a quick smoke run). */
const ROWS = rowsArg > 0 ? Number(process.argv[rowsArg + 1]) : 1_000_000;
const NOW = "2026-01-15T12:00:00Z";
const HOUR = 36_000_000_000n;
const START = BigInt(Date.parse("2026-01-14T12:00:00Z")) * 10_000n;
const REPEAT = 3;

const CATEGORIES = ["ApplicationGatewayFirewallLog", "ApplicationGatewayAccessLog", "AuditEvent", "kube-audit", "SQLSecurityAuditEvents"];
const OPERATIONS = ["ApplicationGatewayFirewall", "ApplicationGatewayAccess", "VaultGet", "SecretGet", "Create", "Delete", "Login", "Query"];
const PATHS = ["/admin/login.php", "/api/v1/users", "/index.html", "/wp-admin/setup", "/static/app.js", "/health", "/Admin/Panel", "/search?q=admin-tools"];

const COLUMNS: Column[] = [
  { name: "TimeGenerated", type: "datetime" },
  { name: "ResourceId", type: "string" },
  { name: "Category", type: "string" },
  { name: "OperationName", type: "string" },
  { name: "ResultType", type: "string" },
  { name: "Resource", type: "string" },
  { name: "ResourceProvider", type: "string" },
  { name: "clientIp_s", type: "string" },
  { name: "requestUri_s", type: "string" },
  { name: "httpStatus_d", type: "real" },
  { name: "host_s", type: "string" },
  { name: "DurationMs", type: "long" },
];

/** A deterministic pseudo-random sequence (so every run measures the same data). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function pick<T>(items: readonly T[], r: number): T {
  return items[Math.floor(r * items.length)] as T;
}

/** The AzureDiagnostics-shaped table: strings drawn from small pools (as real logs repeat), times over 24 h. */
function buildTable(): Table {
  const rand = lcg(42);
  const ips = Array.from({ length: 5000 }, (_, i) => `10.${(i >> 8) & 255}.${i & 255}.${i % 7}`);
  const resources = Array.from({ length: 200 }, (_, i) => `RESOURCE-${i}`);
  const rows: Row[] = new Array(ROWS);
  for (let i = 0; i < ROWS; i++) {
    const resource = pick(resources, rand());
    rows[i] = [
      START + BigInt(Math.floor(rand() * 86_400_000)) * 10_000n,
      `/SUBSCRIPTIONS/0000/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/${resource}`,
      pick(CATEGORIES, rand()),
      pick(OPERATIONS, rand()),
      rand() < 0.9 ? "0" : "403",
      resource,
      "MICROSOFT.NETWORK",
      pick(ips, rand()),
      pick(PATHS, rand()),
      rand() < 0.8 ? 200 : 403,
      `host${Math.floor(rand() * 50)}.contoso.com`,
      Math.floor(rand() * 1000),
    ];
  }
  return { columns: COLUMNS, rows };
}

/** Kusto's `has` for a lower-case alphanumeric term: a whole term of the text, case-insensitively. */
function hasTerm(text: string, term: string): boolean {
  const lower = text.toLowerCase();
  let from = 0;
  for (;;) {
    const at = lower.indexOf(term, from);
    if (at < 0) return false;
    const before = at === 0 ? "" : (lower[at - 1] as string);
    const after = lower[at + term.length] ?? "";
    if (!/[a-z0-9]/.test(before) && !/[a-z0-9]/.test(after)) return true;
    from = at + 1;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Times `fn` REPEAT times after one warm-up run; returns the median milliseconds and the last result. */
function time<T>(fn: () => T): { ms: number; result: T } {
  let result = fn();
  const runs: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const t0 = performance.now();
    result = fn();
    runs.push(performance.now() - t0);
  }
  return { ms: median(runs), result };
}

function engine(query: string, tables: Record<string, Table>): Table {
  const out = runQuery(query, { tables }, { now: NOW, limits: { maxRows: 2_000_000, maxCells: 40_000_000, maxMilliseconds: 600_000 } });
  if (!out.ok) throw new Error(`engine refused the benchmark query: ${out.diagnostics.map((d) => `${d.code} ${d.message}`).join("; ")}`);
  return out.table;
}

let peakRss = 0;
function sampleMemory(): void {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}

function report(name: string, inputRows: number, engineMs: number, loopMs: number, same: boolean, target?: number): boolean {
  const ratio = engineMs / loopMs;
  const verdict = target === undefined ? "" : ratio <= target ? `  (target ≤${target}: met)` : `  (target ≤${target}: MISSED)`;
  console.log(
    `${name.padEnd(44)} engine ${engineMs.toFixed(0).padStart(6)} ms  ${Math.round(inputRows / (engineMs / 1000)).toLocaleString("en-US").padStart(12)} rows/s` +
      `   loop ${loopMs.toFixed(0).padStart(5)} ms   ratio ${ratio.toFixed(2)}${verdict}   same answer: ${same ? "yes" : "NO"}`,
  );
  return same && (target === undefined || ratio <= target);
}

function benchWhere(table: Table): boolean {
  const query = `AzureDiagnostics | where Category =~ "applicationgatewayfirewalllog" and requestUri_s has "admin"`;
  const e = time(() => engine(query, { AzureDiagnostics: table }));
  sampleMemory();
  const cat = COLUMNS.findIndex((c) => c.name === "Category");
  const uri = COLUMNS.findIndex((c) => c.name === "requestUri_s");
  const l = time(() => table.rows.filter((r) => (r[cat] as string).toLowerCase() === "applicationgatewayfirewalllog" && hasTerm(r[uri] as string, "admin")));
  const same = e.result.rows.length === l.result.length && e.result.rows.every((r, i) => r === l.result[i] || r.every((v, k) => v === (l.result[i] as Row)[k]));
  console.log(`  (a) ${e.result.rows.length.toLocaleString("en-US")} rows match`);
  return report("(a) where =~ and has", ROWS, e.ms, l.ms, same, 3);
}

function benchSummarize(table: Table): boolean {
  const query = `AzureDiagnostics | summarize count(), dcount(clientIp_s) by Category, OperationName, bin(TimeGenerated, 1h)`;
  const e = time(() => engine(query, { AzureDiagnostics: table }));
  sampleMemory();
  const [t, cat, op, ip] = ["TimeGenerated", "Category", "OperationName", "clientIp_s"].map((n) => COLUMNS.findIndex((c) => c.name === n)) as [number, number, number, number];
  const l = time(() => {
    const groups = new Map<string, { count: number; ips: Set<string> }>();
    for (const r of table.rows) {
      const ticks = r[t] as bigint;
      const bin = ticks - (((ticks % HOUR) + HOUR) % HOUR);
      const key = `${r[cat] as string}\u0000${r[op] as string}\u0000${bin}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { count: 0, ips: new Set() }));
      g.count++;
      g.ips.add(r[ip] as string);
    }
    return groups;
  });
  const names = e.result.columns.map((c) => c.name);
  const [ci, oi, bi, ni, di] = ["Category", "OperationName", "TimeGenerated", "count_", "dcount_clientIp_s"].map((n) => names.indexOf(n)) as [number, number, number, number, number];
  const same =
    e.result.rows.length === l.result.size &&
    e.result.rows.every((r) => {
      const g = l.result.get(`${r[ci] as string}\u0000${r[oi] as string}\u0000${r[bi] as bigint}`);
      return g !== undefined && g.count === r[ni] && g.ips.size === r[di];
    });
  console.log(`  (b) ${e.result.rows.length.toLocaleString("en-US")} groups`);
  return report("(b) summarize count(), dcount() by 2 keys + bin", ROWS, e.ms, l.ms, same, 3);
}

function benchJoin(table: Table): boolean {
  const rand = lcg(7);
  const left: Table = {
    columns: [{ name: "Key", type: "long" }, { name: "Resource", type: "string" }, { name: "DurationMs", type: "long" }],
    rows: table.rows.slice(0, Math.min(100_000, ROWS)).map((r) => [Math.floor(rand() * 20_000), r[5] as string, r[11] as number]),
  };
  const right: Table = {
    columns: [{ name: "Key", type: "long" }, { name: "Owner", type: "string" }],
    rows: Array.from({ length: 10_000 }, (_, i) => [i, `owner${i % 300}`]),
  };
  const e = time(() => engine("L | join kind=inner (R) on Key", { L: left, R: right }));
  sampleMemory();
  const l = time(() => {
    const index = new Map<number, Row[]>();
    for (const r of right.rows) {
      const bucket = index.get(r[0] as number);
      if (bucket) bucket.push(r);
      else index.set(r[0] as number, [r]);
    }
    const out: Row[] = [];
    for (const r of left.rows) for (const m of index.get(r[0] as number) ?? []) out.push([...r, ...m]);
    return out;
  });
  const same = e.result.rows.length === l.result.length && e.result.rows.every((r, i) => r.every((v, k) => v === (l.result[i] as Row)[k]));
  console.log(`  (c) ${e.result.rows.length.toLocaleString("en-US")} joined rows`);
  return report("(c) join 100,000 × 10,000 on a key", 110_000, e.ms, l.ms, same);
}

function benchLongArithmetic(table: Table): boolean {
  const query = `AzureDiagnostics | extend d = DurationMs * 3 + 7 | summarize s = sum(d), m = max(d) by Category`;
  const e = time(() => engine(query, { AzureDiagnostics: table }));
  sampleMemory();
  const [cat, dur] = ["Category", "DurationMs"].map((n) => COLUMNS.findIndex((c) => c.name === n)) as [number, number];
  const l = time(() => {
    const groups = new Map<string, { s: number; m: number }>();
    for (const r of table.rows) {
      const d = (r[dur] as number) * 3 + 7;
      const g = groups.get(r[cat] as string);
      if (g) {
        g.s += d;
        if (d > g.m) g.m = d;
      } else groups.set(r[cat] as string, { s: d, m: d });
    }
    return groups;
  });
  const same = e.result.rows.length === l.result.size && e.result.rows.every((r) => {
    const g = l.result.get(r[0] as string);
    return g !== undefined && g.s === r[1] && g.m === r[2];
  });
  console.log(`  (d) ${e.result.rows.length.toLocaleString("en-US")} groups`);
  return report("(d) long arithmetic, sum() and max() by a key", ROWS, e.ms, l.ms, same);
}

function benchRegex(table: Table): boolean {
  const query = `AzureDiagnostics | where requestUri_s matches regex @"^/(?i:admin|wp-admin)/" | project p = extract(@"^/([A-Za-z-]+)/([a-z.]+)", 2, requestUri_s)`;
  const e = time(() => engine(query, { AzureDiagnostics: table }));
  sampleMemory();
  const uri = COLUMNS.findIndex((c) => c.name === "requestUri_s");
  const filter = /^\/(?:[aA][dD][mM][iI][nN]|[wW][pP]-[aA][dD][mM][iI][nN])\//;
  const capture = /^\/([A-Za-z-]+)\/([a-z.]+)/;
  const l = time(() => table.rows.filter((r) => filter.test(r[uri] as string)).map((r) => capture.exec(r[uri] as string)?.[2] ?? ""));
  const same = e.result.rows.length === l.result.length && e.result.rows.every((r, i) => r[0] === l.result[i]);
  console.log(`  (e) ${e.result.rows.length.toLocaleString("en-US")} rows match`);
  return report("(e) matches regex + extract (RE2 vs V8 RegExp)", ROWS, e.ms, l.ms, same);
}

function main(): void {
  const t0 = performance.now();
  const table = buildTable();
  sampleMemory();
  console.log(`built ${ROWS.toLocaleString("en-US")} AzureDiagnostics-shaped rows × ${COLUMNS.length} columns in ${((performance.now() - t0) / 1000).toFixed(1)} s; median of ${REPEAT} runs after a warm-up`);
  const results = [benchWhere(table), benchSummarize(table), benchJoin(table), benchLongArithmetic(table), benchRegex(table)];
  sampleMemory();
  const maxRss = process.resourceUsage().maxRSS * 1024;
  const peak = Math.max(peakRss, maxRss);
  console.log(`peak memory (max RSS): ${(peak / 2 ** 20).toFixed(0)} MiB  (target < 2048 MiB: ${peak < 2 ** 31 ? "met" : "MISSED"})`);
  process.exitCode = results.every(Boolean) && peak < 2 ** 31 ? 0 : 1;
}

main();
