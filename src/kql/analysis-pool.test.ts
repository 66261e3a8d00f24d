import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadContentTree } from "../load/index.ts";
import { AnalysisQueue, borrowedAnalysisPool, startAnalysisPool, type AnalysisPool } from "./analysis-pool.ts";
import { createAnalyzer, type AnalysisEnvironment } from "./analyzer.ts";
import { collectEnvironment } from "./content-environment.ts";
import { collectQuerySites, type QuerySite } from "./query-sites.ts";
import { queryReach } from "./query-words.ts";
import { bundledTableNames } from "./tables.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const NO_ENVIRONMENT: AnalysisEnvironment = { tables: [], functions: [], watchlists: [], trackTables: [] };

// One pool serves the tests below in order (each worker loads Kusto.Language): the first runs on its one worker, the
// next sees it grow to two, the next runs a varied subset of the repository's queries on those two, the last closes it.
describe("startAnalysisPool", () => {
  let pool: AnalysisPool;
  beforeAll(() => {
    pool = startAnalysisPool(1);
  });
  afterAll(() => pool.close());

  // one worker: it takes the longest query first, so the outcomes still come back out of input order
  it("analyses on worker threads and returns outcomes in input order", async () => {
    const queries = ["Chat_CL | project A", "Chat_CL | where Nope == 1", "print x = 1", "Chat_CL | summarize count( by A"];
    const outcomes = await pool.analyze(
      queries,
      { tables: [{ name: "Chat_CL", columns: [{ name: "A", type: "string" }] }], functions: [], watchlists: [], trackTables: ["Chat_CL"] },
      1,
    );
    const summary = outcomes.map((o) => (o.ok ? { codes: o.analysis.diagnostics.map((d) => d.code), columns: o.analysis.resultColumns?.map((c) => c.name) } : o.error));
    expect(summary[0]).toEqual({ codes: [], columns: ["A"] });
    expect(summary[1]).toMatchObject({ codes: ["KS142"] });
    expect(summary[2]).toEqual({ codes: [], columns: ["x"] });
    expect((summary[3] as { codes: string[] }).codes.length).toBeGreaterThan(0);
    expect(outcomes[0]).toMatchObject({ ok: true, analysis: { referencedColumns: [{ table: "Chat_CL", column: "A" }] } });
  }, 120_000);

  it("starts workers ahead of the work, adds more on demand and reports each outcome as it arrives", async () => {
    expect(pool.size).toBe(1);
    const queries = Array.from({ length: 12 }, (_, i) => `print n = ${i}`);
    const seen: number[] = [];
    const outcomes = await pool.analyze(queries, NO_ENVIRONMENT, 2, (index) => seen.push(index));
    expect(pool.size).toBe(2);
    expect(seen.sort((a, b) => a - b)).toEqual(queries.map((_, i) => i));
    expect(outcomes.map((o) => (o.ok ? o.analysis.resultColumns?.map((c) => c.name) : o.error))).toEqual(queries.map(() => ["n"]));
    // the same pool serves a second run with another environment
    const custom = await pool.analyze(["T_CL | project A"], { ...NO_ENVIRONMENT, tables: [{ name: "T_CL", columns: [{ name: "A", type: "long" }] }] }, 1);
    expect(custom[0]).toMatchObject({ ok: true, analysis: { diagnostics: [], resultColumns: [{ name: "A", type: "long" }] } });
  }, 120_000);

  it("gives exactly the outcomes of an analysis in this thread for every kind of query of the repository's content", async () => {
    const { files } = await loadContentTree(ROOT);
    const found = collectEnvironment(files);
    const environment: AnalysisEnvironment = { tables: found.tables, functions: found.functions, watchlists: found.watchlists, trackTables: found.tables.map((t) => t.name) };
    const sites = files.flatMap((f) => collectQuerySites(f));
    const varied = variedQueries(sites, environment);
    // every kind of query the repository holds: rules, hunting queries, parsers, workbook steps and transforms
    expect(new Set(varied.map((q) => sites.find((s) => s.query.text === q)?.role))).toEqual(new Set(sites.map((s) => s.role)));
    expect(varied.length).toBeGreaterThan(8);
    // and a query that can reach every table, analysed against the globals of the whole bundle
    const readsAnyTable = 'search "jailbreak" | summarize count() by $table';
    expect(queryReach(readsAnyTable, environment.functions).reachesAnyTable).toBe(true);
    const queries = [...varied, readsAnyTable];
    const analyze = createAnalyzer(environment);
    expect(await pool.analyze(queries, environment, 2)).toEqual(queries.map((q) => analyze(q)));
  }, 300_000);

  it("stops every worker on close", async () => {
    await pool.close();
    expect(pool.size).toBe(0);
  });

  it("never keeps the process alive while idle", () => {
    const script = `import { startAnalysisPool } from ${JSON.stringify(path.join(ROOT, "src/kql/analysis-pool.ts"))}; startAnalysisPool(2);`;
    const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: ROOT, timeout: 60_000 });
    expect(run.error).toBeUndefined();
    expect(run.status).toBe(0);
  }, 90_000);
});

// What decides an analysis besides Kusto's own grammar: the kind of query, the saved functions and the tables (custom or
// bundled) it reaches, the watchlists it reads, and the operators that bind a second table or a scalar sub-query.
const BINDING_OPERATORS = ["join", "lookup", "union", "mv-expand", "toscalar", "datatable"];
function featuresOf(site: QuerySite, environment: AnalysisEnvironment): string[] {
  const text = site.query.text;
  const reach = queryReach(text, environment.functions);
  const custom = new Set(environment.tables.map((t) => t.name));
  return [
    `kind ${site.role}`,
    ...reach.functions.map((f) => `function ${f.name}`),
    ...[...reach.words].filter((word) => custom.has(word) || bundledTableNames().has(word)).map((table) => `table ${table}`),
    ...(text.includes("_GetWatchlist") ? ["watchlist"] : []),
    ...BINDING_OPERATORS.filter((op) => new RegExp(`\\b${op}\\b`).test(text)).map((op) => `operator ${op}`),
  ];
}

/**
 * A varied subset of the sites' distinct queries, a small part of the whole: for each feature any query has (featuresOf),
 * the shortest query having it, unless one already chosen has it.
 */
function variedQueries(sites: readonly QuerySite[], environment: AnalysisEnvironment): string[] {
  const byQuery = new Map<string, string[]>();
  for (const site of sites) if (!byQuery.has(site.query.text)) byQuery.set(site.query.text, featuresOf(site, environment));
  const shortestFirst = [...byQuery].sort(([a], [b]) => a.length - b.length || (a < b ? -1 : 1));
  const chosen = new Set<string>();
  const covered = new Set<string>();
  for (const feature of [...new Set(shortestFirst.flatMap(([, features]) => features))].sort()) {
    if (covered.has(feature)) continue;
    const [query, features] = shortestFirst.find(([, f]) => f.includes(feature))!;
    chosen.add(query);
    for (const f of features) covered.add(f);
  }
  return [...chosen];
}

// Stand-ins for borrowed workers (no Kusto.Language): each answers a batch after `delay` ms with one outcome per job
// naming itself, and first sends a test worker's `{ results }` message that is not an analysis answer.
const fakeWorker = (name: string, behaviour: { delay?: number; exitOnJobs?: boolean; exitAtOnce?: boolean }): Worker =>
  new Worker(
    `const { parentPort } = require("node:worker_threads");
    const behaviour = ${JSON.stringify(behaviour)};
    if (behaviour.exitAtOnce) process.exit(0);
    parentPort.on("message", (m) => {
      if (m.environment) parentPort.postMessage({ results: [{ key: "case", result: {} }] });
      if (!m.jobs) return;
      if (behaviour.exitOnJobs) process.exit(1);
      const results = m.jobs.map((j) => ({ id: j.id, outcome: { ok: false, error: ${JSON.stringify(name)} } }));
      setTimeout(() => parentPort.postMessage({ analysis: true, results }), behaviour.delay ?? 0);
    });`,
    { eval: true },
  );
const exitOf = (worker: Worker): Promise<void> => new Promise((resolve) => worker.once("exit", () => resolve()));

describe("borrowedAnalysisPool", () => {
  const started: Worker[] = [];
  const borrow = (...workers: Worker[]): Worker[] => (started.push(...workers), workers);
  afterEach(async () => {
    await Promise.all(started.splice(0).map((w) => w.terminate()));
  });
  const queries = ["print a = 1", "print b = 2", "print c = 3", "print d = 4"];

  it("rejects when a worker fails only once the others have answered, so no outcome arrives after", async () => {
    const pool = borrowedAnalysisPool(borrow(fakeWorker("slow", { delay: 300 }), fakeWorker("failing", { exitOnJobs: true })));
    let rejected = false;
    const late: number[] = [];
    const run = pool.analyze(queries, NO_ENVIRONMENT, 2, (index) => rejected && late.push(index));
    await expect(run.finally(() => (rejected = true))).rejects.toThrow(/exited with code 1/);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(late).toEqual([]);
  });

  it("takes only analysis answers as outcomes, never a test worker's own results", async () => {
    const pool = borrowedAnalysisPool(borrow(fakeWorker("one", {})));
    const seen: unknown[] = [];
    const outcomes = await pool.analyze(queries, NO_ENVIRONMENT, 1, (index) => seen.push(index));
    expect(seen.sort()).toEqual([0, 1, 2, 3]);
    expect(outcomes).toEqual(queries.map(() => ({ ok: false, error: "one" })));
  });

  it("runs on the workers still alive when one has stopped, and fails only when none is left", async () => {
    const [dead, live] = borrow(fakeWorker("dead", { exitAtOnce: true }), fakeWorker("live", {})) as [Worker, Worker];
    const pool = borrowedAnalysisPool([dead, live]);
    await exitOf(dead);
    expect(await pool.analyze(queries, NO_ENVIRONMENT, 2)).toEqual(queries.map(() => ({ ok: false, error: "live" })));
    const alone = borrowedAnalysisPool(borrow(fakeWorker("dead", { exitAtOnce: true })));
    await exitOf(started.at(-1) as Worker);
    await expect(alone.analyze(queries, NO_ENVIRONMENT, 2)).rejects.toThrow(/no analysis worker/);
  });
});

describe("AnalysisQueue", () => {
  const drain = (queue: AnalysisQueue<string>, thread: string): number[][] => {
    const batches: number[][] = [];
    for (let batch = queue.take(thread); batch; batch = queue.take(thread)) batches.push(batch.map((j) => j.id));
    return batches;
  };

  it("hands out the longest queries first, in batches that shrink to one", () => {
    const queries = Array.from({ length: 40 }, (_, i) => `print x = ${"1+".repeat(i)}1`);
    const batches = drain(new AnalysisQueue<string>(queries, NO_ENVIRONMENT, 2), "a");
    expect(batches.flat()).toEqual(queries.map((_, i) => 39 - i));
    expect(batches[0]?.length).toBe(5);
    expect(batches.at(-1)?.length).toBe(1);
  });

  it("gives every query that can reach all tables to the first thread that asks", () => {
    const queries = ["SigninLogs | take 1", "search 'x'", "AuditLogs | take 1", "union isfuzzy=true Sign* | take 1", "print 1"];
    const queue = new AnalysisQueue<string>(queries, NO_ENVIRONMENT, 2);
    expect(queue.take("a")?.map((j) => j.id)).toEqual([3]);
    const b = drain(queue, "b").flat();
    expect(b).not.toContain(1);
    expect(drain(queue, "a").flat()).toContain(1);
  });
});
