// Package test: packs the toolkit (npm pack, which builds dist/), installs the tarball into an empty folder
// without the registry (npm ci --offline from a lockfile derived from ours, so every dependency comes from the
// npm cache that `npm ci` filled), then validates and tests a small repository in Microsoft's Azure-Sentinel
// layout with the installed bin (cold, then from a warm-start snapshot), and imports the library entry. Prints each step's time; exits 1 on a failure.
// Usage: node scripts/package-test.mjs [--also-node <binary>]...   (runs the installed CLI on each further Node too)
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const FIXTURE = path.join(ROOT, "test/fixtures/azure-sentinel-repo");
const STEP_TIMEOUT_MS = 600_000;
const nodes = [process.execPath, ...process.argv.flatMap((arg, i) => (arg === "--also-node" && process.argv[i + 1] ? [process.argv[i + 1]] : []))];

/** Runs a command, prints its time, and returns its output; exits on failure. */
function step(title, command, args, options = {}) {
  const started = performance.now();
  const result = spawnSync(command, args, { encoding: "utf8", timeout: STEP_TIMEOUT_MS, ...options });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    process.stdout.write(`package test: ${title} FAILED (${seconds} s, exit ${result.status ?? result.signal})\n${result.stdout ?? ""}${result.stderr ?? ""}\n`);
    process.exit(1);
  }
  process.stdout.write(`package test: ${title} (${seconds} s)\n`);
  return result.stdout;
}

/** A consumer lockfile: the package from the tarball plus our lock's production entries (same hoisted paths). */
function consumerLock(tarball) {
  const lock = JSON.parse(readFileSync(path.join(ROOT, "package-lock.json"), "utf8"));
  const own = lock.packages[""];
  const dependencies = { [own.name]: `file:${tarball}` };
  const packages = { "": { name: "consumer", version: "1.0.0", dependencies } };
  for (const [key, entry] of Object.entries(lock.packages)) if (key !== "" && !entry.dev && !entry.devOptional) packages[key] = entry;
  packages[`node_modules/${own.name}`] = { version: own.version, resolved: `file:${tarball}`, license: own.license, dependencies: own.dependencies, bin: own.bin, engines: own.engines };
  return { package: { name: "consumer", version: "1.0.0", private: true, dependencies }, lock: { name: "consumer", version: "1.0.0", lockfileVersion: 3, requires: true, packages } };
}

/** Runs the installed bin (version, validate, test, query) and the library entry on one Node binary, then again from a warm-start snapshot. */
function useInstalledPackage(node, { consumer, repo, name, expectedVersion, work }) {
  const on = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
  const bin = path.join(consumer, "node_modules", ".bin", "sentinel-content");
  const env = { ...process.env, SENTINEL_CONTENT_CACHE_DIR: path.join(work, `cache-${on}`) };
  const cli = (title, args, input) => step(`${title} [node ${on}]`, node, [bin, ...args], { cwd: repo, env, ...(input === undefined ? {} : { input }) });
  const version = cli("sentinel-content --version", ["--version"]).trim();
  if (version !== expectedVersion) step(`--version printed ${JSON.stringify(version)}`, "false", []);
  const runCommands = (how) => {
    const report = JSON.parse(cli(`sentinel-content validate (azure-sentinel preset${how})`, ["validate", "--format", "json"]));
    if (report.files !== 6 || report.diagnostics.length > 0) step(`validate found ${report.diagnostics.length} problems in ${report.files} files`, "false", []);
    const summary = JSON.parse(cli(`sentinel-content test${how}`, ["test", "--format", "json"])).summary;
    if (summary.passed !== 5 || summary.failed + summary.errors > 0) step(`test summary ${JSON.stringify(summary)}`, "false", []);
    return cli(`sentinel-content query 'print x=1'${how}`, ["query", "-", "--format", "json"], "print x = 1\n");
  };
  const cold = runCommands("");
  cli("sentinel-content warm", ["warm"]);
  const warm = runCommands(", after warm");
  const warmVersion = cli("sentinel-content --version, after warm", ["--version"]).trim();
  if (warmVersion !== expectedVersion) step(`--version from the warm start printed ${JSON.stringify(warmVersion)}`, "false", []);
  if (warm !== cold) step(`query from the warm start printed ${JSON.stringify(warm)}, not ${JSON.stringify(cold)}`, "false", []);
  const script = `import { validateContent } from "${name}"; const r = await validateContent({ root: ${JSON.stringify(repo)}, kql: false }); if (r.files.length !== 6 || r.diagnostics.length > 0) process.exit(1);`;
  step(`import the library entry and validate [node ${on}]`, node, ["--input-type=module", "-e", script], { cwd: consumer });
}

const work = mkdtempSync(path.join(tmpdir(), "sentinel-content-package-"));
try {
  const packed = path.join(work, "packed");
  mkdirSync(packed);
  step("npm pack (builds dist/)", "npm", ["pack", "--silent", "--pack-destination", packed], { cwd: ROOT });
  const tarball = path.join(packed, readdirSync(packed).find((f) => f.endsWith(".tgz")));

  const consumer = path.join(work, "consumer");
  mkdirSync(consumer);
  const { package: pkg, lock } = consumerLock(tarball);
  writeFileSync(path.join(consumer, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
  writeFileSync(path.join(consumer, "package-lock.json"), `${JSON.stringify(lock, null, 2)}\n`);
  step("npm ci --offline of the tarball into an empty folder", "npm", ["ci", "--offline", "--no-audit", "--no-fund", "--ignore-scripts"], { cwd: consumer });

  const name = Object.keys(pkg.dependencies)[0];
  const installed = path.join(consumer, "node_modules", name);
  for (const needed of ["dist/index.js", "dist/index.d.ts", "dist/cli/main.js", "schemas/analytic-rule.schema.json"]) {
    if (!existsSync(path.join(installed, needed))) step(`the package holds ${needed}`, "false", []);
  }
  if (existsSync(path.join(installed, "src"))) step("the package ships no TypeScript sources", "false", []);

  const repo = path.join(work, "repo");
  cpSync(FIXTURE, repo, { recursive: true });
  const expectedVersion = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).version;
  for (const node of nodes) useInstalledPackage(node, { consumer, repo, name, expectedVersion, work });
  process.stdout.write("package test: ok\n");
} finally {
  rmSync(work, { recursive: true, force: true });
}
