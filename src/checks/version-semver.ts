import type { DocPath } from "../load/index.ts";
import type { Check } from "./check.ts";
import { findingAt, valueAt } from "./at.ts";

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** Where each kind keeps its version. */
const VERSION_PATHS: Readonly<Record<string, DocPath>> = {
  "analytic-rule": ["version"],
  "hunting-query": ["version"],
  workbook: ["version"],
  parser: ["Parser", "Version"],
};

/** SC2104: versions are semantic versions (MAJOR.MINOR.PATCH). */
export const versionSemver = (): Check => ({
  code: "SC2104",
  kinds: ["analytic-rule", "hunting-query", "workbook", "parser"],
  run(file) {
    const path = VERSION_PATHS[file.kind];
    if (!path) return [];
    const version = valueAt(file.data, path);
    if (typeof version !== "string" || SEMVER.test(version)) return [];
    return [findingAt("SC2104", file, path, `version ${JSON.stringify(version)} is not a semantic version (MAJOR.MINOR.PATCH)`)];
  },
});
