import { describe, expect, it } from "vitest";
import type { FunctionDefinition } from "../../kql/globals.ts";
import { failureOf, rowsOf } from "../test-helpers.ts";
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

const saved = (name: string, body: string): FunctionDefinition => ({ name, parameters: [], body });
const FUNCTIONS: FunctionDefinition[] = [
  saved("ReadsMissing", "Missing | take 1"),
  saved("ReadsQuoted", "['My Missing'] | take 1"),
  saved("ReadsSchemaTable", "SecurityEvent | where EventID == 4625"),
  saved("UnionsMissing", "union Missing, Other"),
  saved("ByTableCall", "table('Missing')"),
  saved("Outer", "ReadsMissing | take 1"),
  saved("Lets", "let x = Missing; x | take 1"),
];

describe("SC4010 always names the missing table (and the functions that read it), at a position in the query", () => {
  it.each<[string, string, string, number]>([
    ["a table read by a saved function", "ReadsMissing", "no rows were given for table 'Missing' (read by ReadsMissing())", 1],
    ["a bracketed name in a function body", "Other | union ReadsQuoted", "no rows were given for table 'My Missing' (read by ReadsQuoted())", 15],
    ["a known schema table without rows", "ReadsSchemaTable | count", "no rows were given for table 'SecurityEvent' (read by ReadsSchemaTable())", 1],
    ["a union leg inside a body", "UnionsMissing", "no rows were given for table 'Missing' (read by UnionsMissing())", 1],
    ["table('Name') inside a body", "ByTableCall", "no rows were given for table 'Missing' (read by ByTableCall())", 1],
    ["a function calling a function", "Outer", "no rows were given for table 'Missing' (read by ReadsMissing() via Outer())", 1],
    ["a let inside a body", "Lets", "no rows were given for table 'Missing' (read by Lets())", 1],
    ["reached through a query let", "let t = ReadsMissing;\nt", "no rows were given for table 'Missing' (read by ReadsMissing())", 9],
    ["every leg of a fuzzy union missing", "union isfuzzy=true Missing, ['My Missing']", "no table of this fuzzy union exists (Missing, ['My Missing'])", 1],
  ])("%s", (_what, query, message, col) => {
    const failure = failureOf(query, { tables: { Other: [{ a: 1 }] }, functions: FUNCTIONS });
    expect(failure).toMatchObject({ code: "SC4010", message, line: 1, col });
  });

  it("a fuzzy union still drops the legs whose tables are missing", () => {
    expect(rowsOf("union isfuzzy=true ReadsMissing, Other, ['My Missing']", { tables: { Other: [{ a: 1 }] }, functions: FUNCTIONS })).toEqual([[1]]);
  });
});
