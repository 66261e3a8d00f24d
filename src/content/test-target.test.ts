import { describe, expect, it } from "vitest";
import { targetPathOf } from "./test-target.ts";

describe("targetPathOf", () => {
  it.each([
    { name: "an explicit target, relative to the tests file", tests: "parsers/a/p.tests.yaml", target: "../b/q.yaml", files: [], path: "parsers/b/q.yaml" },
    { name: "the sibling .yaml by default", tests: "analytics-rules/x/r.tests.yaml", target: undefined, files: [], path: "analytics-rules/x/r.yaml" },
    { name: "the sibling .yml when only it exists", tests: "analytics-rules/x/r.tests.yaml", target: undefined, files: ["analytics-rules/x/r.yml"], path: "analytics-rules/x/r.yml" },
    { name: "the .yaml when both exist", tests: "analytics-rules/x/r.tests.yml", target: 3, files: ["analytics-rules/x/r.yml", "analytics-rules/x/r.yaml"], path: "analytics-rules/x/r.yaml" },
  ])("$name", ({ tests, target, files, path }) => {
    expect(targetPathOf(tests, target, { files: new Map(files.map((f) => [f, f])) })).toBe(path);
  });
});
