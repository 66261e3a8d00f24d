import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cacheDir, cacheKey, openAnalysisCache, referencedEnvironment } from "./analysis-cache.ts";
import type { AnalysisEnvironment } from "./analyzer.ts";

const environment: AnalysisEnvironment = {
  tables: [{ name: "Chat_CL", columns: [{ name: "A", type: "string" }] }],
  functions: [
    { name: "Outer", parameters: [], body: "Inner | where A == 'x'" },
    { name: "Inner", parameters: [], body: "Chat_CL" },
    { name: "Unrelated", parameters: [], body: "print 1" },
  ],
  watchlists: [{ alias: "Admins", columns: ["Upn"] }],
  trackTables: ["Chat_CL"],
};
const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));
const tempRoot = (): string => {
  const root = mkdtempSync(path.join(tmpdir(), "kql-cache-"));
  roots.push(root);
  return root;
};

describe("referencedEnvironment", () => {
  it("follows function bodies and matches watchlist aliases case-insensitively", () => {
    const [tables, functions, watchlists, tracked] = referencedEnvironment("Outer | join (_GetWatchlist('admins')) on A", environment) as [
      { name: string }[],
      { name: string }[],
      { alias: string }[],
      string[],
    ];
    expect(tables.map((t) => t.name)).toEqual(["Chat_CL"]);
    expect(functions.map((f) => f.name)).toEqual(["Outer", "Inner"]);
    expect(watchlists.map((w) => w.alias)).toEqual(["Admins"]);
    expect(tracked).toEqual(["Chat_CL"]);
  });
});

describe("cacheKey", () => {
  const withBody = (name: string, body: string): AnalysisEnvironment => ({
    ...environment,
    functions: environment.functions.map((f) => (f.name === name ? { ...f, body } : f)),
  });
  it("changes when a function the query calls (even indirectly) changes", () => {
    expect(cacheKey("Outer", withBody("Inner", "Chat_CL | take 1"))).not.toBe(cacheKey("Outer", environment));
  });
  it("does not change when an unrelated function changes", () => {
    expect(cacheKey("Outer", withBody("Unrelated", "print 2"))).toBe(cacheKey("Outer", environment));
  });
  it("changes with the custom tables when the query is a `union *`", () => {
    const other: AnalysisEnvironment = { ...environment, tables: [{ name: "Chat_CL", columns: [{ name: "A", type: "long" }] }] };
    expect(cacheKey("union * | take 1", other)).not.toBe(cacheKey("union * | take 1", environment));
  });
  it("changes with the query text", () => {
    expect(cacheKey("Outer | take 1", environment)).not.toBe(cacheKey("Outer", environment));
  });
});

describe("openAnalysisCache", () => {
  const analysis = { diagnostics: [], resultColumns: [{ name: "A", type: "string" }] };
  it("stores and reads back an analysis, leaving no temporary files", () => {
    const root = tempRoot();
    const cache = openAnalysisCache(root);
    const key = cacheKey("Chat_CL", environment);
    expect(cache.get(key)).toBeUndefined();
    cache.set(key, analysis);
    expect(openAnalysisCache(root).get(key)).toEqual(analysis);
    const files = readdirSync(path.join(cacheDir(root), key.slice(0, 2)));
    expect(files).toEqual([`${key}.json`]);
  });
  it("treats a corrupt entry as a miss", () => {
    const root = tempRoot();
    const cache = openAnalysisCache(root);
    const key = "ab".padEnd(64, "0");
    cache.set(key, analysis);
    writeFileSync(path.join(cacheDir(root), "ab", `${key}.json`), "{ not json");
    expect(cache.get(key)).toBeUndefined();
  });
});
