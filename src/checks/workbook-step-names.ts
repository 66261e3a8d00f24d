import type { Diagnostic } from "../diagnostics/index.ts";
import { workbookItems } from "../content/workbook-items.ts";
import type { Check } from "./check.ts";
import { findingAt } from "./at.ts";
import { asRecord, asString } from "./fields.ts";

/** SC2152: workbook step names are unique (nested group steps included). */
export const workbookStepNames = (): Check => ({
  code: "SC2152",
  kinds: ["workbook"],
  run(file) {
    const seen = new Set<string>();
    const findings: Diagnostic[] = [];
    for (const { item, path } of workbookItems(asRecord(file.data).content)) {
      const name = asString(item.name);
      if (name === undefined) continue;
      if (seen.has(name)) findings.push(findingAt("SC2152", file, [...path, "name"], `step name '${name}' is used by another step`));
      seen.add(name);
    }
    return findings;
  },
});
