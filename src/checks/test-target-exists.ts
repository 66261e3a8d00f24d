import { existsSync } from "node:fs";
import path from "node:path";
import type { Check } from "./check.ts";
import { findingAt } from "./at.ts";
import { asRecord } from "./fields.ts";
import { testTargetPath } from "./test-target.ts";

/** SC2143: the file a tests file tests exists. */
export const testTargetExists = (): Check => ({
  code: "SC2143",
  kinds: ["tests"],
  run(file) {
    const target = testTargetPath(file);
    const absolute = path.join(path.dirname(file.absolutePath), path.posix.relative(path.posix.dirname(file.path), target));
    if (existsSync(absolute)) return [];
    const explicit = "target" in asRecord(file.data);
    return [findingAt("SC2143", file, explicit ? ["target"] : [], `the file under test, ${target}, does not exist`)];
  },
});
