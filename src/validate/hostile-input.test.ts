// The hostile-input corpus: well over 100 files that try to crash, hang, exhaust memory or escape the repository.
// Each one must end as findings with an exact code, in bounded time, with the process staying under 1 GB.
// The files are generated here (a 300 MB file is a sparse file: it takes no disk space and is never read).
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../cli/main.ts";
import { removedAfterAll } from "../files/test-support.ts";

// the temporary folders this file makes, removed after its tests
const temporaryFolders = removedAfterAll();

interface Report {
  diagnostics: { code: string; file: string; line: number; col: number; message: string }[];
}

/** One corpus entry: where it goes under the root, how to make it, and the exact set of codes it must produce. */
interface HostileFile {
  path: string;
  make: (absolutePath: string) => void;
  codes: readonly string[];
}

const GB = 1024 * 1024 * 1024;
const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../bin/sentinel-content.js");
const RULES = "analytics-rules/hostile";

const bytes = (content: Uint8Array | string) => (file: string) => writeFileSync(file, content);
const rule = (name: string, content: Uint8Array | string, codes: readonly string[]): HostileFile => ({ path: `${RULES}/${name}.yaml`, make: bytes(content), codes });
const sparse = (size: number) => (file: string) => {
  writeFileSync(file, "");
  truncateSync(file, size);
};

/** Valid UTF-8 text around one hostile byte sequence. */
const around = (...hostile: number[]) => Uint8Array.from([...Buffer.from("name: x\nquery: T"), ...hostile, ...Buffer.from("\n")]);

const ENCODINGS: HostileFile[] = [
  rule("utf16le-bom", Uint8Array.from([0xff, 0xfe, 0x6e, 0x00, 0x3a, 0x00]), ["SC1005"]),
  rule("utf16be-bom", Uint8Array.from([0xfe, 0xff, 0x00, 0x6e, 0x00, 0x3a]), ["SC1005"]),
  ...[
    ["latin1-e9", [0xe9]],
    ["lone-continuation", [0x80]],
    ["byte-ff", [0xff]],
    ["byte-fe", [0xfe]],
    ["overlong-slash", [0xc0, 0xaf]],
    ["overlong-3-byte", [0xe0, 0x80, 0xaf]],
    ["surrogate-d800", [0xed, 0xa0, 0x80]],
    ["above-10ffff", [0xf4, 0x90, 0x80, 0x80]],
    ["lead-f5", [0xf5, 0x80, 0x80, 0x80]],
    ["truncated-3-byte", [0xe2, 0x82]],
    ["truncated-4-byte", [0xf0, 0x9f, 0x98]],
    ["bad-second-continuation", [0xe2, 0x28, 0xa1]],
  ].map(([name, seq]) => rule(name as string, around(...(seq as number[])), ["SC1005"])),
];

/** NUL and every C0 control character except tab, line feed and carriage return, plus DEL. */
const CONTROL_BYTES = [0x00, ...Array.from({ length: 0x20 }, (_, i) => i).filter((b) => b !== 0 && b !== 0x09 && b !== 0x0a && b !== 0x0d), 0x7f];
const BINARY: HostileFile[] = [
  ...CONTROL_BYTES.map((b) => rule(`control-${b.toString(16).padStart(2, "0")}`, around(b), ["SC1004"])),
  rule("nul-first", Uint8Array.from([0x00, 0x61, 0x3a, 0x20, 0x31]), ["SC1004"]),
  rule("png-header", Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]), ["SC1004"]),
  rule("elf-header", Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), ["SC1004"]),
  rule("gzip-header", Uint8Array.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00]), ["SC1004"]),
];

const EMPTY: HostileFile[] = [
  rule("empty", "", ["SC1006"]),
  rule("spaces", "   \n\n  \n", ["SC1006"]),
  rule("comment-only", "# nothing here\n", ["SC1006"]),
  rule("document-marker-only", "---\n", ["SC1006"]),
  rule("document-end-only", "---\n...\n", ["SC1006"]),
];

/** Alias bombs of growing width and depth (each level multiplies the expansion). */
const bomb = (width: number, depth: number) => {
  const lines = [`l0: &l0 [${Array(width).fill('"lol"').join(",")}]`];
  for (let d = 1; d <= depth; d++) lines.push(`l${d}: &l${d} [${Array(width).fill(`*l${d - 1}`).join(",")}]`);
  return `${lines.join("\n")}\n`;
};
const ALIASES: HostileFile[] = [
  ...[[9, 9], [10, 6], [2, 40], [3, 25], [50, 3], [100, 2], [1000, 1]].map(([w, d]) => rule(`alias-bomb-${w}x${d}`, bomb(w as number, d as number), ["SC1007"])),
  rule("alias-fan-out", `a: &a x\nb: [${Array(5000).fill("*a").join(",")}]\n`, ["SC1007"]),
  rule("alias-map-merge", `base: &b {k: v}\n${Array.from({ length: 200 }, (_, i) => `m${i}: {<<: *b}`).join("\n")}\n`, ["SC1007"]),
  rule("alias-undefined", "a: *nowhere\n", ["SC1001"]),
];

const NESTING: HostileFile[] = [
  ...[1_000, 10_000, 100_000].map((n) => rule(`nested-flow-seq-${n}`, `a: ${"[".repeat(n)}${"]".repeat(n)}\n`, ["SC1001"])),
  ...[1_000, 10_000].map((n) => rule(`nested-flow-map-${n}`, `a: ${"{a: ".repeat(n)}1${"}".repeat(n)}\n`, ["SC1001"])),
  rule("nested-block-seq-1000", `${Array.from({ length: 1000 }, (_, i) => `${" ".repeat(i)}-`).join("\n")} x\n`, ["SC1001"]),
  rule("unclosed-flow-100000", `a: ${"[".repeat(100_000)}\n`, ["SC1001"]),
];

const DUPLICATES: HostileFile[] = [
  rule("duplicate-top", "name: a\nname: b\n", ["SC1002"]),
  rule("duplicate-nested", "customDetails:\n  A: x\n  A: y\n", ["SC1002"]),
  rule("duplicate-quoted", "name: a\n'name': b\n", ["SC1002"]),
  rule("duplicate-many", `${Array.from({ length: 5000 }, () => "k: 1").join("\n")}\n`, ["SC1002"]),
];

const SYNTAX: HostileFile[] = [
  rule("unterminated-double", 'name: "never closed\nquery: T\n', ["SC1001"]),
  rule("unterminated-single", "name: 'never closed\nquery: T\n", ["SC1001"]),
  rule("tab-indent", "a:\n\tb: 1\n", ["SC1001"]),
  rule("bad-indent", "a:\n  b: 1\n c: 2\n", ["SC1001"]),
  rule("unclosed-flow", "a: [1, 2\n", ["SC1001"]),
  rule("bad-escape", 'a: "\\q"\n', ["SC1001"]),
  rule("two-documents", "a: 1\n---\nb: 2\n", ["SC1001"]),
  rule("bare-colon", ": : :\n", ["SC1001"]),
  rule("unknown-directive-junk", "%YAML 9.9\n%FOO\n---\na: 1\n", ["SC1009", "SC2001", "SC2002"]),
  rule("stray-closing", "a: 1\n]\n", ["SC1001"]),
];

const SIZES: HostileFile[] = [
  { path: `${RULES}/just-over-2mb.yaml`, make: bytes(`query: |\n${"  x\n".repeat(540_000)}`), codes: ["SC1003"] },
  { path: `${RULES}/sparse-50mb.yaml`, make: sparse(50 * 1024 * 1024), codes: ["SC1003"] },
  { path: `${RULES}/sparse-300mb.yaml`, make: sparse(300 * 1024 * 1024), codes: ["SC1003"] },
];

/** Wrong shapes the schema must report (and nothing crash on). */
const SHAPES: HostileFile[] = [
  rule("root-is-list", "- a\n- b\n", ["SC2003"]),
  rule("root-is-scalar", "just text\n", ["SC2003"]),
  rule("root-is-number", "42\n", ["SC2003"]),
  rule("huge-number", `triggerThreshold: 1${"0".repeat(400)}\n`, ["SC2002", "SC2003"]),
];

/** Files whose setup needs the file system: FIFOs, links out of the repository, loops, broken links. */
function specialFiles(outside: string): HostileFile[] {
  const link = (target: string) => (file: string) => symlinkSync(target, file);
  return [
    { path: `${RULES}/fifo.yaml`, make: (file) => spawnSync("mkfifo", [file]), codes: ["SC1012"] },
    { path: `${RULES}/fifo-2.yaml`, make: (file) => spawnSync("mkfifo", [file]), codes: ["SC1012"] },
    { path: `${RULES}/link-to-passwd.yaml`, make: link("/etc/passwd"), codes: ["SC1013"] },
    { path: `${RULES}/link-to-outside-file.yaml`, make: link(path.join(outside, "secret.yaml")), codes: ["SC1013"] },
    { path: `${RULES}/link-to-dev-zero.yaml`, make: link("/dev/zero"), codes: ["SC1013"] },
    { path: `${RULES}/link-out-dir`, make: link(outside), codes: ["SC1013"] },
    { path: `${RULES}/broken-link.yaml`, make: link(path.join(outside, "missing.yaml")), codes: ["SC1008"] },
    { path: `${RULES}/loop/self`, make: (file) => (mkdirSync(path.dirname(file), { recursive: true }), symlinkSync("..", file)), codes: ["SC1015"] },
  ];
}

/** Tests files whose fixtures or target try to leave the repository (the files they name exist, outside it). */
function escapes(outside: string): HostileFile[] {
  const tests = (name: string, text: string, codes: string[]): HostileFile => ({ path: `${RULES}/${name}.tests.yaml`, make: bytes(text), codes });
  const up = "../../../outside";
  return [
    // the sibling <stem>.yaml these tests files would test does not exist either (SC2143)
    tests("fixture-dotdot", `cases:\n  - name: a\n    tables: { T: ${up}/secret.jsonl }\n    expect: { rows: 0 }\n`, ["SC1014", "SC2143"]),
    tests("fixture-absolute", `cases:\n  - name: a\n    tables: { T: ${outside}/secret.jsonl }\n    expect: { rows: 0 }\n`, ["SC1014", "SC2143"]),
    tests("watchlist-dotdot", `cases:\n  - name: a\n    watchlists: { W: ${up}/secret.csv }\n    expect: { rows: 0 }\n`, ["SC1014", "SC2143"]),
    tests("input-dotdot", `cases:\n  - name: a\n    input: { S: ${up}/secret.jsonl }\n    expect: { rows: 0 }\n`, ["SC1014", "SC2142", "SC2143"]),
    tests("target-dotdot", `target: ${up}/secret.yaml\ncases:\n  - name: a\n    expect: { rows: 0 }\n`, ["SC1014"]),
  ];
}

/** File names that try to inject a line (a CI workflow command) or terminal escapes into the report. */
const NAMES: HostileFile[] = [
  rule("name-with-newline\n::error file=x::injected", "a: [\n", ["SC1001"]),
  rule("name-with-escape-\u001b[31m-red", "a: [\n", ["SC1001"]),
  rule("name-with-cr\r::warning::x", "a: [\n", ["SC1001"]),
];

const MANY_KEYS = "analytics-rules/many-keys/120000-keys.yaml";
const KEYS: HostileFile[] = [{ path: MANY_KEYS, make: bytes(Array.from({ length: 120_000 }, (_, i) => `k${i}: 1\n`).join("")), codes: ["SC2001", "SC2002"] }];

const STATIC_CORPUS = [...ENCODINGS, ...BINARY, ...EMPTY, ...ALIASES, ...NESTING, ...DUPLICATES, ...SYNTAX, ...SIZES, ...SHAPES, ...NAMES, ...KEYS];

/** Runs the CLI in-process; returns the exit code and what it printed. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  const code = await main(["node", "sentinel-content", ...args]);
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

afterEach(() => vi.restoreAllMocks());

/** Runs the CLI as its own process and reports its peak resident memory (bytes), read by a preload at exit. */
function cliProcess(preload: string, args: string[]): Promise<{ code: number; stdout: string; maxRss: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", pathToFileURL(preload).href, BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, maxRss: Number(/maxrss=(\d+)/.exec(stderr)?.[1] ?? "0") * 1024 }));
  });
}

describe("the hostile-input corpus", () => {
  const base = mkdtempSync(path.join(tmpdir(), "hostile-"));
  temporaryFolders.push(base);
  const root = path.join(base, "repo");
  const outside = path.join(base, "outside");
  const corpus = [...STATIC_CORPUS, ...specialFiles(outside), ...escapes(outside)];
  let json: Report;
  let human: string;
  let peakRss = 0;
  let exitCode = 0;

  beforeAll(async () => {
    mkdirSync(path.join(root, RULES), { recursive: true });
    mkdirSync(path.join(root, path.dirname(MANY_KEYS)), { recursive: true });
    mkdirSync(outside, { recursive: true });
    for (const name of ["secret.yaml", "secret.jsonl", "secret.csv"]) writeFileSync(path.join(outside, name), "name: TOP-SECRET-OUTSIDE\n");
    for (const entry of corpus) entry.make(path.join(root, entry.path));
    const preload = path.join(base, "max-rss.mjs");
    writeFileSync(preload, 'process.on("exit", () => process.stderr.write(`maxrss=${process.resourceUsage().maxRSS}\\n`));\n');
    // explicit folders: the whole-repo test-coverage stage (SC5020/SC5021) is not part of what is tested here. The
    // JSON run reads every file in a process of its own, whose memory is measured; the text report of the same files
    // is about what it prints, so it runs in this process.
    const run = await cliProcess(preload, ["validate", "--root", root, "--no-kql", "--format", "json", path.join(root, "analytics-rules")]);
    exitCode = run.code;
    json = JSON.parse(run.stdout) as Report;
    peakRss = run.maxRss;
    human = (await cli("validate", "--root", root, "--no-kql", path.join(root, RULES))).stdout;
  }, 600_000);

  it("has at least 100 files", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(100);
  });

  it("ends with findings (exit 1), not a crash, and the process stays under 1 GB", () => {
    expect(exitCode).toBe(1);
    expect(json.diagnostics.filter((d) => d.code === "SC9001")).toEqual([]);
    expect(peakRss).toBeGreaterThan(0);
    expect(peakRss).toBeLessThan(GB);
  });

  it.each(corpus.map((entry) => [JSON.stringify(entry.path), entry] as const))("%s gives exactly its codes", (_name, entry) => {
    const codes = new Set(json.diagnostics.filter((d) => d.file === entry.path).map((d) => d.code));
    expect([...codes].sort()).toEqual([...entry.codes].sort());
  });

  it("lists the first 1,000 of the 120,000 unknown keys and counts the rest", () => {
    const found = json.diagnostics.filter((d) => d.file === MANY_KEYS && d.code === "SC2001");
    expect(found).toHaveLength(1001);
    expect(found.filter((d) => d.message.startsWith("119,000 more SC2001 findings"))).toHaveLength(1);
  });

  it("never echoes a file outside the repository", () => {
    expect(human).not.toContain("TOP-SECRET-OUTSIDE");
    expect(human).not.toMatch(/root:.*:0:0:/);
  });

  it("lets no file name start a workflow command or carry a terminal escape", () => {
    expect(human.split("\n").filter((line) => /^::/.test(line))).toEqual([]);
    expect(human).not.toMatch(/[\u001b\r]/);
  });
});

describe("nothing to check is a usage error", () => {
  it.each([
    ["validate", "an empty repository", [] as string[]],
    ["validate", "a folder without content", ["sub"]],
    ["test", "an empty repository", [] as string[]],
  ])("%s on %s exits 2", async (command, _name, paths) => {
    const root = mkdtempSync(path.join(tmpdir(), "hostile-empty-"));
    temporaryFolders.push(root);
    mkdirSync(path.join(root, "sub"));
    writeFileSync(path.join(root, "sub", "notes.txt"), "not content\n");
    const run = await cli(command, ...paths.map((p) => path.join(root, p)), "--root", root, ...(command === "validate" ? ["--no-kql", "--format", "json"] : []));
    expect(run.code).toBe(2);
    if (command === "validate") expect((JSON.parse(run.stdout) as Report).diagnostics.map((d) => d.code)).toEqual(["SC1011"]);
  });
});
