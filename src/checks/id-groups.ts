import type { Diagnostic, DiagnosticCode } from "../diagnostics/index.ts";
import type { LoadedFile } from "../load/index.ts";
import type { Check } from "./check.ts";
import { findingAt } from "./at.ts";
import { asRecord } from "./fields.ts";
import { KINDS_WITH_ID } from "./id-guid.ts";

/** The display name of a content file, whatever key its kind uses. */
export function displayNameOf(file: LoadedFile): string | undefined {
  const data = asRecord(file.data);
  const name = data.name ?? data.displayName ?? data.ParserName ?? data.watchlistAlias;
  return typeof name === "string" ? name.trim().toLowerCase() : undefined;
}

/** The id of a content file, lower-cased (GUIDs compare case-insensitively). */
export function idOf(file: LoadedFile): string | undefined {
  const id = asRecord(file.data).id;
  return typeof id === "string" ? id.toLowerCase() : undefined;
}

/** Groups files by id. */
export function groupById(files: readonly LoadedFile[]): LoadedFile[][] {
  const groups = new Map<string, LoadedFile[]>();
  for (const file of files) {
    const id = idOf(file);
    if (id !== undefined) groups.set(id, [...(groups.get(id) ?? []), file]);
  }
  return [...groups.values()];
}

/** How a cross-file id check picks the files that clash with one file, and words its finding. */
export interface IdClashRule {
  code: DiagnosticCode;
  /** Whether another file with the same id counts as a clash, judged by both display names. */
  clashes(sameName: boolean): boolean;
  /** The finding's message, given the clashing files' paths. */
  message(paths: readonly string[]): string;
}

/** A check that collects every file with an id and, at the end, reports each file whose id group holds a clash. */
export function idClashCheck(rule: IdClashRule): Check {
  const files: LoadedFile[] = [];
  return {
    code: rule.code,
    kinds: KINDS_WITH_ID,
    run(file) {
      files.push(file);
      return [];
    },
    finalize() {
      const findings: Diagnostic[] = [];
      for (const group of groupById(files)) {
        for (const file of group) {
          const clashing = group.filter((f) => f !== file && rule.clashes(displayNameOf(f) === displayNameOf(file)));
          if (clashing.length > 0) findings.push(findingAt(rule.code, file, ["id"], rule.message(clashing.map((f) => f.path))));
        }
      }
      return findings;
    },
  };
}
