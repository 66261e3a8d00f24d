import { describe, expect, it } from "vitest";
import { failureOf, rowsOf } from "../test-helpers.ts";

const COUNTRY = `declare pattern country = (name:string)[state:string]
{
  ("USA").["New York"] = { print Capital = "Albany" };
  ("USA").["Washington"] = { print Capital = "Olympia" };
  ("Canada").["Alberta"] = { print Capital = "Edmonton" };
};
`;
const APP = `declare pattern App = (applicationId:string)[scope:string]
{
  ('a1').['Data'] = { range x from 1 to 2 step 1 | project App = "App #1", Data = x };
  ('a2').['Data'] = { range x from 1 to 2 step 1 | project App = "App #2", Data = 10 - x };
};
`;

describe("declare pattern", () => {
  it.each<[string, string, unknown[][]]>([
    ["path by name", `${COUNTRY}country("Canada").Alberta`, [["Edmonton"]]],
    ["path in brackets with a space", `${COUNTRY}country("USA").["New York"]`, [["Albany"]]],
    ["single- and double-quoted invocations map to the same definition", `${APP}union App('a2').Data, App("a1").['Data']`, [["App #2", 9], ["App #2", 8], ["App #1", 1], ["App #1", 2]]],
    ["a pattern without a path", `declare pattern ip = (address:string) { ("10.10.10.10") = { print Lat=37.405992 }; };\nip("10.10.10.10")`, [[37.405992]]],
    ["values compare exactly (case-sensitive)", `declare pattern P = (a:string) { ("x") = { print v = 1 }; ("X") = { print v = 2 }; };\nP("X")`, [[2]]],
    ["a body with its own let", `declare pattern P = (a:string) { ("x") = { let k = 3; print v = k }; };\nP("x")`, [[3]]],
    ["the result feeds further operators", `${COUNTRY}country("USA").Washington | extend n = strlen(Capital)`, [["Olympia", 7]]],
  ])("%s", (_what, query, rows) => {
    expect(rowsOf(query)).toEqual(rows);
  });

  it.each<[string, string, string, RegExp]>([
    ["no definition matches the path (Kusto.Language's error)", `${COUNTRY}country("Canada").Ontario`, "SC4003", /Ontario/],
    ["no definition matches the arguments (KS188)", `${COUNTRY}country("Mexico").Alberta`, "SC4003", /KS188/],
    ["a non-literal argument", `declare pattern P = (a:string) { ("x") = { print v = 1 }; };\nlet s = "x"; P(s)`, "SC4003", /literal/],
    ["an empty pattern", `declare pattern P;\nP("x")`, "SC4003", /KS1/],
    ["a body reading the parameter", `declare pattern P = (a:string) { ("x") = { print v = a }; };\nP("x")`, "SC4001", /reading the pattern parameter 'a'/],
  ])("refuses %s", (_what, query, code, message) => {
    const failure = failureOf(query);
    expect(failure.code).toBe(code);
    expect(failure.message).toMatch(message);
  });
});
