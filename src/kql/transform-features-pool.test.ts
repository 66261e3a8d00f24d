import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Diagnostic } from "../diagnostics/index.ts";
import { loadText, type LoadedFile } from "../load/index.ts";
import { startAnalysisPool, type AnalysisPool } from "./analysis-pool.ts";
import { analyzeContentQueries } from "./content-analysis.ts";

/** An ingestion mapping whose data flows have these transforms (one repeated, so it is looked up once). */
function mapping(transforms: string[]): LoadedFile {
  const flows = transforms.map((kql) => `  - streams: [Custom-In]\n    destinations: [ws]\n    transformKql: "${kql}"\n    outputStream: Custom-Out_CL\n`).join("");
  const { file, diagnostics } = loadText(`streams: []\ndataFlows:\n${flows}`, "ingestion/x.yaml", "ingestion-mapping");
  if (!file) throw new Error(JSON.stringify(diagnostics));
  return file;
}

const TRANSFORMS = ["source | summarize by a", "source | extend b = dynamic([1]), c = todynamic(a)", "source | where a == 1", "source | summarize by a"];
const featureCodes = (found: Diagnostic[]) => found.filter((d) => ["SC3035", "SC3036", "SC3037"].includes(d.code));

// a cold `validate` and `check` hand the KQL stage a pool whose workers load Kusto.Language: the transforms' features
// are found there, so this thread does not load it for them
describe("analyzeContentQueries: DCR transform features on the caller's pool", () => {
  let pool: AnalysisPool;
  beforeAll(() => {
    pool = startAnalysisPool(1);
  });
  afterAll(() => pool.close());

  it("finds them on the pool, once per distinct query, with the findings of this thread", async () => {
    const asked: string[][] = [];
    const counting: AnalysisPool = {
      get size() {
        return pool.size;
      },
      analyze: (...args) => pool.analyze(...args),
      transformFeatures: (queries) => {
        asked.push([...queries]);
        return pool.transformFeatures!(queries);
      },
      close: async () => undefined,
    };
    const files = [mapping(TRANSFORMS)];
    const onPool = await analyzeContentQueries(files, { root: "/nonexistent", cache: false, pool: counting });
    expect(asked).toEqual([[...new Set(TRANSFORMS)]]);
    expect(featureCodes(onPool).map((d) => `${d.code} ${d.line}:${d.col}`)).toEqual(["SC3035 5:29", "SC3037 9:40", "SC3036 9:58", "SC3035 17:29"]);
    expect(onPool).toEqual(await analyzeContentQueries(files, { root: "/nonexistent", cache: false, workers: 1 }));
  }, 120_000);

  it("finds them in this thread when the pool's worker fails", async () => {
    const failing: AnalysisPool = {
      size: 1,
      analyze: (...args) => pool.analyze(...args),
      transformFeatures: () => Promise.reject(new Error("worker gone")),
      close: async () => undefined,
    };
    const files = [mapping(TRANSFORMS)];
    const found = await analyzeContentQueries(files, { root: "/nonexistent", cache: false, pool: failing });
    expect(featureCodes(found)).toHaveLength(4);
    expect(found).toEqual(await analyzeContentQueries(files, { root: "/nonexistent", cache: false, workers: 1 }));
  }, 120_000);

  // a worker answers {error} for a query Kusto.Language failed on there: this thread finds it when the findings ask
  // (after the analyses), with the findings of a run without a pool
  it("finds in this thread the features the worker could not answer", async () => {
    const asked: string[][] = [];
    const unanswered: AnalysisPool = {
      size: 1,
      analyze: (...args) => pool.analyze(...args),
      transformFeatures: async (queries) => {
        asked.push([...queries]);
        return queries.map(() => undefined);
      },
      close: async () => undefined,
    };
    const files = [mapping(TRANSFORMS)];
    const found = await analyzeContentQueries(files, { root: "/nonexistent", cache: false, pool: unanswered });
    expect(asked).toEqual([[...new Set(TRANSFORMS)]]);
    expect(featureCodes(found)).toHaveLength(4);
    expect(found).toEqual(await analyzeContentQueries(files, { root: "/nonexistent", cache: false, workers: 1 }));
  }, 120_000);

  it("answers each query on the worker, in order", async () => {
    const answers = await pool.transformFeatures!(["source | summarize by a", "source | where a == 1"]);
    expect(answers).toEqual([[{ kind: "operator", name: "summarize", start: 9 }], []]);
  }, 120_000);
});

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../bin/sentinel-content.js");

// `validate` without a cache analyses on one worker it started early, which it keeps referenced only while it waits for
// it: the features request must not let the process end while the analyses of later batches are still under way
describe("validate: transform features and analyses on the early worker", () => {
  const root = mkdtempSync(path.join(tmpdir(), "features-pool-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("waits for every analysis and reports the features", () => {
    const flows = ["source | summarize by a", "source | where b == 1", "source | where b == 2", "source | where b == 3", "source | extend c = dynamic([1])"]
      .map((kql) => `  - streams: [Custom-In]\n    outputStream: Custom-Out_CL\n    transformKql: "${kql}"\n`)
      .join("");
    mkdirSync(path.join(root, "ingestion/x"), { recursive: true });
    writeFileSync(path.join(root, "ingestion/x/x.yaml"), `streams:\n  - name: Custom-In\n    columns:\n      - { name: a, type: string }\n      - { name: b, type: long }\ndataFlows:\n${flows}`);
    const run = spawnSync(process.execPath, [BIN, "validate", "--no-cache", "--root", root], { encoding: "utf8", timeout: 240_000 });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("SC3035 the summarize operator");
    expect(run.stdout).toContain("SC3037");
  }, 300_000);
});
