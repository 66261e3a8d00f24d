// Vitest global setup: every test run gets a private temporary root. Before the workers start, TMPDIR (with TMP and
// TEMP, which Windows reads) points at a fresh folder under the real temporary folder; os.tmpdir() in the workers and
// in every process they spawn (the CLI included) then answers that folder. The root is removed at teardown, on an
// interrupt (vitest exits the process on SIGINT/SIGTERM, so an "exit" handler runs), and, for a run that was killed
// outright, by the next run on this host (a root of this user whose process is gone). Teardown then fails the run if
// the real temporary folder gained an entry of this user named as the suite's code names mkdtemp folders (a prefix
// it passes to mkdtemp and six random characters): something bypassed TMPDIR (a hard-coded "/tmp", or a child
// spawned with an environment that drops it). tsx's compile cache is linked into the root so that the children the
// tests start share it with runs outside the suite.
import { appendFileSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isRunning } from "../src/files/write-atomic.ts";

const REPOSITORY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SOURCE_FOLDERS = ["src", "test", "scripts"];
const ROOT_PREFIX = "sentinel-content-tests-";
const TEMP_VARIABLES = ["TMPDIR", "TMP", "TEMP"] as const;
const MAX_SCANNED_FILES = 5_000;
// scripts/test.sh names a file of "pass <check>" / "fail <check>" lines in this variable; the check's name there
const CHECKS_VARIABLE = "SENTINEL_CONTENT_TEST_CHECKS";
const CHECK_NAME = "temporary-folder-left-clean";
// a string literal right after `tmpdir(), `: the prefix a test or helper gives mkdtemp, which appends six characters
const PREFIX_PATTERN = /tmpdir\(\),\s*["'`]([A-Za-z0-9_.]+(?:-[A-Za-z0-9_.]+)*-)["'`]/g;

/** Sets up the private temporary root; returns the teardown that removes it and checks the real temporary folder. */
export function setup(): () => void {
  const realTmp = os.tmpdir();
  const present = readdirSync(realTmp);
  removeAbandonedRoots(realTmp, present);
  const root = mkdtempSync(path.join(realTmp, `${rootPrefix()}${process.pid}-`));
  shareTsxCache(realTmp, root);
  const before = new Set(readdirSync(realTmp));
  const saved = TEMP_VARIABLES.map((name) => [name, process.env[name]] as const);
  for (const name of TEMP_VARIABLES) process.env[name] = root;
  const removeRoot = (): string => {
    try {
      rmSync(root, { recursive: true, force: true, maxRetries: 3 });
      return "";
    } catch (error) {
      return `its temporary root ${root} could not be removed: ${error instanceof Error ? error.message : String(error)}`;
    }
  };
  process.once("exit", removeRoot);
  return () => {
    process.off("exit", removeRoot);
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    const problem = removeRoot() || leftBehindMessage(realTmp, leftBehind(realTmp, before));
    recordCheck(problem);
    if (problem) {
      process.exitCode = 1;
      console.error(`\nFAIL the test run left the temporary folder unclean: ${problem}\n`);
    }
  };
}

/** What the run left in the real temporary folder, or "" when nothing. */
function leftBehindMessage(realTmp: string, leaked: string[]): string {
  if (leaked.length === 0) return "";
  return `${leaked.length} new entries in ${realTmp} under names the suite uses (code that ignores TMPDIR?): ${leaked.slice(0, 20).join(", ")}`;
}

/** Appends this check's outcome to the checks file scripts/test.sh counts in its "N passed, N failed" line, when it names one. */
function recordCheck(problem: string): void {
  const file = process.env[CHECKS_VARIABLE];
  if (file) appendFileSync(file, `${problem ? "fail" : "pass"} ${CHECK_NAME}\n`);
}

/**
 * Links tsx's compile cache (which the CLI and the worker threads use) into the root, made first where missing so
 * that no run creates it in the real folder during the suite; removing the root removes only the link. Where links
 * need rights the user lacks (Windows), the children simply fill a cache inside the root.
 */
function shareTsxCache(realTmp: string, root: string): void {
  const name = tsxCacheName();
  try {
    mkdirSync(path.join(realTmp, name), { recursive: true });
    symlinkSync(path.join(realTmp, name), path.join(root, name), process.platform === "win32" ? "junction" : "dir");
  } catch {
    // an unshared cache only costs the children time
  }
}

/** tsx's own name for its cache folder (its client code names it by the effective user id, else the user name). */
function tsxCacheName(): string {
  return `tsx-${process.geteuid ? process.geteuid() : os.userInfo().username}`;
}

/** This host's prefix of private roots: a root of another host sharing the folder is never taken for an abandoned one. */
function rootPrefix(): string {
  return `${ROOT_PREFIX}${os.hostname().replace(/[^A-Za-z0-9.]/g, "_")}-`;
}

/** Removes this user's private roots of earlier runs on this host whose process is gone (a run killed before its teardown). */
function removeAbandonedRoots(realTmp: string, names: string[]): void {
  const prefix = rootPrefix();
  for (const name of names) {
    const pid = name.startsWith(prefix) ? Number(name.slice(prefix.length).split("-")[0]) : 0;
    if (!pid || isRunning(pid) || !ownedByMe(path.join(realTmp, name))) continue;
    try {
      rmSync(path.join(realTmp, name), { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // left for a later run; it never blocks this one
    }
  }
}

/** Whether this user owns the entry (always true where the platform has no user ids). */
function ownedByMe(entry: string): boolean {
  try {
    return !process.geteuid || lstatSync(entry).uid === process.geteuid();
  } catch {
    return false;
  }
}

/** This user's entries of the real temporary folder created since `before` under a mkdtemp name the suite uses. */
function leftBehind(realTmp: string, before: Set<string>): string[] {
  const names = suiteNames();
  return readdirSync(realTmp)
    .filter((name) => !before.has(name))
    .filter((name) => names.some((pattern) => pattern.test(name)))
    .filter((name) => ownedByMe(path.join(realTmp, name)))
    .sort();
}

/** The names mkdtemp gives the prefixes the repository's code passes it after `tmpdir()`: the prefix and six random characters. */
function suiteNames(): RegExp[] {
  const names = new Set<string>();
  for (const file of sourceFiles()) {
    for (const match of readFileSync(file, "utf8").matchAll(PREFIX_PATTERN)) names.add(`^${escape(match[1]!)}[A-Za-z0-9]{6}$`);
  }
  return [...names].map((pattern) => new RegExp(pattern));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The TypeScript files under the source folders (node_modules and dot-folders left out), at most MAX_SCANNED_FILES. */
function sourceFiles(): string[] {
  const files: string[] = [];
  const pending = SOURCE_FOLDERS.map((folder) => path.join(REPOSITORY, folder));
  while (pending.length > 0 && files.length < MAX_SCANNED_FILES) {
    const folder = pending.pop()!;
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) pending.push(full);
      else if (entry.name.endsWith(".ts")) files.push(full);
    }
  }
  return files;
}
