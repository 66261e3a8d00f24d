import { describe, expect, it } from "vitest";
import { compileGlob, literalPrefix } from "./glob.ts";
import { kindOfPath } from "./kinds.ts";
import { presetLayout, searchFolders } from "./layout.ts";

describe("compileGlob", () => {
  it.each([
    ["Detections/**", "Detections/Syslog/a.yaml", true],
    ["Detections/**", "Detections", false],
    ["Solutions/*/Hunting Queries/**", "Solutions/Okta SSO/Hunting Queries/q.yaml", true],
    ["Solutions/*/Hunting Queries/**", "Solutions/a/b/Hunting Queries/q.yaml", false],
    ["**/*.yaml", "a.yaml", true],
    ["**/*.yaml", "a/b/c.yaml", true],
    ["rules/{a,b}/*.yaml", "rules/b/x.yaml", true],
    ["rules/{a,b}/*.yaml", "rules/c/x.yaml", false],
    ["rule?.yaml", "rule1.yaml", true],
    ["rule?.yaml", "rule10.yaml", false],
    ["a.b/(x)+.yaml", "a.b/(x)+.yaml", true],
    ["a.b/*.yaml", "aXb/c.yaml", false],
  ])("%s matches %s: %s", (glob, path, matches) => {
    const result = compileGlob(glob);
    expect(result.ok && result.regex.test(path)).toBe(matches);
  });

  it.each([
    ["", "the glob is empty"],
    ["/abs/**", "the glob must be relative to the repository root (no leading / or ..)"],
    ["../up/*.yaml", "the glob must be relative to the repository root (no leading / or ..)"],
    ["a**/b", "** must be a whole path segment"],
    ["{a,{b}}", "{…} alternatives cannot be nested"],
    ["{a,b", "a { has no closing }"],
    ["x".repeat(513), "the glob is longer than 512 characters"],
  ])("refuses %j", (glob, reason) => {
    expect(compileGlob(glob)).toEqual({ ok: false, reason });
  });

  it("names the literal folders a glob starts with", () => {
    expect(literalPrefix("Solutions/*/Analytic Rules/**")).toBe("Solutions");
    expect(literalPrefix("Hunting Queries/**")).toBe("Hunting Queries");
    expect(literalPrefix("**/*.yaml")).toBe("");
    expect(literalPrefix("a/b/c.yaml")).toBe("a/b");
  });
});

describe("the azure-sentinel preset", () => {
  const layout = presetLayout("azure-sentinel");
  it.each([
    ["Detections/SigninLogs/brute.yaml", "analytic-rule"],
    ["Solutions/Okta SSO/Analytic Rules/a.yaml", "analytic-rule"],
    ["Solutions/X/Analytical Rules/a.yaml", "analytic-rule"],
    ["Solutions/X/Analytics Rules/a.yml", "analytic-rule"],
    ["Solutions/X/Analytic Rules/a.tests.yaml", "tests"],
    ["Hunting Queries/SigninLogs/q.yaml", "hunting-query"],
    ["Solutions/X/Hunting Queries/q.yaml", "hunting-query"],
    ["Solutions/X/Data Connectors/c.yaml", undefined],
    ["Solutions/X/Analytic Rules/fixtures/rows.yaml", undefined],
    ["analytics-rules/a.yaml", undefined],
    ["environments.yaml", "environments"],
  ])("%s → %s", (path, kind) => {
    expect(kindOfPath(path, layout)).toBe(kind);
  });

  it("searches only the folders its globs start in", () => {
    expect(searchFolders(layout)).toEqual(["Detections", "Hunting Queries", "Solutions"]);
    expect(searchFolders({ ...layout, rules: [...layout.rules, { glob: "**/*.rule.yaml", kind: "analytic-rule" }] })).toEqual([""]);
  });
});
