import { existsSync } from "node:fs";
import type { Check } from "./check.ts";
import { findingAt } from "./at.ts";
import { asRecord } from "./fields.ts";
import { absoluteOf, testTargetPath } from "./test-target.ts";

/** SC2143: the file a tests file tests exists. */
export const testTargetExists = (): Check => ({
  code: "SC2143",
  kinds: ["tests"],
  run(file) {
    const target = testTargetPath(file);
    if (existsSync(absoluteOf(file, target))) return [];
    const explicit = "target" in asRecord(file.data);
    return [findingAt("SC2143", file, explicit ? ["target"] : [], `the file under test, ${target}, does not exist`)];
  },
});
