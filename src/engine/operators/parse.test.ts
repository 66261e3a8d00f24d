import { describe, expect, it } from "vitest";
import { typedOutcome as run } from "../test-helpers.ts";

describe("parse and parse-where through runQuery", () => {
  it.each<[string, string, { columns: string[]; rows: unknown[][] }]>([
    [
      "extends typed captures and leaves misses empty",
      `datatable(s:string)['user=bob id=7', 'nothing here'] | parse s with * "user=" user " id=" id:long`,
      { columns: ["s:string", "user:string", "id:long"], rows: [["user=bob id=7", "bob", 7], ["nothing here", "", null]] },
    ],
    [
      "parse-where drops rows that do not match",
      `datatable(s:string)['user=bob id=7', 'user=eve id=x'] | parse-where s with * "user=" user " id=" id:long`,
      { columns: ["s:string", "user:string", "id:long"], rows: [["user=bob id=7", "bob", 7]] },
    ],
    [
      "kind=relaxed keeps the row and nulls the capture of the wrong type",
      `datatable(s:string)['user=eve id=x'] | parse kind=relaxed s with * "user=" user " id=" id:long`,
      { columns: ["s:string", "user:string", "id:long"], rows: [["user=eve id=x", "eve", null]] },
    ],
    [
      "kind=regex takes RE2 delimiters and flags",
      `datatable(s:string)['Name=ALICE; x'] | parse kind=regex flags=i s with "name=" n:string ";"`,
      { columns: ["s:string", "n:string"], rows: [["Name=ALICE; x", "ALICE"]] },
    ],
    [
      "kind=regex string captures are greedy and keep the text up to the next delimiter, trailing space included (Microsoft's page)",
      `datatable(s:string)['lockTime=02/17/2016 08:40:01, releaseTime=x'] | parse kind=regex s with "lockTime=" lockTime ".*?releaseTime=" releaseTime`,
      { columns: ["s:string", "lockTime:string", "releaseTime:string"], rows: [["lockTime=02/17/2016 08:40:01, releaseTime=x", "02/17/2016 08:40:01, ", "x"]] },
    ],
    [
      "parses a non-string source through its string form",
      `print d=dynamic({"a":"v1"}) | parse d with '{"a":"' v '"}'`,
      { columns: ["d:dynamic", "v:string"], rows: [[{ a: "v1" }, "v1"]] },
    ],
    [
      "parses nothing from an empty table",
      `datatable(s:string)[] | parse s with "a" x`,
      { columns: ["s:string", "x:string"], rows: [] },
    ],
  ])("%s", (_what, query, expected) => {
    expect(run(query)).toEqual(expected);
  });

  it("refuses a regex the engine cannot run exactly", () => {
    expect(run(`datatable(s:string)['a'] | parse kind=regex s with "(?<=a)" x`)).toMatch(/SC400[18]/);
  });
});
