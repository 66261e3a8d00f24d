import type { Check } from "./check.ts";
import { findingAt } from "./at.ts";
import { asList, asRecord, asString } from "./fields.ts";

/** SC2140: test case names are unique within a tests file. */
export const testCaseNames = (): Check => ({
  code: "SC2140",
  kinds: ["tests"],
  run(file) {
    const names = asList(asRecord(file.data).cases).map((c) => asString(asRecord(c).name));
    return names.flatMap((name, index) =>
      name !== undefined && names.indexOf(name) !== index
        ? [findingAt("SC2140", file, ["cases", index, "name"], `case name '${name}' is already used by case ${names.indexOf(name) + 1}`)]
        : [],
    );
  },
});
