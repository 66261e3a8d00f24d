import { existsSync } from "node:fs";
import path from "node:path";
import { targetPathOf } from "../content/test-target.ts";
import type { LoadedFile } from "../load/index.ts";
import { asRecord } from "./fields.ts";

/** The repo-relative path of the file a tests file tests, by the rule `test` uses (existence read from disk). */
export function testTargetPath(file: LoadedFile): string {
  return targetPathOf(file.path, asRecord(file.data).target, { files: { has: (repoPath) => existsSync(absoluteOf(file, repoPath)) } });
}

/** The absolute path of a repo-relative path, found from a loaded file's own two paths. */
export function absoluteOf(file: LoadedFile, repoPath: string): string {
  return path.join(path.dirname(file.absolutePath), path.posix.relative(path.posix.dirname(file.path), repoPath));
}

