import { spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { ExitError } from "../diagnostics/errors.ts";
import { FORMATS, parseFormat } from "./formats.ts";
import { buildProgram, endQuietlyWhenReaderCloses, main, toolVersion } from "./main.ts";
import { colourEnabled, ProgressLine, styler } from "./terminal.ts";

function helpOf(command: Command): string {
  let text = "";
  command.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
  command.outputHelp();
  return text;
}

function everyCommand(command: Command, prefix = ""): [string, Command][] {
  return command.commands.flatMap((c) => [[`${prefix}${c.name()}`, c] as [string, Command], ...everyCommand(c, `${prefix}${c.name()} `)]);
}

describe("sentinel-content --help", () => {
  it("shows examples for the program and for every command", async () => {
    const program = await buildProgram();
    const commands = [["(program)", program] as [string, Command], ...everyCommand(program)];
    expect(commands.length).toBeGreaterThan(10);
    const without = commands.filter(([, command]) => !/\nExamples:\n {2}\$ sentinel-content /.test(helpOf(command))).map(([name]) => name);
    expect(without).toEqual([]);
  });

  it("prints the package version with --version", async () => {
    let out = "";
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string) => ((out += chunk), true)) as typeof process.stdout.write;
    try {
      expect(await main(["node", "sentinel-content", "--version"])).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    expect(out).toBe(`${toolVersion()}\n`);
    expect(toolVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe("parseFormat", () => {
  it.each([
    ["text", ["text", "json"], "text"],
    ["human", ["text", "json", "sarif"], "text"],
    ["pretty", ["text", "json", "junit"], "text"],
    ["table", ["text", "json"], "text"],
    ["sarif", ["text", "json", "sarif"], "sarif"],
  ] as const)("%s among %j is %s", (value, accepted, format) => {
    expect(parseFormat(value, accepted)).toBe(format);
  });

  it("refuses a format the command does not write, naming the ones it does", () => {
    expect(() => parseFormat("junit", ["text", "json"])).toThrow(new ExitError(2, '--format must be one of text, json, not "junit"'));
  });

  it("keeps one vocabulary: every command's formats come from FORMATS", async () => {
    const program = await buildProgram();
    const used = everyCommand(program).flatMap(([, c]) => c.options.filter((o) => o.long === "--format").map((o) => /: (.*)$/.exec(o.description)?.[1] ?? ""));
    expect(used.length).toBeGreaterThanOrEqual(5);
    for (const list of used) for (const name of list.split(", ")) expect(FORMATS).toContain(name);
  });
});

describe("terminal output", () => {
  it.each([
    [{ isTTY: true }, {}, true],
    [{ isTTY: false }, {}, false],
    [{ isTTY: true }, { NO_COLOR: "1" }, false],
    [{ isTTY: false }, { FORCE_COLOR: "1" }, true],
    [{ isTTY: true }, { FORCE_COLOR: "0" }, false],
  ])("colour for %j with %j: %s", (stream, env, expected) => {
    expect(colourEnabled(stream, env)).toBe(expected);
  });

  it("styles text only when colour is on", () => {
    expect(styler({ isTTY: false }, {})("red", "FAIL")).toBe("FAIL");
    expect(styler({ isTTY: true }, {})("red", "FAIL")).toBe("\u001b[31mFAIL\u001b[39m");
  });

  it("rewrites a progress line on a terminal and writes nothing elsewhere", () => {
    const written: string[] = [];
    const tty = new ProgressLine({ isTTY: true, write: (t: string) => written.push(t) > 0 });
    tty.update("1/2 cases");
    tty.clear();
    expect(written).toEqual(["\r\u001b[2K1/2 cases", "\r\u001b[2K"]);
    const pipe: string[] = [];
    const plain = new ProgressLine({ isTTY: false, write: (t: string) => pipe.push(t) > 0 });
    plain.update("1/2 cases");
    plain.clear();
    expect(pipe).toEqual([]);
  });
});

describe("a closed stdout (sentinel-content … | head)", () => {
  const BIN = fileURLToPath(new URL("../../bin/sentinel-content.js", import.meta.url));

  it("ends the process with exit code 0 and nothing on stderr", async () => {
    const child = spawn(process.execPath, [BIN, "validate", "--help"], { stdio: ["ignore", "pipe", "pipe"] });
    // the reader goes before the help is written, as `head -1` does after its first line
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).toBe("");
    expect(code).toBe(0);
  }, 30_000);

  // a replay refused for its --from (SC5044) ends before the replay modules load: the restarted process is all it costs
  it("keeps a replay's exit status and messages through its restart with a larger young generation", async () => {
    const child = spawn(process.execPath, [BIN, "replay", "no-such-folder", "--from", "soon", "--to", "2026-11-17T00:00:00Z"], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).toContain('error SC5044: --from "soon" is not an ISO 8601 UTC datetime');
    expect(code).toBe(2);
  }, 30_000);

  it("exits 0 on EPIPE, keeps other write errors, and listens once however often it is installed", () => {
    const stream = new EventEmitter();
    const exits: number[] = [];
    endQuietlyWhenReaderCloses(stream, (code) => exits.push(code));
    endQuietlyWhenReaderCloses(stream, (code) => exits.push(code));
    expect(stream.listenerCount("error")).toBe(1);
    stream.emit("error", Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
    expect(exits).toEqual([0]);
    expect(() => stream.emit("error", Object.assign(new Error("no space left"), { code: "ENOSPC" }))).toThrow("no space left");
  });
});
