import { randomBytes } from "node:crypto";
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { mkdir, open, readdir, rename, unlink } from "node:fs/promises";
import path from "node:path";

/** A temp file name beside `file`, unique per process and call, so concurrent writers never share one. */
function tempBeside(file: string): string {
  return `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
}

/**
 * Writes `text` to `file` atomically: a temp file in the same folder, fsync, then rename over the target. The
 * file is created with `mode` (before the umask): owner-only by default, as checkpoints and dry-run output are.
 */
export async function writeFileAtomic(file: string, text: string, mode = 0o600): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const temp = tempBeside(file);
  const handle = await open(temp, "w", mode);
  try {
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/**
 * Removes the temp files a killed writer left beside `file` (`<file>.<pid>.<hex>.tmp` whose process is gone):
 * a kill between the temp write and the rename cannot clean up after itself. Returns how many were removed.
 */
export async function removeStaleTemps(file: string): Promise<number> {
  const dir = path.dirname(path.resolve(file));
  const prefix = `${path.basename(file)}.`;
  const names = await readdir(dir).catch(() => [] as string[]);
  let removed = 0;
  for (const name of names) {
    const match = /^(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name.startsWith(prefix) ? name.slice(prefix.length) : "");
    if (!match || isRunning(Number(match[1]))) continue;
    await unlink(path.join(dir, name)).then(() => removed++, () => undefined);
  }
  return removed;
}

/** True when a process with this id is alive (ours included), as far as this user can tell. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Writes `text` to `file` (whose folder must exist) through a temp file and a rename: readers never see a partial file. */
export function writeFileAtomicSync(file: string, text: string): void {
  const temp = tempBeside(file);
  try {
    writeFileSync(temp, text, "utf8");
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
