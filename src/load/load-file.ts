import { closeSync, fstatSync, lstatSync, openSync, readSync, statSync } from "node:fs";
import path from "node:path";
import { kindOfPath, type ContentKind } from "../content/kinds.ts";
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.ts";
import { MAX_FILE_BYTES, decodeContent, oversizeDiagnostic } from "./decode.ts";
import { isWithin, realPathOf } from "./containment.ts";
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
  const refused = refusedPath(absolutePath, root, file);
  if (refused) return { diagnostics: [refused] };
  const read = readBounded(absolutePath, maxBytes);
  if ("reason" in read) return { diagnostics: [makeDiagnostic("SC1008", { file }, `cannot read the file: ${read.reason}`)] };
  // oversized files are rejected from their size alone, without reading them into memory
  if (read.size > maxBytes) return { diagnostics: [oversizeDiagnostic(file, read.size, maxBytes)] };
  const bytes = read.bytes;
  const decoded = decodeContent(bytes, file, maxBytes);
  if (decoded.diagnostic) return { diagnostics: [decoded.diagnostic] };
  return loadText(decoded.text, file, kind, absolutePath);
}

/**
 * Why a path is never opened, if it is not: a symbolic link inside `root` that resolves outside it (SC1013), or
 * anything but a regular file once links are followed (SC1012: devices and FIFOs would block or never end).
 */
export function refusedPath(absolutePath: string, root: string, file: string): Diagnostic | undefined {
  let link: ReturnType<typeof lstatSync>;
  try {
    link = lstatSync(absolutePath);
  } catch (error) {
    return makeDiagnostic("SC1008", { file }, "cannot read the file", { cause: error });
  }
  if (link.isSymbolicLink()) {
    const real = realPathOf(absolutePath);
    if (real === undefined) return makeDiagnostic("SC1008", { file }, "the symbolic link is broken (its target does not exist)");
    const realRoot = realPathOf(root) ?? root;
    if (isWithin(path.resolve(root), path.resolve(absolutePath)) && !isWithin(realRoot, real)) {
      return makeDiagnostic("SC1013", { file }, "the file is a symbolic link to a path outside the repository");
    }
  }
  const target = statSync(absolutePath, { throwIfNoEntry: false });
  if (target && !target.isFile()) return makeDiagnostic("SC1012", { file }, `not a regular file (${fileType(target)}); only regular files are read`);
  return undefined;
}

function fileType(info: ReturnType<typeof statSync> & object): string {
  if (info.isDirectory()) return "a directory";
  if (info.isFIFO()) return "a FIFO";
  if (info.isCharacterDevice() || info.isBlockDevice()) return "a device";
  if (info.isSocket()) return "a socket";
  return "not a file";
}

/** Reads at most `maxBytes + 1` bytes of a regular file through one descriptor: its size comes from that descriptor, so a file that grows after the check cannot make the read unbounded. */
function readBounded(absolutePath: string, maxBytes: number): { bytes: Uint8Array; size: number } | { reason: string } {
  let fd: number | undefined;
  try {
    fd = openSync(absolutePath, "r");
    const size = fstatSync(fd).size;
    if (size > maxBytes) return { bytes: new Uint8Array(), size };
    const buffer = Buffer.alloc(Math.min(size, maxBytes) + 1);
    let length = 0;
    for (let n = 1; n > 0 && length < buffer.length; length += n) n = readSync(fd, buffer, length, buffer.length - length, null);
    return { bytes: buffer.subarray(0, length), size: Math.max(size, length) };
  } catch (error) {
    return { reason: error instanceof Error ? error.message : String(error) };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Parses already-decoded YAML text as a content file (used by `loadFile`, and by tests to load inline YAML). */
export function loadText(text: string, file: string, kind: ContentKind, absolutePath = file): LoadFileResult {
  if (text.trim() === "") return { diagnostics: [makeDiagnostic("SC1006", { file }, "the file is empty")] };
  const parsed = parseYaml(text, file);
  if (!("data" in parsed)) return { diagnostics: parsed.diagnostics };
  const loaded: LoadedFile = { path: file, absolutePath, kind, text, doc: parsed.doc, data: parsed.data, lineCounter: parsed.lineCounter };
  return { file: loaded, diagnostics: parsed.diagnostics };
}
