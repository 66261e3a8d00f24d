import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { changedSince, defaultBaseRef } from "./git-changes.ts";

function repo(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "git-"));
  const run = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "ignore" });
  run("init", "-q", "-b", "main");
  run("config", "user.email", "t@example.com");
  run("config", "user.name", "t");
  mkdirSync(path.join(dir, "parsers"));
  writeFileSync(path.join(dir, "parsers/p.yaml"), "ParserName: P\nParserQuery: T\n");
  writeFileSync(path.join(dir, "parsers/q.yaml"), "ParserName: Q\nParserQuery: T\n");
  run("add", ".");
  run("commit", "-qm", "base");
  run("checkout", "-qb", "topic");
  rmSync(path.join(dir, "parsers/p.yaml"));
  writeFileSync(path.join(dir, "parsers/q.yaml"), "ParserName: Q\nParserQuery: T | take 1\n");
  run("add", "-A");
  run("commit", "-qm", "change");
  writeFileSync(path.join(dir, "new.yaml"), "x: 1\n");
  return dir;
}

describe("changedSince", () => {
  it("lists committed, deleted (with their old text) and untracked files since the merge base", () => {
    const dir = repo();
    const changes = changedSince(dir, "main");
    expect(changes.paths).toEqual(["new.yaml", "parsers/p.yaml", "parsers/q.yaml"]);
    expect(changes.deletedText?.get("parsers/p.yaml")).toMatch(/ParserName: P/);
    expect(defaultBaseRef(dir)).toBe("main");
  });

  it("throws on an unknown base", () => {
    expect(() => changedSince(repo(), "no-such-ref")).toThrow();
  });
});
