import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildWarmStart, clearWarmStarts, warmStartArgs, warmStartBlob, warmStartDir, type WarmStartInputs } from "./warm-start.ts";
import { removedAfterAll } from "../files/test-support.ts";

// the temporary folders this file makes, removed after its tests
const temporaryFolders = removedAfterAll();

const ENTRY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../bin/warm-start-entry.cjs");

/**
 * Inputs with a stand-in Kusto.Language (two small scripts that define the namespace the builder initializes) and a
 * stand-in CLI module that prints its arguments and whether it found the namespace already loaded.
 */
function fakeInputs(): WarmStartInputs {
  const dir = mkdtempSync(path.join(tmpdir(), "warm-start-"));
  temporaryFolders.push(dir);
  const kustoDir = path.join(dir, "kusto");
  mkdirSync(kustoDir);
  writeFileSync(path.join(kustoDir, "bridge.min.js"), "globalThis.Bridge = { loaded: 1 };\n");
  writeFileSync(
    path.join(kustoDir, "Kusto.Language.Bridge.min.js"),
    "globalThis.Kusto = { Language: { GlobalState: { Default: {} }, KustoCode: { ParseAndAnalyze() { globalThis.Kusto.Language.warmed = true; } } } };\n",
  );
  const cliMain = path.join(dir, "main.mjs");
  writeFileSync(cliMain, 'export async function main(argv) { process.stdout.write(JSON.stringify({ argv: argv.slice(2), warmed: globalThis.Kusto?.Language?.warmed === true }) + "\\n"); return argv.includes("fail") ? 3 : 0; }\n');
  return { entry: ENTRY, cliMain, kustoDir };
}

describe("warmStartDir", () => {
  it.each([
    [{ SENTINEL_CONTENT_CACHE_DIR: "/c" }, "/c"],
    [{ XDG_CACHE_HOME: "/x" }, "/x/sentinel-content"],
  ])("%j → %s", (env, dir) => expect(warmStartDir(env)).toBe(dir));

  it("defaults to ~/.cache/sentinel-content", () => {
    expect(warmStartDir({})).toMatch(/\.cache[\\/]sentinel-content$/);
  });
});

describe("warm start", () => {
  it("builds a snapshot a process starts from, with Kusto.Language initialized before the CLI runs", () => {
    const inputs = fakeInputs();
    const cache = mkdtempSync(path.join(tmpdir(), "warm-cache-"));
    temporaryFolders.push(cache);
    expect(warmStartArgs(inputs, ["query"], cache)).toBeUndefined();
    const built = buildWarmStart(inputs, cache);
    expect(built).toMatchObject({ ok: true, blob: warmStartBlob(inputs, cache) });
    const args = warmStartArgs(inputs, ["query", "-", "fail"], cache);
    expect(args?.slice(0, 3)).toEqual(["--snapshot-blob", warmStartBlob(inputs, cache), "--"]);
    const run = spawnSync(process.execPath, args ?? [], { encoding: "utf8" });
    expect(JSON.parse(run.stdout)).toEqual({ argv: ["query", "-", "fail"], warmed: true });
    expect(run.status).toBe(3);
    // the CLI, not Node, answers --version and --help
    const version = spawnSync(process.execPath, warmStartArgs(inputs, ["--version"], cache) ?? [], { encoding: "utf8" });
    expect(JSON.parse(version.stdout)).toEqual({ argv: ["--version"], warmed: true });
    expect(readdirSync(cache)).toEqual([path.basename(warmStartBlob(inputs, cache))]);
  }, 60_000);

  it("never starts from a snapshot of an older Kusto.Language", () => {
    const inputs = fakeInputs();
    const before = warmStartBlob(inputs, "/c");
    const bundle = path.join(inputs.kustoDir, "Kusto.Language.Bridge.min.js");
    utimesSync(bundle, new Date(2030, 0, 1), new Date(2030, 0, 1));
    expect(warmStartBlob(inputs, "/c")).not.toBe(before);
  });

  it("refuses to build without the compiled CLI and leaves nothing behind", () => {
    const inputs = { ...fakeInputs(), cliMain: "/nowhere/dist/cli/main.js" };
    const cache = mkdtempSync(path.join(tmpdir(), "warm-cache-"));
    temporaryFolders.push(cache);
    expect(buildWarmStart(inputs, cache)).toEqual({ ok: false, message: expect.stringMatching(/main\.js is missing.*npm run build/) });
    expect(readdirSync(cache)).toEqual([]);
  });

  it("reports a builder that fails and leaves nothing behind", () => {
    const inputs = fakeInputs();
    writeFileSync(path.join(inputs.kustoDir, "Kusto.Language.Bridge.min.js"), "throw new Error('broken bundle');\n");
    const cache = mkdtempSync(path.join(tmpdir(), "warm-cache-"));
    temporaryFolders.push(cache);
    const result = buildWarmStart(inputs, cache);
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/building the snapshot failed/) });
    expect(readdirSync(cache)).toEqual([]);
  }, 60_000);

  it("clears only its own snapshots", () => {
    const cache = mkdtempSync(path.join(tmpdir(), "warm-cache-"));
    temporaryFolders.push(cache);
    writeFileSync(path.join(cache, "warm-start-0123456789abcdef.blob"), "");
    writeFileSync(path.join(cache, "notes.txt"), "");
    expect(clearWarmStarts(cache)).toBe(1);
    expect(readdirSync(cache)).toEqual(["notes.txt"]);
    expect(clearWarmStarts(path.join(cache, "missing"))).toBe(0);
    expect(existsSync(cache)).toBe(true);
  });
});
