import { kindOfPath, type ContentKind } from "../content/kinds.ts";
import type { Diagnostic } from "../diagnostics/index.ts";
import type { Check } from "./check.ts";
import { findingAtKey } from "./at.ts";
import { asList, asRecord } from "./fields.ts";
import { testTargetPath } from "./test-target.ts";

/** Case keys (top-level and under expect) that only one target kind may use. */
const CASE_KEYS: Readonly<Record<string, ContentKind>> = { timeline: "analytic-rule", input: "ingestion-mapping", parameters: "workbook" };
const EXPECT_KEYS: Readonly<Record<string, ContentKind>> = { alert: "analytic-rule", snapshot: "analytic-rule", output: "ingestion-mapping", steps: "workbook" };

/** SC2142: kind-specific case and expectation keys match the kind of the file under test. */
export const testExpectKind = (): Check => ({
  code: "SC2142",
  kinds: ["tests"],
  run(file) {
    const target = testTargetPath(file);
    const kind = kindOfPath(target);
    if (!kind) return [];
    const findings: Diagnostic[] = [];
    asList(asRecord(file.data).cases).forEach((c, index) => {
      const testCase = asRecord(c);
      const check = (keys: Readonly<Record<string, ContentKind>>, record: Record<string, unknown>, base: (string | number)[]) => {
        for (const [key, only] of Object.entries(keys)) {
          if (key in record && only !== kind) {
            findings.push(findingAtKey("SC2142", file, [...base, key], `'${key}' is for ${only} tests, but ${target} is a ${kind}`));
          }
        }
      };
      check(CASE_KEYS, testCase, ["cases", index]);
      check(EXPECT_KEYS, asRecord(testCase.expect), ["cases", index, "expect"]);
    });
    return findings;
  },
});
