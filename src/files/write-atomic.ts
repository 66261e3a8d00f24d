import { randomBytes } from "node:crypto";
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { mkdir, open, rename, unlink } from "node:fs/promises";
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
    await handle.writeFile(text, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
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
