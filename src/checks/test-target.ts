import path from "node:path";
import { kindOfPath, type ContentKind } from "../content/kinds.ts";
import type { LoadedFile } from "../load/index.ts";
import { asRecord, asString } from "./fields.ts";

/** The repo-relative path of the file a tests file tests: its `target`, else the sibling with the same stem. */
export function testTargetPath(file: LoadedFile): string {
  const dir = path.posix.dirname(file.path);
  const target = asString(asRecord(file.data).target);
  if (target !== undefined) return path.posix.normalize(path.posix.join(dir, target));
  return path.posix.join(dir, path.posix.basename(file.path).replace(/\.tests\.(ya?ml)$/i, ".$1"));
}

/** The content kind of a tests file's target, from its path (undefined outside the content folders). */
export function testTargetKind(file: LoadedFile): ContentKind | undefined {
  return kindOfPath(testTargetPath(file));
}
