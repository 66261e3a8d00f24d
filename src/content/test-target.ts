import path from "node:path";

/**
 * The repo-relative path a tests file targets: its `target:` (relative to the tests file), else the sibling with the
 * same stem — `.yaml`, or `.yml` when only that exists in the repository. The one rule validate and test share.
 */
export function targetPathOf(testsPath: string, target: unknown, repository: { files: { has(repoPath: string): boolean } }): string {
  const dir = path.posix.dirname(testsPath);
  if (typeof target === "string") return path.posix.normalize(path.posix.join(dir, target));
  const stem = testsPath.replace(/\.tests\.ya?ml$/i, "");
  return repository.files.has(`${stem}.yml`) && !repository.files.has(`${stem}.yaml`) ? `${stem}.yml` : `${stem}.yaml`;
}
