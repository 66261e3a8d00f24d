import type { CodeInfo } from "./code-info.ts";

/** SC1011–SC1029: inputs that are not content files at all, or that try to leave the repository. */
export const HOSTILE_INPUT_CODES = {
  SC1011: { severity: "error", title: "No content found", hint: "The path holds no file of a known content kind; check the path, or name the kind with --kind." },
  SC1012: { severity: "error", title: "Not a regular file", hint: "Devices, FIFOs and sockets are never read as content; point at a regular file." },
  SC1013: { severity: "error", title: "Symbolic link leaves the repository", hint: "Content and fixtures must stay inside the repository; copy the file in instead of linking to it." },
  SC1014: { severity: "error", title: "Path leaves the repository", hint: "Fixture and target paths are relative to the tests file and must stay inside the repository (no ../ beyond its root, no absolute paths)." },
  SC1015: { severity: "error", title: "Symbolic link loop", hint: "A symbolic link points back at a folder that contains it; remove the link." },
} as const satisfies Record<`SC1${string}`, CodeInfo>;
