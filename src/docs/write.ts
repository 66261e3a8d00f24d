import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { writeFileAtomicSync } from "../files/write-atomic.ts";

function listFiles(dir: string, prefix = ""): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => (statSync(path.join(dir, name)).isDirectory() ? listFiles(path.join(dir, name), `${prefix}${name}/`) : [`${prefix}${name}`]));
}

/** The differences between generated files and a folder: paths that are missing, changed, or no longer generated. */
export function staleDocs(dir: string, files: ReadonlyMap<string, string>): string[] {
  const stale: string[] = [];
  for (const [rel, text] of files) {
    const full = path.join(dir, rel);
    if (!existsSync(full) || readFileSync(full, "utf8") !== text) stale.push(rel);
  }
  for (const rel of listFiles(dir)) if (!files.has(rel)) stale.push(rel);
  return stale.sort();
}

/** Writes the generated files into a folder (temp file + rename each) and removes files no longer generated. */
export function writeDocs(dir: string, files: ReadonlyMap<string, string>): string[] {
  const changed = staleDocs(dir, files);
  for (const rel of changed) {
    const full = path.join(dir, rel);
    const text = files.get(rel);
    if (text === undefined) {
      rmSync(full);
      continue;
    }
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileAtomicSync(full, text);
  }
  return changed;
}
