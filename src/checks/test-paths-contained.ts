import path from "node:path";
import type { Diagnostic } from "../diagnostics/index.ts";
import { rootOfLoaded, staysWithin } from "../load/index.ts";
import type { Check } from "./check.ts";
import { findingAt } from "./at.ts";
import { asRecord, asString } from "./fields.ts";
import { fixtureReferences } from "./test-fixtures-exist.ts";

/** SC1014: a tests file's target and fixture paths stay inside the repository (no `../../etc/passwd`, no absolute paths, no links out). */
export const testPathsContained = (): Check => ({
  code: "SC1014",
  kinds: ["tests"],
  run(file) {
    const root = rootOfLoaded(file);
    const dir = path.dirname(file.absolutePath);
    const outside = (docPath: (string | number)[], value: string): Diagnostic[] =>
      staysWithin(root, path.resolve(dir, value)) ? [] : [findingAt("SC1014", file, docPath, `${JSON.stringify(value)} leads outside the repository; it is never read`)];
    const target = asString(asRecord(file.data).target);
    const fixtures = fixtureReferences(file).flatMap(({ value, docPath }) => outside(docPath, value));
    return [...(target === undefined ? [] : outside(["target"], target)), ...fixtures];
  },
});

