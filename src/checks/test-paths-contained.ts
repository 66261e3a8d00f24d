import path from "node:path";
import type { Diagnostic } from "../diagnostics/index.ts";
import { rootOfLoaded, staysWithin } from "../load/index.ts";
import type { Check } from "./check.ts";
import { findingAt } from "./at.ts";
import { asList, asRecord, asString } from "./fields.ts";

/** Case keys whose values may name fixture files. */
const FIXTURE_MAPS = ["tables", "watchlists", "input", "raw"] as const;

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
    const fixtures = asList(asRecord(file.data).cases).flatMap((c, index) =>
      FIXTURE_MAPS.flatMap((key) =>
        Object.entries(asRecord(asRecord(c)[key])).flatMap(([name, value]) => (typeof value === "string" ? outside(["cases", index, key, name], value) : [])),
      ),
    );
    return [...(target === undefined ? [] : outside(["target"], target)), ...fixtures];
  },
});

