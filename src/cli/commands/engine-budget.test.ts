import { describe, expect, it } from "vitest";
import { ExitError } from "../../diagnostics/errors.ts";
import { budgetLimits } from "./engine-budget.ts";

describe("budgetLimits", () => {
  it("turns --time-budget and --memory-budget into engine limits, leaving the rest to the defaults", () => {
    expect(budgetLimits({ timeBudget: "500", memoryBudget: "64" })).toEqual({ maxMilliseconds: 500, maxMemoryMb: 64 });
    expect(budgetLimits({})).toEqual({});
  });

  it.each(["0", "-5", "1.5", "ten", ""])("refuses %j with a usage error", (text) => {
    expect(() => budgetLimits({ timeBudget: text })).toThrow(ExitError);
    expect(() => budgetLimits({ memoryBudget: text })).toThrow(/--memory-budget must be a whole number of at least 1/);
  });
});
