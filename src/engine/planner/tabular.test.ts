import { describe, expect, it } from "vitest";
import type { Column } from "../values.ts";
import { withDataColumns } from "./tabular.ts";

const cols = (names: string): Column[] => (names ? names.split(",").map((name) => ({ name, type: "long" as const })) : []);

describe("withDataColumns (open schemas keep the columns taken from the data)", () => {
  it.each<[string, string, string, string]>([
    ["data columns appended after the known ones", "Name,Age,Zed", "Name", "Name,Age,Zed"],
    ["known columns reordered, data columns follow their predecessor", "a,x,b", "b,a", "b,a,x"],
    ["a data column before every known one stays first", "x,a,b", "a,b", "x,a,b"],
    ["nothing unknown: the static order", "b,a", "a,b", "a,b"],
    ["no known column present: data columns only", "x,y", "", "x,y"],
  ])("%s", (_what, actual, expected, result) => {
    expect(withDataColumns(cols(actual), cols(expected)).map((c) => c.name).join(",")).toBe(result);
  });
});
