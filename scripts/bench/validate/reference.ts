// Child process of scripts/bench/validate.ts: the reference cost, Kusto.Language `ParseAndAnalyze` alone on one
// thread, globals built once with every bundled table the corpus rules name. Usage: reference.ts <part> <parts>
// analyses every <parts>-th query starting at <part> and prints one JSON line of timings.
import { performance } from "node:perf_hooks";
import { bundledTableNames, buildGlobals, loadBundledTable, type TableSchema } from "../../../src/kql/index.ts";
import { loadKusto } from "../../../src/kql/kusto.ts";
import { queryReach } from "../../../src/kql/query-words.ts";
import { corpusQueries } from "./corpus.ts";

/** What one reference run measured. */
export interface ReferenceTiming {
  queries: number;
  tables: number;
  /** Sum of the per-query ParseAndAnalyze times (the "sum of single-threaded analysis time"). */
  analysisSeconds: number;
  /** Wall time of the analysis loop, from its first query to its last. */
  loopSeconds: number;
}

function namedTables(queries: readonly string[]): TableSchema[] {
  const bundled = bundledTableNames();
  const names = new Set<string>();
  for (const query of queries) for (const word of queryReach(query, []).words) if (bundled.has(word)) names.add(word);
  return [...names].sort().flatMap((name) => loadBundledTable(name) ?? []);
}

const [part, parts] = process.argv.slice(2).map(Number) as [number, number];
const all = corpusQueries();
const tables = namedTables(all);
const globals = buildGlobals({ tables });
const kusto = loadKusto();
const mine = all.filter((_, i) => i % parts === part);
let analysis = 0;
const loopStart = performance.now();
for (const query of mine) {
  const start = performance.now();
  kusto.KustoCode.ParseAndAnalyze(query, globals.state).GetDiagnostics();
  analysis += performance.now() - start;
}
const timing: ReferenceTiming = { queries: mine.length, tables: tables.length, analysisSeconds: analysis / 1000, loopSeconds: (performance.now() - loopStart) / 1000 };
console.log(JSON.stringify(timing));
