import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RecentIds } from "./recent-ids.ts";
import { FileStateStore, InvalidStateError, MemoryStateStore, checkCursorsNotAhead, parseState, type CollectorState } from "./state.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "sc-state-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const state: CollectorState = {
  version: 1,
  source: "chatgpt",
  principalId: "ws-1",
  stream: "Custom-ChatGPTComplianceRaw",
  cursors: { AUDIT_LOG: { after: "2026-11-20T00:00:00Z", files: { f1: { lines: 3, done: true } }, recentIds: ["a", "b"] } },
};

describe("state file", () => {
  it("round-trips and leaves no temp files behind", async () => {
    const store = new FileStateStore(path.join(dir, "sub", "state.json"));
    expect(await store.load()).toBeUndefined();
    await store.save(state);
    await store.save({ ...state, pending: { eventType: "AUDIT_LOG", eventIds: ["c"], progress: {} } });
    expect((await store.load())?.pending?.eventIds).toEqual(["c"]);
    expect(readdirSync(path.join(dir, "sub"))).toEqual(["state.json"]);
  });

  it.each([
    ["not JSON", "{", /not valid JSON/],
    ["wrong version", JSON.stringify({ ...state, version: 2 }), /version/],
    ["bad cursor time", JSON.stringify({ ...state, cursors: { A: { after: "yesterday", files: {}, recentIds: [] } } }), /ISO-8601/],
    ["bad progress", JSON.stringify({ ...state, cursors: { A: { after: "2026-11-20T00:00:00Z", files: { f: { lines: "3" } }, recentIds: [] } } }), /lines: number/],
    ["bad ids", JSON.stringify({ ...state, cursors: { A: { after: "2026-11-20T00:00:00Z", files: {}, recentIds: [1] } } }), /recentIds/],
    ["bad pending", JSON.stringify({ ...state, pending: { eventType: "A" } }), /pending/],
    ["a negative line counter", JSON.stringify({ ...state, cursors: { A: { after: "2026-11-20T00:00:00Z", files: { f: { lines: -4, done: false } }, recentIds: [] } } }), /whole number ≥ 0/],
    ["a fractional line counter", JSON.stringify({ ...state, cursors: { A: { after: "2026-11-20T00:00:00Z", files: { f: { lines: 1.5, done: false } }, recentIds: [] } } }), /whole number ≥ 0/],
    ["an absurd line counter", JSON.stringify({ ...state, cursors: { A: { after: "2026-11-20T00:00:00Z", files: { f: { lines: 1e300, done: false } }, recentIds: [] } } }), /whole number ≥ 0/],
    ["pending ids that are not strings", JSON.stringify({ ...state, pending: { eventType: "A", eventIds: [7], progress: {} } }), /pending\.eventIds/],
  ])("rejects %s", async (_label, text, message) => {
    const file = path.join(dir, "state.json");
    writeFileSync(file, text);
    await expect(new FileStateStore(file).load()).rejects.toThrow(message);
    await expect(new FileStateStore(file).load()).rejects.toBeInstanceOf(InvalidStateError);
  });

  it.each([
    ["a directory", () => dir, /is a directory, not a state file/],
    ["a device", () => "/dev/zero", /not a regular file/],
  ])("refuses %s as the state file with a clear error, never a crash or a hang", async (_label, file, message) => {
    await expect(new FileStateStore(file()).load()).rejects.toThrow(message);
    await expect(new FileStateStore(file()).load()).rejects.toBeInstanceOf(InvalidStateError);
  });

  it("refuses a cursor later than now (plus clock skew), which would skip every event until then", () => {
    const ahead = { ...state, cursors: { AUDIT_LOG: { after: "2099-01-01T00:00:00Z", files: {}, recentIds: [] } } };
    expect(() => checkCursorsNotAhead(ahead, new Date("2026-11-25T00:00:00Z"))).toThrow(/cursors\.AUDIT_LOG\.after is 2099-01-01T00:00:00Z, later than now/);
    expect(() => checkCursorsNotAhead(state, new Date("2026-11-20T00:00:00Z"))).not.toThrow();
  });

  it("removes the temp files a killed run left beside the state file, and only those", async () => {
    const file = path.join(dir, "state.json");
    writeFileSync(path.join(dir, "state.json.4194304.0badcafe.tmp"), "{");
    writeFileSync(path.join(dir, `state.json.${process.pid}.12345678.tmp`), "{");
    writeFileSync(path.join(dir, "other.json.4194304.0badcafe.tmp"), "{");
    expect(await new FileStateStore(file).load()).toBeUndefined();
    expect(readdirSync(dir).sort()).toEqual(["other.json.4194304.0badcafe.tmp", `state.json.${process.pid}.12345678.tmp`]);
  });

  it("parses a good state and the memory store copies values", async () => {
    expect(parseState(JSON.parse(JSON.stringify(state)))).toEqual(state);
    const memory = new MemoryStateStore(state);
    const loaded = await memory.load();
    loaded!.cursors.AUDIT_LOG!.after = "changed";
    expect((await memory.load())?.cursors.AUDIT_LOG?.after).toBe("2026-11-20T00:00:00Z");
  });

  it("writes the state file readable by its owner only", async () => {
    const file = path.join(dir, "state.json");
    await new FileStateStore(file).save(state);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(state);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe("recent ids", () => {
  it("forgets the oldest beyond its capacity and refreshes re-added ids", () => {
    const ids = new RecentIds(3, ["a", "b", "c"]);
    ids.add("a");
    ids.add("d");
    expect(ids.toArray()).toEqual(["c", "a", "d"]);
    expect(ids.has("b")).toBe(false);
  });
});
