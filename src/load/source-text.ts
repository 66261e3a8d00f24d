// The text of a repository file read outside the loader: for code frames, and for the names a file that did not
// load provides.
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { isWithin, staysWithin } from "./containment.ts";
import { MAX_FILE_BYTES } from "./decode.ts";

/**
 * The text of `file` (relative to `root`): only a regular file inside the size limit for content (a 300 MB file is
 * never read); undefined otherwise, when it cannot be read, or when it is a link inside the repository leading
 * outside it (reported as SC1013, never shown).
 */
export function readSourceText(root: string, file: string): string | undefined {
  const absolutePath = path.resolve(root, file);
  try {
    const info = statSync(absolutePath);
    if (!info.isFile() || info.size > MAX_FILE_BYTES) return undefined;
    if (isWithin(root, absolutePath) && !staysWithin(root, absolutePath)) return undefined;
    return readFileSync(absolutePath, "utf8");
  } catch {
    return undefined;
  }
}
