import { describe, expect, it } from "vitest";
import { typedOutcome as run } from "../test-helpers.ts";

const T = "let T = datatable(State:string, Type:string, Damage:long)['TX','Hail',5, 'TX','Wind',7, 'TX','Hail',1, 'KS','Flood',20, 'OK','Ice',2, 'OK','Ice',1];";

describe("top-nested through runQuery", () => {
  it.each<[string, string, { columns: string[]; rows: unknown[][] }]>([
    [
      "picks the top groups per level by the aggregate, descending by default",
      `${T} T | top-nested 2 of State by sum(Damage), top-nested 1 of Type by sum(Damage)`,
      {
        columns: ["State:string", "aggregated_State:long", "Type:string", "aggregated_Type:long"],
        rows: [["KS", 20, "Flood", 20], ["TX", 13, "Wind", 7]],
      },
    ],
    [
      "adds an `others` row aggregated over the rest",
      `${T} T | top-nested 1 of State with others="Other" by n=count()`,
      { columns: ["State:string", "n:long"], rows: [["TX", 3], ["Other", 3]] },
    ],
    [
      "orders ascending on request and returns every value without N",
      `${T} T | top-nested of State by m=max(Damage) asc`,
      { columns: ["State:string", "m:long"], rows: [["OK", 2], ["TX", 7], ["KS", 20]] },
    ],
    [
      "gives nothing for an empty input",
      `${T} T | where Damage > 100 | top-nested 2 of State by count()`,
      { columns: ["State:string", "aggregated_State:long"], rows: [] },
    ],
  ])("%s", (_what, query, expected) => {
    expect(run(query)).toEqual(expected);
  });

  it("refuses an aggregate expression it does not compute exactly", () => {
    expect(run(`${T} T | top-nested 2 of State by sum(Damage) / count()`)).toMatch(/SC400[12]/);
  });
});
