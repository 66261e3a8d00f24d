import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { AlertSnapshot } from "../simulation/alerts.ts";
import { diffLines } from "./line-diff.ts";
import { diffSnapshot, readSnapshotFile, snapshotPathFor, writeSnapshotFile } from "./snapshots.ts";
import { removedAfterAll } from "../../files/test-support.ts";

// the temporary folders this file makes, removed after its tests
const temporaryFolders = removedAfterAll();

const alert: AlertSnapshot = {
  displayName: "Key used by alice",
  description: "d",
  severity: "High",
  tactics: ["InitialAccess"],
  techniques: [],
  entities: [{ type: "Account", identifiers: { Name: "alice" } }],
  customDetails: { Model: ["gpt-4o"] },
  grouping: "SingleAlert",
  events: 1,
};

describe("snapshot files", () => {
  it("sit beside the tests file", () => {
    expect(snapshotPathFor("analytics-rules/x/key.tests.yaml")).toBe("analytics-rules/x/key.snap.yaml");
  });

  it("round-trip, keep unrun cases, drop removed ones, and leave no temp files", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "snap-"));
    temporaryFolders.push(dir);
    const file = path.join(dir, "r.snap.yaml");
    writeSnapshotFile(file, ["a", "b"], new Map([["a", [alert]], ["b", []]]));
    writeSnapshotFile(file, ["a", "c"], new Map([["c", [{ ...alert, severity: "Low" }]]]));
    const { cases } = readSnapshotFile(file);
    expect([...cases.keys()]).toEqual(["a", "c"]);
    expect(diffSnapshot(cases.get("a"), [alert])).toBeUndefined();
    expect(readdirSync(dir)).toEqual(["r.snap.yaml"]);
    expect(readFileSync(file, "utf8")).toMatch(/^# Alert snapshots of r\.tests\.yaml/);
  });

  it("deletes a file left without entries", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "snap-"));
    temporaryFolders.push(dir);
    const file = path.join(dir, "r.snap.yaml");
    writeSnapshotFile(file, ["a"], new Map([["a", [alert]]]));
    writeSnapshotFile(file, [], new Map());
    expect(existsSync(file)).toBe(false);
  });

  it.each([
    ["- a\n- b\n", /must be a map/],
    ["a: [\n", /.+/],
  ])("reports unreadable snapshot %j", (text, error) => {
    const dir = mkdtempSync(path.join(tmpdir(), "snap-"));
    temporaryFolders.push(dir);
    const file = path.join(dir, "r.snap.yaml");
    writeFileSync(file, text);
    expect(readSnapshotFile(file).error).toMatch(error);
  });

  it("diffs a changed alert line by line", () => {
    const diff = diffSnapshot([alert], [{ ...alert, severity: "Low" }]);
    expect(diff).toMatch(/^- +severity: High$/m);
    expect(diff).toMatch(/^\+ +severity: Low$/m);
    expect(diff).toMatch(/^ +- displayName: Key used by alice$/m);
  });
});

describe("diffLines", () => {
  it.each([
    ["a\nb\nc", "a\nc", "  a\n- b\n  c"],
    ["a", "a\nb", "  a\n+ b"],
    ["x", "y", "+ y\n- x"],
  ])("%j → %j", (a, b, expected) => {
    expect(diffLines(a, b)).toBe(expected);
  });
});
