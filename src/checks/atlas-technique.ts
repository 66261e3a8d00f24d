import type { Check } from "./check.ts";
import { findingAt } from "./at.ts";
import { asRecord, stringItems } from "./fields.ts";
import { atlasData } from "./mitre-data.ts";

/** SC2125: x-genai.atlas ids are MITRE ATLAS techniques of the bundled release. */
export const atlasTechnique = (): Check => ({
  code: "SC2125",
  kinds: ["analytic-rule", "hunting-query", "workbook"],
  run(file) {
    const data = atlasData();
    return stringItems(asRecord(asRecord(file.data)["x-genai"]).atlas)
      .filter(({ value }) => !(value in data.techniques))
      .map(({ value, index }) =>
        findingAt("SC2125", file, ["x-genai", "atlas", index], `'${value}' is not a technique of MITRE ATLAS ${data.atlasVersion}`),
      );
  },
});
