import type { Diagnostic } from "../diagnostics/index.ts";
import type { LoadedFile } from "../load/index.ts";
import type { Check } from "./check.ts";
import { findingAt } from "./at.ts";
import { asRecord } from "./fields.ts";
import { idOf } from "./id-groups.ts";

/** SC2103: rule names and hunting-query names are unique within their kind (copies with the same id are SC2105's). */
export const nameUnique = (): Check => {
  const seen = new Map<string, LoadedFile[]>();
  return {
    code: "SC2103",
    kinds: ["analytic-rule", "hunting-query"],
    run(file) {
      const name = asRecord(file.data).name;
      if (typeof name === "string") {
        const key = `${file.kind}\u0000${name.trim().toLowerCase()}`;
        seen.set(key, [...(seen.get(key) ?? []), file]);
      }
      return [];
    },
    finalize() {
      const findings: Diagnostic[] = [];
      for (const files of seen.values()) {
        if (files.length < 2) continue;
        for (const file of files) {
          const id = idOf(file);
          const others = files.filter((f) => f !== file && (id === undefined || idOf(f) !== id)).map((f) => f.path);
          if (others.length > 0) findings.push(findingAt("SC2103", file, ["name"], `name is also used by ${others.join(", ")}`));
        }
      }
      return findings;
    },
  };
};
