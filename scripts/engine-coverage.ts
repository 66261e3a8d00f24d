// `npm run engine:coverage`: runs every analytic rule and hunting query of the shared Azure-Sentinel
// corpus whose tables have schemas against a few generated rows per table, with a fixed now(), and
// reports how many run without an "unsupported" refusal, plus the most-wanted missing features.
// Usage: npm run engine:coverage [-- --json FILE] [--corpus DIR] [--limit N] [--filter REGEX] [--verbose]
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { runQuery, type Column, type KqlType, type Row, type Table, type Value } from "../src/engine/index.ts";
import { loadBundledTable } from "../src/kql/tables.ts";
import { writeFileAtomicSync } from "../src/files/write-atomic.ts";
import { SHARED_DIR } from "./shared-dir.ts";

const NOW = "2026-01-15T12:00:00Z";
const NOW_MS = Date.parse(NOW);
const ROWS_PER_TABLE = 4;
const UNSUPPORTED = new Set(["SC4001", "SC4002", "SC4008"]);

interface IndexEntry {
  file: string;
  kind: string;
  tables?: string[];
  all_sources_have_schema?: boolean;
}

interface Options {
  corpus: string;
  json?: string;
  limit: number;
  filter?: RegExp;
  verbose: boolean;
}

function readOptions(argv: string[]): Options {
  const options: Options = { corpus: path.join(SHARED_DIR, "corpus/azure-sentinel"), limit: Number.POSITIVE_INFINITY, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--json") options.json = argv[++i];
    else if (arg === "--corpus") options.corpus = argv[++i] ?? options.corpus;
    else if (arg === "--limit") options.limit = Number(argv[++i]);
    else if (arg === "--verbose") options.verbose = true;
    else if (arg === "--filter") options.filter = new RegExp(argv[++i] ?? "");
  }
  return options;
}

/** A plausible string for a column, chosen by its name (IPs, accounts, hosts, URLs, ids, …). */
function plausibleString(name: string, i: number): string {
  const n = name.toLowerCase();
  if (/ip(address|addr)?$|^ip|ipaddress|clientip|sourceip|destinationip|callerip/.test(n)) return `10.0.${i}.${10 + i}`;
  if (/upn|userprincipalname|email|mail/.test(n)) return `user${i}@contoso.com`;
  if (/account|user|caller|identity|actor/.test(n)) return `user${i}`;
  if (/computer|host|device|machine|dvc/.test(n)) return `host${i}.contoso.com`;
  if (/url|uri/.test(n)) return `https://contoso.com/path/${i}?q=${i}`;
  if (/domain|fqdn|dns|query/.test(n)) return `site${i}.contoso.com`;
  if (/resourceid|_resourceid/.test(n)) return `/subscriptions/00000000-0000-0000-0000-00000000000${i}/resourceGroups/rg${i}/providers/Microsoft.Web/sites/app${i}`;
  if (/(^|_)id$|guid|correlation/.test(n)) return `0000000${i}-0000-0000-0000-00000000000${i}`;
  if (/commandline|processcommandline/.test(n)) return `powershell.exe -enc AAAA${i}`;
  if (/file|process|image|path/.test(n)) return `C:\\Windows\\System32\\app${i}.exe`;
  if (/status|result/.test(n)) return i % 2 === 0 ? "Success" : "Failure";
  if (/operation|activity|action|event/.test(n)) return `Operation${i}`;
  if (/country|location/.test(n)) return ["US", "GB", "DE", "FR"][i % 4] ?? "US";
  return `${name}-${i}`;
}

/** A plausible dynamic value: a small bag with typical keys, or an array for plural-looking names. */
function plausibleDynamic(name: string, i: number): Value {
  if (/s$|list|array/i.test(name)) return [`${name}-${i}`, `item-${i}`];
  return { Name: `${name}-${i}`, Value: i, Type: "Text", id: `id-${i}`, displayName: `display-${i}` };
}

/** One generated cell of `column` in row `i` (rows spread over the last two hours before now()). */
function cell(column: Column, i: number): Value {
  switch (column.type) {
    case "string":
      return plausibleString(column.name, i);
    case "datetime":
      return BigInt(NOW_MS - (i + 1) * 17 * 60_000) * 10_000n;
    case "timespan":
      return BigInt((i + 1) * 60) * 10_000_000n;
    case "bool":
      return i % 2 === 0;
    case "int":
    case "long":
      return (i + 1) * 3;
    case "real":
    case "decimal":
      return (i + 1) * 1.5;
    case "guid":
      return `0000000${i}-0000-0000-0000-00000000000${i}`;
    case "dynamic":
      return plausibleDynamic(column.name, i);
    default:
      return null;
  }
}

/** A table of ROWS_PER_TABLE generated rows for `columns`. */
function generateTable(columns: readonly Column[]): Table {
  const rows: Row[] = [];
  for (let i = 0; i < ROWS_PER_TABLE; i++) rows.push(columns.map((c) => cell(c, i)));
  return { columns: columns.map((c) => ({ ...c })), rows };
}

/** Table schemas: the bundled ones first, then the corpus' own (for the few the project does not bundle). */
function schemaLookup(corpus: string): (name: string) => Column[] | undefined {
  return (name) => {
    const schema = loadBundledTable(name);
    if (schema) return schema.columns.map((c) => ({ name: c.name, type: c.type as KqlType }));
    const file = path.join(corpus, "tables", `${name}.json`);
    if (!existsSync(file)) return undefined;
    const json = JSON.parse(readFileSync(file, "utf8")) as { columns?: { name: string; type: string }[] };
    return json.columns?.map((c) => ({ name: c.name, type: c.type as KqlType }));
  };
}

/** The feature a refusal names ("the operator 'evaluate pivot'", "the aggregate foo()"), for counting. */
function featureOf(message: string): string {
  const m = /^(.*?) (?:is|are) not supported by the offline engine/.exec(message);
  const what = (m?.[1] ?? message).replace(/^the /, "");
  return what.replace(/\s+/g, " ").slice(0, 90);
}

interface Outcome {
  file: string;
  status: "ok" | "unsupported" | "error";
  code?: string;
  message?: string;
}

function runOne(entry: IndexEntry, corpus: string, schemaOf: (name: string) => Column[] | undefined): Outcome {
  const doc = parseYaml(readFileSync(path.join(corpus, entry.file), "utf8")) as { query?: unknown } | null;
  const query = typeof doc?.query === "string" ? doc.query : undefined;
  if (!query) return { file: entry.file, status: "error", code: "no-query", message: "no query field" };
  const tables: Record<string, Table> = {};
  for (const name of entry.tables ?? []) {
    const columns = schemaOf(name);
    if (columns) tables[name] = generateTable(columns);
  }
  const aliases = [...query.matchAll(/_GetWatchlist\(\s*['"]([^'"]+)['"]/g)].map((m) => m[1] as string);
  const watchlists = aliases.map((alias) => ({ alias, items: [0, 1].map((i) => ({ SearchKey: `key${i}`, Value: `value${i}` })) }));
  const out = runQuery(query, { tables, watchlists }, { now: NOW, limits: { maxRows: 200_000, maxCells: 5_000_000 } });
  if (out.ok) return { file: entry.file, status: "ok" };
  const first = out.diagnostics[0];
  const code = first?.code ?? "?";
  return { file: entry.file, status: UNSUPPORTED.has(code) ? "unsupported" : "error", code, message: first?.message ?? "" };
}

function countBy<T>(items: readonly T[], key: (item: T) => string): [string, number][] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function main(): void {
  const options = readOptions(process.argv.slice(2));
  const indexFile = path.join(options.corpus, "index.json");
  if (!existsSync(indexFile)) {
    console.log(`engine:coverage: skipped — the Azure-Sentinel corpus is not present (${indexFile} not found).`);
    return;
  }
  const index = JSON.parse(readFileSync(indexFile, "utf8")) as { files: IndexEntry[] };
  const queries = index.files.filter((f) => (f.kind === "rule" || f.kind === "hunting") && f.all_sources_have_schema && (!options.filter || options.filter.test(f.file))).slice(0, options.limit);
  const schemaOf = schemaLookup(options.corpus);
  const started = Date.now();
  const outcomes = queries.map((entry) => runOne(entry, options.corpus, schemaOf));
  const ok = outcomes.filter((o) => o.status === "ok").length;
  const unsupported = outcomes.filter((o) => o.status === "unsupported");
  const errors = outcomes.filter((o) => o.status === "error");
  const pct = (n: number): string => `${((100 * n) / Math.max(outcomes.length, 1)).toFixed(1)}%`;
  console.log(`queries with schemas: ${outcomes.length} (rules and hunting queries of ${options.corpus})`);
  console.log(`ran without an "unsupported" refusal: ${outcomes.length - unsupported.length} (${pct(outcomes.length - unsupported.length)})`);
  console.log(`  of which ran to a result: ${ok} (${pct(ok)}); failed otherwise: ${errors.length} (${pct(errors.length)})`);
  console.log(`refused as unsupported: ${unsupported.length} (${pct(unsupported.length)})`);
  console.log(`time: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  console.log("most-wanted missing features (queries refused):");
  for (const [feature, n] of countBy(unsupported, (o) => featureOf(o.message ?? "")).slice(0, 25)) console.log(`  ${String(n).padStart(4)}  ${feature}`);
  console.log("\nother failures by code:");
  for (const [code, n] of countBy(errors, (o) => o.code ?? "?")) console.log(`  ${String(n).padStart(4)}  ${code}`);
  if (options.verbose) for (const o of [...unsupported, ...errors]) console.log(`${o.status} ${o.code} ${o.file}: ${o.message}`);
  if (options.json) {
    writeFileAtomicSync(options.json, JSON.stringify({ now: NOW, total: outcomes.length, ok, unsupported: unsupported.length, errors: errors.length, outcomes }, null, 2));
  }
}

main();
