import { describe, expect, it } from "vitest";
import { queryReach } from "./query-words.ts";

const functions = [
  { name: "Outer", parameters: [], body: "Inner | where x" },
  { name: "Inner", parameters: [{ name: "t", type: "datetime", default: "Defaults()" }], body: "SigninLogs" },
  { name: "Defaults", parameters: [], body: "print now()" },
];

describe("queryReach", () => {
  it("collects words through the functions a query calls, transitively", () => {
    const reach = queryReach("Outer | take 1", functions);
    expect(reach.functions.map((f) => f.name)).toEqual(["Outer", "Inner", "Defaults"]);
    expect(reach.words.has("SigninLogs")).toBe(true);
    expect(reach.reachesAnyTable).toBe(false);
  });
  it.each([
    ["search", "search 'x'"],
    ["find", "find in (T*) where x"],
    ["wildcard union", "union Security*"],
    ["union *", "union * | take 1"],
    ["union withsource *", "union withsource=T * | take 1"],
    ["union of a leading wildcard", "union isfuzzy=true *Event, Syslog"],
    ["union ending with *", "union kind=outer (SigninLogs), *"],
    ["union * after a pipe", "AzureActivity | union *"],
    ["table()", "table('SigninLogs')"],
  ])("notices %s can reach any table", (_name, query) => {
    expect(queryReach(query, []).reachesAnyTable).toBe(true);
  });
  it("ignores those words in comments", () => {
    expect(queryReach("// find the table\nSigninLogs | union AuditLogs", []).reachesAnyTable).toBe(false);
  });
  it("finds a query's reach once per list of functions, and again through another list", () => {
    const first = queryReach("Parser | take 1", [{ name: "Parser", parameters: [], body: "SigninLogs" }]);
    const other = [{ name: "Parser", parameters: [], body: "search 'x'" }];
    expect(queryReach("Parser | take 1", other).reachesAnyTable).toBe(true);
    expect(queryReach("Parser | take 1", other)).toBe(queryReach("Parser | take 1", other));
    expect(first.reachesAnyTable).toBe(false);
  });
});
