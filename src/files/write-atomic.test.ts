import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeFileAtomic, writeFileAtomicSync } from "./write-atomic.ts";

let dir = "";
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "write-atomic-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("writeFileAtomic", () => {
  it("creates missing folders, replaces the file, leaves no temp file and is owner-only by default", async () => {
    const file = path.join(dir, "a", "b", "state.json");
    await writeFileAtomic(file, "one");
    await writeFileAtomic(file, "two");
    expect(readFileSync(file, "utf8")).toBe("two");
    expect(readdirSync(path.dirname(file))).toEqual(["state.json"]);
    expect(statSync(file).mode & 0o077).toBe(0);
  });
});

describe("writeFileAtomicSync", () => {
  it("replaces the file and leaves no temp file", () => {
    const file = path.join(dir, "report.sarif");
    writeFileSync(file, "old");
    writeFileAtomicSync(file, "new");
    expect(readFileSync(file, "utf8")).toBe("new");
    expect(readdirSync(dir)).toEqual(["report.sarif"]);
  });

  it("throws when the folder does not exist, and writes nothing", () => {
    expect(() => writeFileAtomicSync(path.join(dir, "missing", "x.json"), "{}")).toThrow(/ENOENT/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("leaves no temp file when the rename fails (a folder stands where the file should go)", () => {
    mkdirSync(path.join(dir, "taken"));
    expect(() => writeFileAtomicSync(path.join(dir, "taken"), "text")).toThrow();
    expect(readdirSync(dir)).toEqual(["taken"]);
  });
});
