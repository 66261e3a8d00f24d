// Warm start: a V8 startup snapshot with Kusto.Language loaded and initialized, so that a command reading KQL does
// not pay its start-up (about 1.5 s of the 2 s a `query` of `print x=1` takes) in every process. `sentinel-content
// warm` builds it for the installed package and this Node; the bin starts from it when one matches. Installed
// packages only: a source checkout runs TypeScript through tsx, whose loader a snapshot cannot carry.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Longest a snapshot build may take before it is abandoned. */
const BUILD_TIMEOUT_MS = 300_000;

/** The files a warm start is made of: the snapshot builder, the CLI module it runs and Kusto.Language's folder. */
export interface WarmStartInputs {
  entry: string;
  cliMain: string;
  kustoDir: string;
}

/** The inputs of this installation: the builder beside the bin, dist/'s CLI module and the installed Kusto.Language. */
export function installedInputs(): WarmStartInputs {
  const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
  const kustoDir = path.dirname(createRequire(import.meta.url).resolve("@kusto/language-service-next/Kusto.Language.Bridge.min.js"));
  return { entry: path.join(packageRoot, "bin", "warm-start-entry.cjs"), cliMain: path.join(packageRoot, "dist", "cli", "main.js"), kustoDir };
}

/** The folder holding snapshots: $SENTINEL_CONTENT_CACHE_DIR, else $XDG_CACHE_HOME/sentinel-content, else ~/.cache/sentinel-content. */
export function warmStartDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SENTINEL_CONTENT_CACHE_DIR) return path.resolve(env.SENTINEL_CONTENT_CACHE_DIR);
  return path.join(env.XDG_CACHE_HOME ? path.resolve(env.XDG_CACHE_HOME) : path.join(os.homedir(), ".cache"), "sentinel-content");
}

/**
 * The snapshot file for these inputs and this Node: its name hashes the Node version and architecture, the paths of
 * the inputs and the size and modification time of the builder and of the Kusto.Language bundle, so a new Node, a
 * reinstall or an upgrade of either never starts from a stale snapshot. The CLI's own modules load after start, so
 * a rebuilt dist/ does not need a new snapshot.
 */
export function warmStartBlob(inputs: WarmStartInputs, dir = warmStartDir()): string {
  const hash = createHash("sha256").update(`${process.version}\0${process.arch}\0${inputs.cliMain}\0${inputs.kustoDir}`);
  for (const file of [inputs.entry, path.join(inputs.kustoDir, "Kusto.Language.Bridge.min.js"), path.join(inputs.kustoDir, "bridge.min.js")]) {
    const info = statSync(file);
    hash.update(`\0${file}\0${info.size}\0${info.mtimeMs}`);
  }
  return path.join(dir, `warm-start-${hash.digest("hex").slice(0, 16)}.blob`);
}

/** The node arguments that run the CLI from a snapshot, or undefined when none has been built for these inputs. */
export function warmStartArgs(inputs: WarmStartInputs, cliArgs: readonly string[], dir = warmStartDir()): string[] | undefined {
  let blob: string;
  try {
    blob = warmStartBlob(inputs, dir);
  } catch {
    return undefined;
  }
  // "--" ends Node's own options: without it Node would answer --version and --help itself
  return existsSync(blob) ? ["--snapshot-blob", blob, "--", ...cliArgs] : undefined;
}

/** Why a build failed, or the snapshot's path and size. */
export type BuildResult = { ok: true; blob: string; bytes: number } | { ok: false; message: string };

/**
 * Builds the snapshot for these inputs: node --build-snapshot into a temporary file beside the target, a check that
 * a process started from it runs the CLI (`--version`), then a rename; a failure leaves nothing behind.
 */
export function buildWarmStart(inputs: WarmStartInputs, dir = warmStartDir()): BuildResult {
  if (!existsSync(inputs.cliMain)) return { ok: false, message: `${inputs.cliMain} is missing: warm start needs the compiled package (npm run build)` };
  const blob = warmStartBlob(inputs, dir);
  mkdirSync(dir, { recursive: true });
  const temp = `${blob}.${process.pid}.tmp`;
  const env = { ...process.env, SENTINEL_CONTENT_KUSTO_DIR: inputs.kustoDir, SENTINEL_CONTENT_CLI_MAIN: inputs.cliMain, NODE_NO_WARNINGS: "1" };
  try {
    const built = spawnSync(process.execPath, ["--snapshot-blob", temp, "--build-snapshot", inputs.entry], { env, encoding: "utf8", timeout: BUILD_TIMEOUT_MS });
    if (built.status !== 0) return { ok: false, message: `building the snapshot failed: ${firstLines(built.stderr || built.error?.message || `exit ${String(built.status ?? built.signal)}`)}` };
    const probe = spawnSync(process.execPath, ["--snapshot-blob", temp, "--", "--version"], { encoding: "utf8", timeout: BUILD_TIMEOUT_MS });
    if (probe.status !== 0 || probe.stdout.trim() === "") return { ok: false, message: `a process started from the new snapshot did not run: ${firstLines(probe.stderr || `exit ${String(probe.status ?? probe.signal)}`)}` };
    renameSync(temp, blob);
    return { ok: true, blob, bytes: statSync(blob).size };
  } finally {
    rmSync(temp, { force: true });
  }
}

/** Removes every snapshot in the folder; returns how many there were. */
export function clearWarmStarts(dir = warmStartDir()): number {
  if (!existsSync(dir)) return 0;
  let removed = 0;
  for (const name of readdirSync(dir)) {
    if (!/^warm-start-[0-9a-f]{16}\.blob$/.test(name)) continue;
    rmSync(path.join(dir, name), { force: true });
    removed++;
  }
  return removed;
}

function firstLines(text: string): string {
  return text.trim().split("\n").slice(0, 5).join("\n");
}
