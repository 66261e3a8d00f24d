import { describe, expect, it } from "vitest";
import { problemMessage, problemsOf } from "./engine-port.ts";

describe("engine problems as findings", () => {
  it.each([
    ["with a code", { message: "no such operator", code: "SC4001" }, "SC4001: no such operator"],
    ["without a code", { message: "no table T" }, "no table T"],
  ])("words a problem %s", (_name, problem, expected) => {
    expect(problemMessage(problem)).toBe(expected);
  });

  it("keeps the problems of a failed run, and names a missing result when there are none", () => {
    expect(problemsOf([{ message: "x" }])).toEqual([{ message: "x" }]);
    expect(problemsOf([])).toEqual([{ message: "the engine returned no result" }]);
  });
});
