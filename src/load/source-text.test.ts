import { mkdirSync, mkdtempSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { MAX_FILE_BYTES } from "./decode.ts";
import { readSourceText } from "./source-text.ts";
import { removedAfterAll } from "../files/test-support.ts";

// the temporary folders this file makes, removed after its tests
const temporaryFolders = removedAfterAll();

/** A repository with a small file, a folder, a file past the size limit, and links inside and out of it. */
function repository(): string {
  const outside = mkdtempSync(path.join(tmpdir(), "source-text-outside-"));
  temporaryFolders.push(outside);
  writeFileSync(path.join(outside, "secret.yaml"), "secret: 1\n");
  const root = mkdtempSync(path.join(tmpdir(), "source-text-"));
  temporaryFolders.push(root);
  writeFileSync(path.join(root, "small.yaml"), "name: small\n");
  mkdirSync(path.join(root, "folder.yaml"));
  writeFileSync(path.join(root, "huge.yaml"), "");
  truncateSync(path.join(root, "huge.yaml"), MAX_FILE_BYTES + 1);
  symlinkSync(path.join(root, "small.yaml"), path.join(root, "inner-link.yaml"));
  symlinkSync(path.join(outside, "secret.yaml"), path.join(root, "outer-link.yaml"));
  return root;
}

describe("readSourceText", () => {
  it.each([
    { file: "small.yaml", text: "name: small\n" },
    { file: "inner-link.yaml", text: "name: small\n" },
    { file: "missing.yaml", text: undefined },
    { file: "folder.yaml", text: undefined },
    { file: "huge.yaml", text: undefined },
    { file: "outer-link.yaml", text: undefined },
  ])("reads $file as $text", ({ file, text }) => {
    expect(readSourceText(repository(), file)).toBe(text);
  });
});
