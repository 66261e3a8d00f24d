import { makeDiagnostic, type Diagnostic, type DiagnosticCode } from "../diagnostics/index.ts";
import { locate, locateKey, type DocPath, type LoadedFile } from "../load/index.ts";

/** A finding at the value found at `path`. */
export function findingAt(code: DiagnosticCode, file: LoadedFile, path: DocPath, message: string, hint?: string): Diagnostic {
  return makeDiagnostic(code, locate(file, path), message, hint ? { hint } : {});
}

/** A finding at the key of the entry at `path`. */
export function findingAtKey(code: DiagnosticCode, file: LoadedFile, path: DocPath, message: string, hint?: string): Diagnostic {
  return makeDiagnostic(code, locateKey(file, path), message, hint ? { hint } : {});
}

/** Reads the value at a path of plain data. */
export function valueAt(data: unknown, path: DocPath): unknown {
  let node = data;
  for (const segment of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}
