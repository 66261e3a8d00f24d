import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RecentIds } from "./recent-ids.ts";
import { FileStateStore, InvalidStateError, MemoryStateStore, parseState, type CollectorState } from "./state.ts";

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
  ])("rejects %s", async (_label, text, message) => {
    const file = path.join(dir, "state.json");
    writeFileSync(file, text);
    await expect(new FileStateStore(file).load()).rejects.toThrow(message);
    await expect(new FileStateStore(file).load()).rejects.toBeInstanceOf(InvalidStateError);
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
