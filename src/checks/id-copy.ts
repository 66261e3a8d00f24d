import type { Diagnostic } from "../diagnostics/index.ts";
import type { LoadedFile } from "../load/index.ts";
import type { Check } from "./check.ts";
import { findingAt } from "./at.ts";
import { KINDS_WITH_ID } from "./id-guid.ts";
import { displayNameOf, groupById } from "./id-unique.ts";

/** SC2105: the same item (same id and name) lives in two files, e.g. a copy left behind after a move. */
export const idCopy = (): Check => {
  const files: LoadedFile[] = [];
  return {
    code: "SC2105",
    severity: "warning",
    kinds: KINDS_WITH_ID,
    run(file) {
      files.push(file);
      return [];
    },
    finalize() {
      const findings: Diagnostic[] = [];
      for (const group of groupById(files)) {
        for (const file of group) {
          const copies = group.filter((f) => f !== file && displayNameOf(f) === displayNameOf(file));
          if (copies.length > 0) findings.push(findingAt("SC2105", file, ["id"], `same id and name as ${copies.map((f) => f.path).join(", ")}`));
        }
      }
      return findings;
    },
  };
};
