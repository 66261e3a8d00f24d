import { describe, expect, it } from "vitest";
import type { ResourceKind } from "./api-versions.ts";
import { markDescription, markerValue, ownershipOf, readMarkerOf, type Ownership } from "./marker.ts";

const RULE = "6d7e3c52-0000-4000-8000-000000000001";
const rule = (description: string) => ({ properties: { description } });
const workbook = (value: string) => ({ tags: { "managed-by": value } });

describe("ownership markers bound to the resource name", () => {
  it("writes the repository and the lower-cased resource name", () => {
    expect(markerValue("repo", "My-Alias")).toBe("sentinel-content:repo@my-alias");
    expect(readMarkerOf("alert-rule", rule(markDescription("text", "repo", RULE)))).toEqual({ repository: "repo", boundTo: RULE });
  });

  it.each<[string, ResourceKind, unknown, string, Ownership]>([
    ["our rule at its own name", "alert-rule", rule(markDescription("x", "repo", RULE)), RULE, "owned"],
    ["a portal duplicate (our marker copied to a new GUID)", "alert-rule", rule(markDescription("x", "repo", RULE)), "0f0f0f0f-1111-4000-8000-000000000002", "copied"],
    ["a hand-made rule at a GUID we use", "alert-rule", rule("made in the portal"), RULE, "unmarked"],
    ["another repository's rule", "alert-rule", rule(markDescription("x", "other", RULE)), RULE, "foreign"],
    ["a marker written before binding", "alert-rule", rule("x\n\n[managed-by: sentinel-content:repo]"), RULE, "legacy"],
    ["a marker naming the repository as a prefix only", "workbook", workbook("sentinel-content:repo-2@wb"), "wb", "foreign"],
    ["a workbook tag bound to its name (case-insensitive)", "workbook", workbook("sentinel-content:repo@wb"), "WB", "owned"],
    ["a table (tables carry no marker)", "table", { properties: {} }, "T_CL", "unmarked"],
  ])("%s is %s", (_label, kind, body, name, expected) => {
    expect(ownershipOf(kind, body, name, "repo")).toBe(expected);
  });
});
