import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * The stages of `src/`, lowest first (docs/design/stages.md). A file may import its own stage and any
 * stage on a lower level; folders on the same level are independent places and never import each other.
 */
const LEVELS: readonly (readonly string[])[] = [
  ["files"],
  ["diagnostics"],
  ["content"],
  ["load"],
  ["schema"],
  ["repository"],
  ["profiles"],
  ["checks"],
  ["kql"],
  ["engine"],
  ["testing", "ingest"],
  ["validate"],
  ["build"],
  ["deploy"],
  ["import", "docs", "scaffold", "replay"],
  ["cli"],
  ["index.ts"],
];

/** Upward imports kept on purpose, each with the reason it stays (paths relative to `src/`). */
const EXCEPTIONS: readonly { from: string; to: string; reason: string }[] = [];

const SRC = path.dirname(fileURLToPath(import.meta.url));

/** A relative import of one source file: importer and target, both relative to `src/` with `/` separators. */
interface Edge {
  from: string;
  to: string;
}

function sourceFiles(dir: string, withTests = false): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sourceFiles(full, withTests);
    return entry.name.endsWith(".ts") && (withTests || !entry.name.endsWith(".test.ts")) ? [full] : [];
  });
}

function relative(file: string): string {
  return path.relative(SRC, file).split(path.sep).join("/");
}

/** Static imports, re-exports and dynamic `import("…")` with a relative specifier that stays inside `src/`. */
function importsOf(file: string): Edge[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
  return importedFiles
    .map((ref) => ref.fileName)
    .filter((name) => name.startsWith("."))
    .map((name) => relative(path.resolve(path.dirname(file), name)))
    .filter((target) => !target.startsWith(".."))
    .map((to) => ({ from: relative(file), to }));
}

/** The stage of a path relative to `src/`: its first folder, or the file name for a file at the top. */
function stageOf(relativePath: string): string {
  return relativePath.split("/")[0]!;
}

function levelOf(stage: string): number {
  return LEVELS.findIndex((level) => level.includes(stage));
}

function goesUpward(edge: Edge): boolean {
  const from = stageOf(edge.from);
  const to = stageOf(edge.to);
  return from !== to && levelOf(to) >= levelOf(from);
}

const files = sourceFiles(SRC);
const edges = files.flatMap(importsOf);
const isException = (edge: Edge): boolean => EXCEPTIONS.some((e) => e.from === edge.from && e.to === edge.to);

describe("stages import downwards only", () => {
  it("places every folder and top-level file of src/ on a level", () => {
    const unplaced = [...new Set(files.map((file) => stageOf(relative(file))))].filter((stage) => levelOf(stage) < 0);
    expect(unplaced).toEqual([]);
  });

  it("finds imports to check", () => {
    expect(edges.some((edge) => goesUpward(edge) === false && stageOf(edge.from) !== stageOf(edge.to))).toBe(true);
  });

  it("has no upward import outside the declared exceptions", () => {
    const upward = edges.filter((edge) => goesUpward(edge) && !isException(edge)).map((edge) => `${edge.from} -> ${edge.to}`);
    expect(upward).toEqual([]);
  });

  it("declares only exceptions that still exist and still go upward", () => {
    const stale = EXCEPTIONS.filter((e) => !edges.some((edge) => edge.from === e.from && edge.to === e.to && goesUpward(edge)));
    expect(stale).toEqual([]);
  });

  it.each([
    { name: "a static import", text: 'import { a } from "../deploy/x.ts";', targets: ["deploy/x.ts"] },
    { name: "a type-only import", text: 'import type { A } from "./y.ts";', targets: ["build/y.ts"] },
    { name: "a re-export", text: 'export * from "../kql/index.ts";', targets: ["kql/index.ts"] },
    { name: "a dynamic import", text: 'const m = await import("../testing/z.ts");', targets: ["testing/z.ts"] },
    { name: "a package import (ignored)", text: 'import YAML from "yaml";', targets: [] },
    { name: "an import in a comment (ignored)", text: '// import("../deploy/x.ts")', targets: [] },
  ])("reads $name", ({ text, targets }) => {
    const { importedFiles } = ts.preProcessFile(text, true, true);
    const found = importedFiles.filter((ref) => ref.fileName.startsWith(".")).map((ref) => relative(path.resolve(SRC, "build", ref.fileName)));
    expect(found).toEqual(targets);
  });

  it.each([
    { edge: { from: "build/a.ts", to: "deploy/b.ts" }, upward: true },
    { edge: { from: "deploy/a.ts", to: "build/b.ts" }, upward: false },
    { edge: { from: "testing/a.ts", to: "ingest/b.ts" }, upward: true },
    { edge: { from: "build/a.ts", to: "build/b.ts" }, upward: false },
    { edge: { from: "load/a.ts", to: "index.ts" }, upward: true },
  ])("judges $edge.from -> $edge.to upward: $upward", ({ edge, upward }) => {
    expect(goesUpward(edge)).toBe(upward);
  });
});

/** The engine's one entry point: every other stage (tests and scripts included) imports the engine through it. */
const ENGINE_DOOR = "engine/index.ts";

/** Imports from outside `src/engine/` that reach past engine/index.ts into the engine's modules. */
function deepEngineImports(edgesToCheck: readonly Edge[]): string[] {
  return edgesToCheck.filter((edge) => stageOf(edge.from) !== "engine" && stageOf(edge.to) === "engine" && edge.to !== ENGINE_DOOR).map((edge) => `${edge.from} -> ${edge.to}`);
}

/** The imports of the scripts (`scripts/**.ts`) that land in `src/`, as edges relative to `src/` (the importer keeps a `../scripts/` prefix). */
function scriptEdges(): Edge[] {
  const scripts = path.join(SRC, "..", "scripts");
  return sourceFiles(scripts, true).flatMap(importsOfAny);
}

/** Like importsOf, for a file anywhere in the checkout: relative imports that land in `src/`. */
function importsOfAny(file: string): Edge[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
  return importedFiles
    .filter((ref) => ref.fileName.startsWith("."))
    .map((ref) => ({ from: relative(file), to: relative(path.resolve(path.dirname(file), ref.fileName)) }))
    .filter((edge) => !edge.to.startsWith(".."));
}

describe("the engine is entered through engine/index.ts only", () => {
  it("finds engine imports to check", () => {
    expect(sourceFiles(SRC, true).flatMap(importsOfAny).some((edge) => edge.to === ENGINE_DOOR && stageOf(edge.from) !== "engine")).toBe(true);
  });

  it("has no import from another stage, a test or a script into the engine's inner modules", () => {
    expect(deepEngineImports([...sourceFiles(SRC, true).flatMap(importsOfAny), ...scriptEdges()])).toEqual([]);
  });

  it.each([
    { edge: { from: "testing/a.ts", to: "engine/index.ts" }, deep: false },
    { edge: { from: "testing/a.test.ts", to: "engine/run-query.ts" }, deep: true },
    { edge: { from: "../scripts/bench/engine.ts", to: "engine/values.ts" }, deep: true },
    { edge: { from: "engine/planner/a.ts", to: "engine/values.ts" }, deep: false },
    { edge: { from: "cli/a.ts", to: "kql/index.ts" }, deep: false },
  ])("judges $edge.from -> $edge.to deep: $deep", ({ edge, deep }) => {
    expect(deepEngineImports([edge])).toEqual(deep ? [`${edge.from} -> ${edge.to}`] : []);
  });
});
