import { existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { ExitError } from "../diagnostics/errors.ts";
import { writeFileAtomicSync } from "../files/write-atomic.ts";

/** A file to create: repo-relative POSIX path and text. */
export interface NewFile {
  path: string;
  text: string;
}

/**
 * Creates every file under `root`, or none: an existing file stops the whole set before anything is written
 * (exit 2), and a failed write removes the files written before it. Returns the paths written.
 */
export function createFiles(root: string, files: readonly NewFile[]): string[] {
  const existing = files.filter((f) => existsSync(path.join(root, f.path))).map((f) => f.path);
  if (existing.length > 0) throw new ExitError(2, `not overwriting existing files: ${existing.join(", ")}`);
  const written: string[] = [];
  try {
    for (const file of files) {
      const absolutePath = path.join(root, file.path);
      mkdirSync(path.dirname(absolutePath), { recursive: true });
      writeFileAtomicSync(absolutePath, file.text);
      written.push(file.path);
    }
  } catch (error) {
    for (const done of written) rmSync(path.join(root, done), { force: true });
    throw new ExitError(2, `cannot write ${files[written.length]?.path}: ${(error as Error).message}`);
  }
  return written;
}
