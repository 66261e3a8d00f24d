import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isRecord, recordsOf } from "./record.ts";

const SRC = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [full] : [];
  });
}

describe("isRecord", () => {
  it.each([
    [{}, true],
    [{ a: 1 }, true],
    [[], false],
    [null, false],
    [undefined, false],
    ["text", false],
    [3, false],
  ])("%j is a mapping: %s", (value, expected) => {
    expect(isRecord(value)).toBe(expected);
  });

  it.each([
    [[{ a: 1 }, null, [], "x", { b: 2 }], [{ a: 1 }, { b: 2 }]],
    [{ a: 1 }, []],
    [undefined, []],
  ])("recordsOf(%j) is %j", (value, expected) => {
    expect(recordsOf(value)).toEqual(expected);
  });

  it("is the one mapping predicate of src/: no other module defines its own", () => {
    const predicate = /\(\w+: unknown\): \w+ is (Record<string, unknown>|Doc\b)/;
    const copies = sourceFiles(SRC)
      .filter((file) => predicate.test(readFileSync(file, "utf8")))
      .map((file) => path.relative(SRC, file).split(path.sep).join("/"));
    expect(copies).toEqual(["content/record.ts"]);
  });
});
