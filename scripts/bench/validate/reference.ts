// Child process of scripts/bench/validate.ts, a fresh isolate as a CLI run has. Usage: reference.ts <mode> <part> <parts>
// analyses every <parts>-th corpus query starting at <part> on one thread and prints one JSON line of timings.
// Mode `reference`: the reference cost, Kusto.Language `ParseAndAnalyze` alone, globals built once with every
// bundled table the corpus rules name. Mode `ours`: our analyser (src/kql/analyzer.ts), as validate runs it.
// Mode `validate`: the whole `validate` of the corpus rules (YAML loading included, no cache) as the command runs it.
import { performance } from "node:perf_hooks";
import { bundledTableNames, buildGlobals, createAnalyzer, loadBundledTable, type TableSchema } from "../../../src/kql/index.ts";
import { loadKusto } from "../../../src/kql/kusto.ts";
import { queryReach } from "../../../src/kql/query-words.ts";
import { validateContent } from "../../../src/validate/validate.ts";
import { CORPUS, corpusQueries, RULES } from "./corpus.ts";

/** What one child run measured. */
export interface ChildTiming {
  queries: number;
  tables: number;
  /** Sum of the per-query analysis times (for the reference: the "sum of single-threaded analysis time"). */
  analysisSeconds: number;
  /** Wall time of the analysis loop, from its first query to its last (mode `validate`: of the whole run). */
  loopSeconds: number;
  /** Mode `validate`: CPU seconds of the whole process (all threads) during the run. */
  cpuSeconds?: number;
}

/** Times one `validate` of the corpus rules in this fresh process, as the command runs it (without the analysis cache). */
async function validateRun(): Promise<ChildTiming> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = await validateContent({ root: CORPUS, paths: [RULES], kind: "analytic-rule", cache: false });
  const used = process.cpuUsage(cpu);
  return { queries: result.files.length, tables: 0, analysisSeconds: 0, loopSeconds: (performance.now() - start) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
}

function namedTables(queries: readonly string[]): TableSchema[] {
  const bundled = bundledTableNames();
  const names = new Set<string>();
  for (const query of queries) for (const word of queryReach(query, []).words) if (bundled.has(word)) names.add(word);
  return [...names].sort().flatMap((name) => loadBundledTable(name) ?? []);
}

/** Returns the per-query analysis of the mode, with everything built once beforehand. */
function analyzerFor(mode: string, queries: readonly string[]): { tables: number; analyze: (query: string) => unknown } {
  if (mode === "ours") return { tables: 0, analyze: createAnalyzer({ tables: [], functions: [], watchlists: [], trackTables: [] }) };
  if (mode !== "reference") throw new Error(`unknown mode ${mode}: reference or ours`);
  const tables = namedTables(queries);
  const globals = buildGlobals({ tables });
  const kusto = loadKusto();
  return { tables: tables.length, analyze: (query) => kusto.KustoCode.ParseAndAnalyze(query, globals.state).GetDiagnostics() };
}

const [mode = "", part = 0, parts = 1] = process.argv.slice(2).map((a, i) => (i === 0 ? a : Number(a))) as [string, number, number];
if (mode === "validate") {
  console.log(JSON.stringify(await validateRun()));
  process.exit(0);
}
const all = await corpusQueries();
const { tables, analyze } = analyzerFor(mode, all);
const mine = all.filter((_, i) => i % parts === part);
let analysis = 0;
const loopStart = performance.now();
for (const query of mine) {
  const start = performance.now();
  analyze(query);
  analysis += performance.now() - start;
}
const timing: ChildTiming = { queries: mine.length, tables, analysisSeconds: analysis / 1000, loopSeconds: (performance.now() - loopStart) / 1000 };
console.log(JSON.stringify(timing));
