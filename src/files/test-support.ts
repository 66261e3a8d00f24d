import { rmSync } from "node:fs";
import { afterAll } from "vitest";

/** A list of temporary folders (and files) a test file makes, each removed once the file's tests are done; push to it after each `mkdtempSync`. */
export function removedAfterAll(): string[] {
  const paths: string[] = [];
  afterAll(() => {
    for (const made of paths.splice(0)) rmSync(made, { recursive: true, force: true });
  });
  return paths;
}
