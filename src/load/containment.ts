import { realpathSync } from "node:fs";
import path from "node:path";

/** Whether `target` is `root` or lies below it (both absolute, already resolved). */
export function isWithin(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

/** The path with every symbolic link resolved, or undefined when it does not exist (or a link is broken). */
export function realPathOf(target: string): string | undefined {
  try {
    return realpathSync(target);
  } catch {
    return undefined;
  }
}

/** Whether `target`, with symbolic links resolved, stays inside `root` (also resolved); a missing target counts by its lexical path. */
export function staysWithin(root: string, target: string): boolean {
  const realRoot = realPathOf(root) ?? path.resolve(root);
  const lexical = path.resolve(target);
  if (!isWithin(path.resolve(root), lexical) && !isWithin(realRoot, lexical)) return false;
  const real = realPathOf(lexical);
  return real === undefined || isWithin(realRoot, real);
}

/** The root a file was loaded from: its absolute path without its repo-relative path (its own folder when it lies outside the root). */
export function rootOfLoaded(file: { path: string; absolutePath: string }): string {
  if (path.isAbsolute(file.path) || /^[A-Za-z]:\//.test(file.path)) return path.dirname(file.absolutePath);
  const depth = file.path.split("/").length;
  let root = file.absolutePath;
  for (let i = 0; i < depth; i++) root = path.dirname(root);
  return root;
}
