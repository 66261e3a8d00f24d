import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadFile, loadText, repoRelativePath } from "./load-file.ts";
import { loadContentTree } from "./load-tree.ts";
import { removedAfterAll } from "../files/test-support.ts";

// the temporary folders this file makes, removed after its tests
const temporaryFolders = removedAfterAll();

const badInput = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../test/fixtures/bad-input");

describe("loadFile on bad input", () => {
  it.each([
    ["malformed.yaml", "SC1001", "2:7"],
    ["alias-bomb.yaml", "SC1007", "2:8"],
    ["duplicate-keys.yaml", "SC1002", "3:1"],
    ["empty.yaml", "SC1006", "1:1"],
    ["binary.yaml", "SC1004", "2:7"],
    ["latin1.yaml", "SC1005", "2:10"],
  ])("%s → %s at %s, no file", (name, code, position) => {
    const result = loadFile(path.join(badInput, "analytics-rules", name), badInput);
    expect(result.file).toBeUndefined();
    expect(result.diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`)).toEqual([`${code} ${position}`]);
    expect(result.diagnostics[0]?.file).toBe(`analytics-rules/${name}`);
  });

  it("loads a file with wrong types (the schema, not the loader, reports those)", () => {
    const result = loadFile(path.join(badInput, "analytics-rules", "wrong-types.yaml"), badInput);
    expect(result.diagnostics).toEqual([]);
    expect(result.file?.kind).toBe("analytic-rule");
    expect((result.file?.data as { name: unknown }).name).toEqual(["not", "a", "string"]);
  });

  it("rejects a multi-MB file by size without parsing it", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "load-"));
    temporaryFolders.push(dir);
    mkdirSync(path.join(dir, "analytics-rules"));
    const big = path.join(dir, "analytics-rules", "big.yaml");
    writeFileSync(big, `query: |\n${"  T | where x == 1\n".repeat(200_000)}`);
    const result = loadFile(big, dir);
    expect(result.file).toBeUndefined();
    expect(result.diagnostics).toMatchObject([{ code: "SC1003", line: 1, col: 1, file: "analytics-rules/big.yaml" }]);
    expect(result.diagnostics[0]?.message).toMatch(/3\.6 MB, larger than the 2\.0 MB limit/);
  });

  it("reports a missing file as unreadable", () => {
    const result = loadFile(path.join(badInput, "analytics-rules", "nope.yaml"), badInput);
    expect(result.diagnostics).toMatchObject([{ code: "SC1008" }]);
  });

  it("reports a YAML file outside the content folders unless a kind is forced", () => {
    const file = path.join(badInput, "analytics-rules", "wrong-types.yaml");
    expect(loadFile(file, path.dirname(file)).diagnostics).toMatchObject([{ code: "SC1010" }]);
    expect(loadFile(file, path.dirname(file), { kind: "hunting-query" }).file?.kind).toBe("hunting-query");
  });
});

describe("loadText", () => {
  it.each([
    ["comments only", "# nothing here\n", "SC1006", "1:1"],
    ["whitespace only", "  \n\n", "SC1006", "1:1"],
    ["two documents", "a: 1\n---\nb: 2\n", "SC1001", "2:1"],
    ["bad indentation", "a:\n  b: 1\n c: 2\n", "SC1001", "3:1"],
    ["tab indentation", "a:\n\tb: 1\n", "SC1001", "2:1"],
    ["duplicate nested key", "a:\n  b: 1\n  b: 2\n", "SC1002", "3:3"],
    ["duplicate key in a flow map", "a: { b: 1, b: 2 }\n", "SC1002", "1:12"],
    ["number keys compare by value", "1: a\n1: b\n", "SC1002", "2:1"],
    ["unclosed single quote in a sequence", "a:\n  - 'x'\n  - 'y\n", "SC1001", "3:5"],
    ["unclosed double quote, value in a flow map", 'a: { b: "x }\n', "SC1001", "1:9"],
  ])("%s → %s at %s", (_name, text, code, position) => {
    const result = loadText(text, "x.yaml", "analytic-rule");
    expect(result.file).toBeUndefined();
    expect(result.diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`)[0]).toBe(`${code} ${position}`);
  });

  it("reports nesting too deep for the parser as a finding, not a crash", () => {
    const result = loadText(`a: ${"[".repeat(20000)}${"]".repeat(20000)}\n`, "x.yaml", "analytic-rule");
    expect(result.diagnostics[0]).toMatchObject({ code: "SC1001", line: 1, message: "the YAML is nested too deeply to parse" });
  });

  it("finds a duplicate among many keys without comparing every pair", () => {
    const text = `${Array.from({ length: 20000 }, (_, i) => `k${i}: ${i}`).join("\n")}\nk7: again\n`;
    expect(loadText(text, "x.yaml", "parser").diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`)).toEqual(["SC1002 20001:1"]);
  });

  it("tells apart keys that only look alike", () => {
    expect(loadText("'1': a\n1: b\ntrue: c\n'true': d\n", "x.yaml", "parser").diagnostics).toEqual([]);
  });

  it("parses with the YAML 1.2 core schema (version strings and dates stay strings)", () => {
    const { file } = loadText("version: 1.0.0\nLastUpdated: 2026-11-25\nflag: yes\n", "x.yaml", "parser");
    expect(file?.data).toEqual({ version: "1.0.0", LastUpdated: "2026-11-25", flag: "yes" });
  });

  it("keeps a UTF-8 BOM out of the data", () => {
    const { file } = loadText("\ufeffid: 1\n", "x.yaml", "parser");
    expect(file?.data).toEqual({ id: 1 });
  });
});

describe("repoRelativePath", () => {
  it.each([
    ["/repo/analytics-rules/a.yaml", "/repo", "analytics-rules/a.yaml"],
    ["/elsewhere/a.yaml", "/repo", "/elsewhere/a.yaml"],
  ])("%s under %s → %s", (absolutePath, root, expected) => {
    expect(repoRelativePath(absolutePath, root)).toBe(expected);
  });
});

describe("loadContentTree", () => {
  it("loads every content folder, skipping fixtures, snapshots, node_modules and non-YAML files", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tree-"));
    temporaryFolders.push(dir);
    const write = (relative: string, text: string) => {
      mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
      writeFileSync(path.join(dir, relative), text);
    };
    write("analytics-rules/aoai/rule.yaml", "id: 1\n");
    write("analytics-rules/aoai/rule.tests.yaml", "cases: []\n");
    write("analytics-rules/aoai/rule.snap.yaml", "x: 1\n");
    write("analytics-rules/aoai/fixtures/rows.yaml", "x: 1\n");
    write("analytics-rules/aoai/notes.md", "# no\n");
    write("hunting-queries/node_modules/x.yaml", "x: 1\n");
    write("hunting-queries/h.yaml", "a: [\n");
    write("environments.yaml", "environments: {}\n");
    write("docs/other.yaml", "x: 1\n");
    const result = await loadContentTree(dir);
    expect(result.files.map((f) => `${f.path} ${f.kind}`)).toEqual([
      "analytics-rules/aoai/rule.tests.yaml tests",
      "analytics-rules/aoai/rule.yaml analytic-rule",
      "environments.yaml environments",
    ]);
    expect(result.diagnostics.map((d) => `${d.file} ${d.code}`)).toEqual(["hunting-queries/h.yaml SC1001"]);
  });

  it("keeps going over every bad file of a folder and reports each", async () => {
    const result = await loadContentTree(badInput, ["analytics-rules"]);
    expect(result.files.map((f) => f.path)).toEqual(["analytics-rules/wrong-types.yaml"]);
    expect(new Set(result.diagnostics.map((d) => d.code))).toEqual(new Set(["SC1001", "SC1002", "SC1004", "SC1005", "SC1006", "SC1007"]));
  });

  it("reports a missing path", async () => {
    const result = await loadContentTree(badInput, ["no-such-dir"]);
    expect(result.diagnostics).toMatchObject([{ code: "SC1008", file: "no-such-dir" }]);
  });
});
