import type { Diagnostic } from "../diagnostics/index.ts";
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

/** Groups files by id (GUIDs compare case-insensitively). */
export function groupById(files: readonly LoadedFile[]): LoadedFile[][] {
  const groups = new Map<string, LoadedFile[]>();
  for (const file of files) {
    const id = asRecord(file.data).id;
    if (typeof id === "string") groups.set(id.toLowerCase(), [...(groups.get(id.toLowerCase()) ?? []), file]);
  }
  return [...groups.values()];
}

/** SC2102: ids are unique across the repository; two different items (different names) sharing one id is an error. */
export const idUnique = (): Check => {
  const files: LoadedFile[] = [];
  return {
    code: "SC2102",
    severity: "error",
    kinds: KINDS_WITH_ID,
    run(file) {
      files.push(file);
      return [];
    },
    finalize() {
      const findings: Diagnostic[] = [];
      for (const group of groupById(files)) {
        for (const file of group) {
          const others = group.filter((f) => f !== file && displayNameOf(f) !== displayNameOf(file));
          if (others.length > 0) findings.push(findingAt("SC2102", file, ["id"], `id is also used by ${others.map((f) => f.path).join(", ")}`));
        }
      }
      return findings;
    },
  };
};
