import { execFileSync } from "node:child_process";
import type { ChangeSet } from "./dependencies.ts";

function git(root: string, args: string[]): string {
  return execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
}

/** The default base ref: origin/main, else main, else the previous commit. */
export function defaultBaseRef(root: string): string {
  for (const candidate of ["origin/main", "main", "HEAD~1"]) {
    try {
      git(root, ["rev-parse", "--verify", "--quiet", `${candidate}^{commit}`]);
      return candidate;
    } catch {
      // try the next candidate
    }
  }
  return "HEAD";
}

/**
 * The files changed since `base` (from the merge base with HEAD), plus uncommitted and untracked files, as
 * repo-relative paths; deleted content files come with their text at the base. Throws when git fails.
 */
export function changedSince(root: string, base: string): ChangeSet {
  const mergeBase = git(root, ["merge-base", base, "HEAD"]).trim();
  const prefix = git(root, ["rev-parse", "--show-prefix"]).trim();
  const committed = git(root, ["diff", "--name-status", "--no-renames", mergeBase, "--", "."]);
  const untracked = git(root, ["ls-files", "--others", "--exclude-standard", "--full-name", "--", "."]);
  const paths = new Set<string>();
  const deletedText = new Map<string, string>();
  const relative = (full: string) => (prefix && full.startsWith(prefix) ? full.slice(prefix.length) : full);
  for (const line of committed.split("\n")) {
    const [status, full] = line.split("\t");
    if (!status || !full) continue;
    const p = relative(full);
    paths.add(p);
    if (status.startsWith("D")) {
      try {
        deletedText.set(p, git(root, ["show", `${mergeBase}:${full}`]));
      } catch {
        // not readable at the base: nothing known about what it provided
      }
    }
  }
  for (const full of untracked.split("\n")) if (full) paths.add(relative(full));
  return { paths: [...paths].sort(), deletedText };
}
