import { describe, expect, it } from "vitest";
import { EngineError } from "../errors.ts";
import { parseDatetime, type KqlType, type Value } from "../values.ts";
import { DYNAMIC_FUNCTIONS } from "./dynamic.ts";
import { buildRegistry } from "./registry.ts";

const registry = buildRegistry([DYNAMIC_FUNCTIONS]);

function call(name: string, args: Value[], argTypes?: KqlType[]): Value {
  const fn = registry.get(name);
  if (!fn) throw new Error(`no function ${name}`);
  return fn.call(args, { now: 0n, argTypes: argTypes ?? args.map(() => "dynamic"), resultType: "dynamic" });
}

const L: KqlType = "long";
const S: KqlType = "string";
const arr = ["this", "is", "an", "example", "an", "example"];

describe("bags", () => {
  it.each<[string, Value[], KqlType[] | undefined, Value]>([
    ["bag_pack", ["Dest", 100, "Text", "Hi"], [S, L, S, S], { Dest: 100, Text: "Hi" }],
    ["pack", ["a", parseDatetime("2020-01-01")!], [S, "datetime"], { a: "2020-01-01T00:00:00.0000000Z" }],
    ["bag_keys", [{ a: 1, b: 2, c: 3 }], undefined, ["a", "b", "c"]],
    ["bag_keys", [[1]], undefined, null],
    ["bag_merge", [{ A1: 12, B1: 2, C1: 3 }, { A2: 81, B2: 82, A1: 1 }], undefined, { A1: 12, B1: 2, C1: 3, A2: 81, B2: 82 }],
    ["bag_merge", [{ a: 1 }, null], undefined, { a: 1 }],
    ["bag_has_key", [{ key1: 123, key2: "abc" }, "key2"], ["dynamic", S], true],
    ["bag_has_key", [{ key1: 123, key3: "abc" }, "key2"], ["dynamic", S], false],
    ["bag_has_key", [{ a: { b: 1 } }, "$.a.b"], ["dynamic", S], true],
    ["bag_has_key", [null, "a"], ["dynamic", S], false],
    ["bag_remove_keys", [{ key1: 123, key2: "abc" }, ["key2", "key4"]], undefined, { key1: 123 }],
    ["bag_remove_keys", [{ key1: "value", key3: 42 }, ["key2", "key4"]], undefined, { key1: "value", key3: 42 }],
    ["bag_remove_keys", [{ a: { b: 1, c: 2 } }, ["$.a.b"]], undefined, { a: { c: 2 } }],
    ["bag_remove_keys", [{ key1: 123, key2: { prop1: "abc", prop2: "xyz" }, key3: [100, 200] }, ["$.key2.prop1", "key3"]], undefined, { key1: 123, key2: { prop2: "xyz" } }],
    ["bag_remove_keys", [{ "@odata.type": "x", b: 1 }, ["@odata.type"]], undefined, { b: 1 }],
    ["bag_has_key", [{ "a.b": 1 }, "a.b"], ["dynamic", S], true],
    ["bag_has_key", [{ a: { b: 1 } }, "$['a']['b']"], ["dynamic", S], true],
    ["bag_set_key", [{ key1: 1, key2: 2 }, "key3", 3], ["dynamic", S, L], { key1: 1, key2: 2, key3: 3 }],
    ["bag_set_key", [{ key1: 1, key3: "abc" }, "key3", 3], ["dynamic", S, L], { key1: 1, key3: 3 }],
    ["bag_set_key", [{}, "$.a.b", "x"], ["dynamic", S, S], { a: { b: "x" } }],
    ["bag_zip", [["a", "b", "c"], [1, "2", 3.4]], undefined, { a: 1, b: "2", c: 3.4 }],
    ["bag_zip", [["a", "b"], [1, "2", 2.5]], undefined, { a: 1, b: "2" }],
    ["bag_zip", [["a", 8, "b"], 1], undefined, { a: null, b: null }],
  ])("%s(%s) = %s", (name, args, types, expected) => {
    expect(call(name, args, types)).toEqual(expected);
  });

  it("bag_pack needs key/value pairs", () => {
    expect(() => call("bag_pack", ["a"], [S])).toThrow(EngineError);
  });
});

describe("dynamic_to_json", () => {
  it("sorts bag keys ordinally at every level (documented example)", () => {
    const bag = { Y10: {}, X8: { c3: 1, d8: 5, a4: 6 }, D1: 114, A1: 12, B1: 2, C1: 3, A14: [15, 13, 18] };
    expect(call("dynamic_to_json", [bag])).toBe('{"A1":12,"A14":[15,13,18],"B1":2,"C1":3,"D1":114,"X8":{"a4":6,"c3":1,"d8":5},"Y10":{}}');
    expect(call("dynamic_to_json", [5], [L])).toBe("5");
    expect(call("dynamic_to_json", ["a\"b"], [S])).toBe('a"b');
    expect(call("dynamic_to_json", [["a"]])).toBe('["a"]');
  });
});

describe("extract_json", () => {
  it("converts to the requested type and refuses unsupported paths", () => {
    const fn = registry.get("extract_json")!;
    const run = (path: string, json: string, resultType: KqlType): Value => fn.call([path, json], { now: 0n, argTypes: [S, S], resultType });
    expect(run("$.name", '{"name": "John", "age": 30}', "string")).toBe("John");
    expect(run("$.age", '{"name": "John", "age": 30}', "long")).toBe(30);
    expect(run("$.nope", '{"name": "John"}', "string")).toBe("");
    expect(() => run("$..name", "{}", "string")).toThrow(EngineError);
  });
});

describe("arrays", () => {
  it.each<[string, Value[], KqlType[] | undefined, Value]>([
    ["pack_array", [1, 2, 4], [L, L, L], [1, 2, 4]],
    ["array_length", [[1, 2, 3, "four"]], undefined, 4],
    ["array_length", [{ a: 1 }], undefined, null],
    ["array_concat", [[1, 2], [3]], undefined, [1, 2, 3]],
    ["array_concat", [[1, 2], 3], undefined, null],
    ["array_slice", [[1, 2, 3], 1, 2], ["dynamic", L, L], [2, 3]],
    ["array_slice", [[1, 2, 3, 4, 5], 2, -1], ["dynamic", L, L], [3, 4, 5]],
    ["array_slice", [[1, 2, 3, 4, 5], -3, -2], ["dynamic", L, L], [3, 4]],
    ["array_slice", [[1, 2, 3], 2, 1], ["dynamic", L, L], []],
    ["array_reverse", [["this", "is", "an"]], undefined, ["an", "is", "this"]],
    ["array_shift_left", [[1, 2, 3, 4, 5], 2], ["dynamic", L], [3, 4, 5, null, null]],
    ["array_shift_left", [[1, 2, 3, 4, 5], -2, -1], ["dynamic", L, L], [-1, -1, 1, 2, 3]],
    ["array_shift_right", [[1, 2, 3, 4, 5], 2], ["dynamic", L], [null, null, 1, 2, 3]],
    ["array_shift_right", [[1, 2, 3, 4, 5], 2, -1], ["dynamic", L, L], [-1, -1, 1, 2, 3]],
    ["array_rotate_left", [[1, 2, 3, 4, 5], 2], ["dynamic", L], [3, 4, 5, 1, 2]],
    ["array_rotate_left", [[1, 2, 3, 4, 5], -1], ["dynamic", L], [5, 1, 2, 3, 4]],
    ["array_rotate_right", [[1, 2, 3, 4, 5], 2], ["dynamic", L], [4, 5, 1, 2, 3]],
    ["array_split", [[1, 2, 3, 4, 5], 2], ["dynamic", L], [[1, 2], [3, 4, 5]]],
    ["array_split", [[1, 2, 3, 4, 5], [1, 3]], undefined, [[1], [2, 3], [4, 5]]],
    ["array_sum", [[2, 5, 3]], undefined, 10],
    ["array_sum", [[2, "x"]], undefined, null],
    ["array_iff", [[true, false, true], [1, 2, 3], [4, 5, 6]], undefined, [1, 5, 3]],
    ["array_iff", [[true, true, true], [1, 2], [3, 4]], undefined, [1, 2, null]],
    ["array_iff", [[1, 0, null], [1, 2, 3], [4, 5, 6]], undefined, [1, 5, null]],
    ["array_sort_asc", [["John", "Paul", "Jane", "Kao"]], undefined, ["Jane", "John", "Kao", "Paul"]],
    ["array_sort_asc", [[null, "blue", "yellow", "green", null]], undefined, ["blue", "green", "yellow", null, null]],
    ["array_sort_asc", [[null, "blue", "green"], false], ["dynamic", "bool"], [null, "blue", "green"]],
    ["array_sort_desc", [[null, "blue", "yellow", "green", null], false], ["dynamic", "bool"], [null, null, "yellow", "green", "blue"]],
    ["array_sort_desc", [[1, 3, 4, 5, 2], ["a", "b", "c", "d", "e"]], undefined, [[5, 4, 3, 2, 1], ["d", "c", "b", "e", "a"]]],
    ["array_sort_asc", [[1, 2], [1]], undefined, null],
    ["set_union", [[1, 2, 1, 4], [1, 2], [8]], undefined, [1, 2, 4, 8]],
    ["set_intersect", [[1, 2, 1, 4], [1, 2], [8, 1]], undefined, [1]],
    ["set_difference", [[1, 2, 1, 4], [1, 2], [1, 2, 8]], undefined, [4]],
    ["set_union", [[1], "x"], undefined, null],
    ["set_has_element", [["this", "is", "an", "example"], "example"], ["dynamic", S], true],
    ["set_has_element", [[1, 2], 3], ["dynamic", L], false],
    ["jaccard_index", [[1, 2, 3], [1, 2, 3, 4]], undefined, 0.75],
    ["zip", [[1, 3, 5], [2, 4, 6]], undefined, [[1, 2], [3, 4], [5, 6]]],
    ["zip", [[1, 3], [2]], undefined, [[1, 2], [3, null]]],
    ["treepath", [{ prop1: [1, 2, 3, 4], prop2: "value2" }], undefined, ["['prop1']", "['prop1'][0]", "['prop2']"]],
    ["treepath", [{ a: [{ b: 1 }, { c: 2 }] }], undefined, ["['a']", "['a'][0]", "['a'][0]['b']", "['a'][0]['c']"]],
    ["range", [1, 8, 3], [L, L, L], [1, 4, 7]],
    ["range", [1, 3], [L, L], [1, 2, 3]],
    ["range", [5, 1], [L, L], []],
    ["array_repeat", ["a", 3], [S, L], ["a", "a", "a"]],
    ["extract_json", ["$.hosts[1].AvailableMB", '{"hosts":[{"AvailableMB":1},{"AvailableMB":5}]}'], [S, S], 5],
    ["extract_json", ["$['name']", '{"name":"John"}'], [S, S], "John"],
    ["extract_json", ["$.missing", '{"name":"John"}'], [S, S], null],
    ["extract_json", ["$.name", "not json"], [S, S], null],
  ])("%s(%s) = %s", (name, args, types, expected) => {
    expect(call(name, args, types)).toEqual(expected);
  });

  it.each<[Value[], KqlType[], number]>([
    [[arr, "an"], ["dynamic", S], 2],
    [[arr, "example", 1, 3], ["dynamic", S, L, L], 3],
    [[arr, "example", 1, 2], ["dynamic", S, L, L], -1],
    [[arr, "is", 2, 4], ["dynamic", S, L, L], -1],
    [[arr, "example", 2, -1], ["dynamic", S, L, L], 3],
    [[arr, "an", 1, -1, 2], ["dynamic", S, L, L, L], 4],
    [[arr, "an", 1, -1, 3], ["dynamic", S, L, L, L], -1],
    [[arr, "an", -3], ["dynamic", S, L], 4],
    [[arr, "is", -4], ["dynamic", S, L], -1],
  ])("array_index_of(%s) = %d (documented)", (args, types, expected) => {
    expect(call("array_index_of", args, types)).toBe(expected);
  });
});
