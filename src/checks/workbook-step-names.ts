import type { Diagnostic } from "../diagnostics/index.ts";
import type { Check } from "./check.ts";
import { findingAt } from "./at.ts";
import { asList, asRecord, asString } from "./fields.ts";

/** SC2152: workbook step names are unique (nested group steps included). */
export const workbookStepNames = (): Check => ({
  code: "SC2152",
  kinds: ["workbook"],
  run(file) {
    const seen = new Set<string>();
    const findings: Diagnostic[] = [];
    const visit = (items: unknown, path: (string | number)[]) => {
      asList(items).forEach((item, index) => {
        const step = asRecord(item);
        const name = asString(step.name);
        if (name !== undefined) {
          if (seen.has(name)) findings.push(findingAt("SC2152", file, [...path, index, "name"], `step name '${name}' is used by another step`));
          seen.add(name);
        }
        visit(asRecord(step.content).items, [...path, index, "content", "items"]);
      });
    };
    visit(asRecord(asRecord(file.data).content).items, ["content", "items"]);
    return findings;
  },
});
