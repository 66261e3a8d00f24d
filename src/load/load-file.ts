import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { kindOfPath, type ContentKind } from "../content/kinds.ts";
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.ts";
import { MAX_FILE_BYTES, decodeContent, oversizeDiagnostic } from "./decode.ts";
import type { LoadedFile } from "./loaded-file.ts";
import { parseYaml } from "./parse-yaml.ts";

/** Options of `loadFile` and `loadContentTree`. */
export interface LoadOptions {
  /** Force this kind for every file (for paths outside the content folders, e.g. a corpus). */
  kind?: ContentKind;
  /** Largest accepted file in bytes. */
  maxBytes?: number;
}

/** A loaded file (absent when loading failed) and the load findings. */
export interface LoadFileResult {
  file?: LoadedFile;
  diagnostics: Diagnostic[];
}

/** The repo-relative POSIX path of a file, or its absolute POSIX path when it is outside `root`. */
export function repoRelativePath(absolutePath: string, root: string): string {
  const relative = path.relative(root, absolutePath);
  const outside = relative.startsWith("..") || path.isAbsolute(relative);
  return (outside ? absolutePath : relative).split(path.sep).join("/");
}

/** Reads, decodes and parses one content file; every problem becomes a positioned SC1xxx finding, never an exception. */
export function loadFile(absolutePath: string, root: string, options: LoadOptions = {}): LoadFileResult {
  const file = repoRelativePath(absolutePath, root);
  const kind = options.kind ?? kindOfPath(file);
  if (!kind) {
    return { diagnostics: [makeDiagnostic("SC1010", { file }, "not a content file: its folder and name give no content kind")] };
  }
  const maxBytes = options.maxBytes ?? MAX_FILE_BYTES;
  let bytes: Uint8Array;
  try {
    const size = statSync(absolutePath).size;
    // oversized files are rejected from their size alone, without reading them into memory
    if (size > maxBytes) return { diagnostics: [oversizeDiagnostic(file, size, maxBytes)] };
    bytes = readFileSync(absolutePath);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { diagnostics: [makeDiagnostic("SC1008", { file }, `cannot read the file: ${reason}`)] };
  }
  const decoded = decodeContent(bytes, file, maxBytes);
  if (decoded.diagnostic) return { diagnostics: [decoded.diagnostic] };
  return loadText(decoded.text, file, kind, absolutePath);
}

/** Parses already-decoded YAML text as a content file (used by `loadFile`, and by tests to load inline YAML). */
export function loadText(text: string, file: string, kind: ContentKind, absolutePath = file): LoadFileResult {
  if (text.trim() === "") return { diagnostics: [makeDiagnostic("SC1006", { file }, "the file is empty")] };
  const parsed = parseYaml(text, file);
  if (!("data" in parsed)) return { diagnostics: parsed.diagnostics };
  const loaded: LoadedFile = { path: file, absolutePath, kind, text, doc: parsed.doc, data: parsed.data, lineCounter: parsed.lineCounter };
  return { file: loaded, diagnostics: parsed.diagnostics };
}
