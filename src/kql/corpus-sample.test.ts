import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadContentTree } from "../load/index.ts";
import { analyzeContentQueries } from "./content-analysis.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../kql/fixtures/corpus-sample");

/** The codes a sample file declares in its `# expect:` first line. */
function expectedCodes(absolutePath: string): string[] {
  const first = readFileSync(absolutePath, "utf8").split("\n")[0] ?? "";
  return first.replace(/^# expect:/, "").trim().split(/\s+/).filter(Boolean).sort();
}

describe("KQL analysis over the committed corpus-like sample", async () => {
  const { files } = await loadContentTree(root);
  const diagnostics = await analyzeContentQueries(files, { root, cache: false, workers: 1 });
  it("loads every sample", () => {
    expect(files.length).toBe(7);
  });
  it.each(files.map((f) => [f.path, f.absolutePath]))("%s reports exactly its expected codes", (file, absolutePath) => {
    const codes = diagnostics.filter((d) => d.file === file && d.severity === "error").map((d) => d.code).sort();
    expect(codes).toEqual(expectedCodes(absolutePath));
  });
  it("explains a union type split", () => {
    const split = diagnostics.find((d) => d.file.endsWith("union-type-split.yaml"));
    expect(split?.hint).toMatch(/FileHashCustomEntity_string and FileHashCustomEntity_dynamic/);
  });
});
