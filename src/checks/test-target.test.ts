import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { targetPathOf } from "../content/test-target.ts";
import { loadFile } from "../load/index.ts";
import { testTargetPath } from "./test-target.ts";
import { removedAfterAll } from "../files/test-support.ts";

// the temporary folders this file makes, removed after its tests
const temporaryFolders = removedAfterAll();

/** A repository holding `files` (repo-relative) and a tests file; the tests file as loaded. */
function loadedTests(testsName: string, targetLine: string, files: string[]) {
  const root = mkdtempSync(path.join(tmpdir(), "test-target-"));
  temporaryFolders.push(root);
  mkdirSync(path.join(root, "parsers"));
  for (const file of files) writeFileSync(path.join(root, file), "id: x\n");
  writeFileSync(path.join(root, "parsers", testsName), `${targetLine}cases: []\n`);
  const { file } = loadFile(path.join(root, "parsers", testsName), root);
  if (!file) throw new Error("the tests file did not load");
  return { file, existing: new Set(files) };
}

describe("validate resolves a tests file's target as the harness does", () => {
  it.each([
    { name: "a .tests.yml beside a .yaml", tests: "p.tests.yml", target: "", files: ["parsers/p.yaml"], path: "parsers/p.yaml" },
    { name: "a .tests.yml beside only a .yml", tests: "p.tests.yml", target: "", files: ["parsers/p.yml"], path: "parsers/p.yml" },
    { name: "a .tests.yaml beside only a .yml", tests: "p.tests.yaml", target: "", files: ["parsers/p.yml"], path: "parsers/p.yml" },
    { name: "an explicit target", tests: "p.tests.yaml", target: "target: q.yaml\n", files: ["parsers/q.yaml"], path: "parsers/q.yaml" },
  ])("$name", ({ tests, target, files, path: expected }) => {
    const { file, existing } = loadedTests(tests, target, files);
    expect(testTargetPath(file)).toBe(expected);
    expect(targetPathOf(file.path, (file.data as { target?: unknown }).target, { files: existing })).toBe(expected);
  });
});
