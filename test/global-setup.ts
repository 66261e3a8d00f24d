// Vitest global setup: every test run gets a private temporary root. Before the workers start, TMPDIR (with TMP and
// TEMP, which Windows reads) points at a fresh folder under the real temporary folder; os.tmpdir() in the workers and
// in every process they spawn (the CLI included) then answers that folder. The root is removed at teardown, on an
// interrupt (vitest exits the process on SIGINT/SIGTERM, so an "exit" handler runs), and, for a run that was killed
// outright, by the next run (a root whose process is gone). Teardown then fails the run if the real temporary folder
// gained an entry that the suite's code names (a prefix it passes to mkdtemp, or tsx's cache): something bypassed
// TMPDIR (a hard-coded "/tmp", or a child spawned with an environment that drops it). tsx's compile cache, when one
// exists, is linked into the root so that the children the tests start stay as fast as outside the suite.
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const REPOSITORY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SOURCE_FOLDERS = ["src", "test", "scripts"];
const ROOT_PREFIX = "sentinel-content-tests-";
const TEMP_VARIABLES = ["TMPDIR", "TMP", "TEMP"] as const;
const MAX_SCANNED_FILES = 5_000;
// scripts/test.sh names a file of "pass <check>" / "fail <check>" lines in this variable; the check's name there
const CHECKS_VARIABLE = "SENTINEL_CONTENT_TEST_CHECKS";
const CHECK_NAME = "temporary-folder-left-clean";
// a string literal (mkdtemp's prefix, to which it appends six random characters) or a template's head right after
// `tmpdir(), `: the name a test or helper gives its temporary folder or file
const PREFIX_PATTERN = /tmpdir\(\),\s*["'`]([A-Za-z0-9_.]+(?:-[A-Za-z0-9_.]+)*-)(["'`]|\$\{)/g;

/** Sets up the private temporary root; returns the teardown that removes it and checks the real temporary folder. */
export function setup(): () => void {
  const realTmp = os.tmpdir();
  removeAbandonedRoots(realTmp);
  const before = new Set(readdirSync(realTmp));
  const root = mkdtempSync(path.join(realTmp, `${ROOT_PREFIX}${process.pid}-`));
  shareTsxCache(realTmp, root);
  const saved = TEMP_VARIABLES.map((name) => [name, process.env[name]] as const);
  for (const name of TEMP_VARIABLES) process.env[name] = root;
  const removeRoot = () => rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  process.once("exit", removeRoot);
  return () => {
    process.off("exit", removeRoot);
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    removeRoot();
    const problem = existsSync(root)
      ? `its temporary root ${root} could not be removed`
      : leftBehindMessage(realTmp, leftBehind(realTmp, before));
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
 * Links tsx's compile cache (tsx-<uid>, which the CLI and the worker threads use) into the root when the real one
 * exists, so the run's children do not transpile every source again; removing the root removes only the link.
 */
function shareTsxCache(realTmp: string, root: string): void {
  const name = tsxCacheName();
  if (existsSync(path.join(realTmp, name))) symlinkSync(path.join(realTmp, name), path.join(root, name), "dir");
}

function tsxCacheName(): string {
  return `tsx-${os.userInfo().uid}`;
}

/** Removes the private roots of earlier runs whose process no longer exists (a run killed before its teardown). */
function removeAbandonedRoots(realTmp: string): void {
  for (const name of readdirSync(realTmp)) {
    const pid = name.startsWith(ROOT_PREFIX) ? Number(name.slice(ROOT_PREFIX.length).split("-")[0]) : 0;
    if (pid && !isAlive(pid)) rmSync(path.join(realTmp, name), { recursive: true, force: true, maxRetries: 3 });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The entries of the real temporary folder created since `before` under a name the suite's code uses. */
function leftBehind(realTmp: string, before: Set<string>): string[] {
  const names = suiteNames();
  return readdirSync(realTmp)
    .filter((name) => !before.has(name))
    .filter((name) => names.some((pattern) => pattern.test(name)))
    .sort();
}

/**
 * The names the repository's code gives temporary entries after `tmpdir()` (a mkdtemp prefix and its six random
 * characters, or a template's head and anything), plus tsx's cache folder.
 */
function suiteNames(): RegExp[] {
  const names = new Set([`^${escape(tsxCacheName())}$`]);
  for (const file of sourceFiles()) {
    for (const match of readFileSync(file, "utf8").matchAll(PREFIX_PATTERN)) names.add(`^${escape(match[1]!)}${match[2] === "${" ? "" : "[A-Za-z0-9]{6}$"}`);
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
