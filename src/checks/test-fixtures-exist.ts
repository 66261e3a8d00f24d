import { existsSync } from "node:fs";
import path from "node:path";
import type { LoadedFile } from "../load/index.ts";
import type { Check } from "./check.ts";
import { findingAt } from "./at.ts";
import { asList, asRecord } from "./fields.ts";

/** Case keys whose values may name fixture files. */
const FIXTURE_MAPS = ["tables", "watchlists", "input", "raw"] as const;

/** Every fixture file a tests file's cases name (tables, watchlists, input, raw): the written path and where it is written. */
export function fixtureReferences(file: LoadedFile): { value: string; docPath: (string | number)[] }[] {
  return asList(asRecord(file.data).cases).flatMap((c, index) =>
    FIXTURE_MAPS.flatMap((key) =>
      Object.entries(asRecord(asRecord(c)[key])).flatMap(([name, value]) => (typeof value === "string" ? [{ value, docPath: ["cases", index, key, name] }] : [])),
    ),
  );
}

/** SC2144: fixture files named in a case (tables, watchlists, input, raw) exist beside the tests file. */
export const testFixturesExist = (): Check => ({
  code: "SC2144",
  kinds: ["tests"],
  run(file) {
    const dir = path.dirname(file.absolutePath);
    return fixtureReferences(file).flatMap(({ value, docPath }) =>
      existsSync(path.resolve(dir, value)) ? [] : [findingAt("SC2144", file, docPath, `fixture file ${value} does not exist (relative to ${path.posix.dirname(file.path)})`)],
    );
  },
});
