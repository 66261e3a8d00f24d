import { describe, expect, it } from "vitest";
import { failureOf, rowsOf } from "../test-helpers.ts";

function value(expr: string): unknown {
  return rowsOf(`print r = ${expr}`)[0]![0];
}

describe("scalar operators", () => {
  it.each([
    ["1 + 2", 3],
    ["7 / 2", 3],
    ["-7 / 2", -3],
    ["7 / 2.0", 3.5],
    ["7 % 3", 1],
    ["-14 % 12", 10],
    ["1 / 0", null],
    ["1.0 / 0", "Infinity"],
    ["long(null) + 1", null],
    ["int(2147483647) + int(1)", 2147483648],
    ["datetime(2024-01-02) - datetime(2024-01-01)", "1.00:00:00"],
    ["datetime(2024-01-01) + 1h", "2024-01-01T01:00:00Z"],
    ["2h / 30m", 4],
    ["1h * 2", "02:00:00"],
    ["1h / 2", "00:30:00"],
    ["-(1h)", "-01:00:00"],
    ["1 < 2", true],
    ["long(null) < 1", null],
    // https://learn.microsoft.com/kusto/query/logical-operators, "How logical operators work with null values"
    ["bool(null) == bool(null)", false],
    ["bool(null) != bool(null)", false],
    ["bool(null) and true", false],
    ["bool(null) or true", true],
    // https://learn.microsoft.com/kusto/query/scalar-data-types/null-values, "Equality and inequality of null values"
    ["long(null) == long(null)", null],
    ["long(null) != long(null)", null],
    ["long(null) == 1", false],
    ["long(null) != 5", true],
    ["true and bool(null)", false],
    ["false and bool(null)", false],
    ["true or bool(null)", true],
    ["false or bool(null)", false],
    ["bool(null) or bool(null)", false],
    ["5 between (1 .. 5)", true],
    ["6 !between (1 .. 5)", true],
    ["datetime(2024-01-01 10:00) between (datetime(2024-01-01) .. 1d)", true],
    ["3 in (1, 2, 3)", true],
    ["'A' in ('a')", false],
    ["'A' in~ ('a')", true],
    ["'A' !in~ ('a')", false],
    ["2 in (dynamic([1, 2]))", true],
    ["long(null) in (1)", false],
    ["'x' in ((datatable(s:string)['x', 'y']))", true],
  ])("%s", (expr, expected) => {
    expect(value(expr)).toEqual(expected);
  });
});

describe("string operators", () => {
  it.each([
    ["'North America' has 'america'", true],
    ["'North America' has 'amer'", false],
    ["'North America' has_cs 'america'", false],
    ["'North America' !has 'amer'", true],
    ["'a-b.c' has 'b'", true],
    ["'abc123' has '123'", false],
    ["'10.1.2.3' has '1.2'", true],
    ["'10.1.2.3' has '0.1'", false],
    ["'Fabrikam' hasprefix 'fab'", true],
    ["'my Fabrikam' hasprefix 'rik'", false],
    ["'Fabrikam x' hassuffix 'kam'", true],
    ["'Fabrikam' contains 'BRIK'", true],
    ["'Fabrikam' contains_cs 'BRIK'", false],
    ["'Fabrikam' !contains 'xyz'", true],
    ["'Fabrikam' startswith 'fab'", true],
    ["'Fabrikam' startswith_cs 'fab'", false],
    ["'Fabrikam' endswith 'KAM'", true],
    ["'Fabrikam' !endswith_cs 'KAM'", true],
    ["'abc' =~ 'ABC'", true],
    ["'abc' !~ 'ABC'", false],
    // case folding can change a string's length ("İ" lowers to "i̇"): =~ compares the original lengths, constant or not
    ["'i\u0307' =~ 'İ'", false],
    ["'i\u0307' =~ tostring('İ')", false],
    ["'abc' == 'ABC'", false],
    ["'one two' has_any ('two', 'three')", true],
    ["'one two' has_all ('one', 'three')", false],
    ["'one two' has_all (dynamic(['one', 'two']))", true],
    ["'Fabrikam' matches regex 'b.*k'", true],
    ["'ab' matches regex '(?i)AB'", true],
    ["'abc' matches regex '\\\\Aabc\\\\z'", true],
  ])("%s", (expr, expected) => {
    expect(value(expr)).toBe(expected);
  });
});

describe("dynamic access", () => {
  it.each([
    ["dynamic({'a': {'b': 1}}).a.b", 1],
    ["dynamic({'a': 1})['a']", 1],
    ["dynamic({'a b': 1})['a b']", 1],
    ["dynamic([1, 2, 3])[0]", 1],
    ["dynamic([1, 2, 3])[-1]", 3],
    ["dynamic([1, 2, 3])[5]", null],
    ["dynamic({'a': 1}).other", null],
    ["dynamic([1]).a", null],
    ["dynamic(null).a", null],
  ])("%s", (expr, expected) => {
    expect(value(expr)).toEqual(expected);
  });
});

describe("refusals", () => {
  it.each([
    ["an unknown function", "print foo_bar_baz(1)", "SC4003"],
    ["an aggregate outside summarize", "print count()", "SC4003"],
    ["an unsupported operator", "range x from 1 to 2 step 1 | render timechart", "SC4001"],
    ["an RE2 construct JavaScript cannot run", "print 'a' matches regex 'a++'", "SC4008"],
  ])("refuses %s", (_name, query, code) => {
    expect(failureOf(query).code).toBe(code);
  });

  it("names the operator and its position", () => {
    const d = failureOf("range x from 1 to 2 step 1\n| fork (take 1)");
    expect(d.code).toBe("SC4001");
    expect(d.message).toContain("fork");
    expect([d.line, d.col]).toEqual([2, 3]);
  });
});

describe("64-bit longs are exact end to end", () => {
  it.each<[string, unknown]>([
    ["851673153924341805", 851673153924341805n],
    ["-851673153924341805", -851673153924341805n],
    ["851673153924341805 + 1", 851673153924341806n],
    ["9007199254740991 + 2", 9007199254740993n],
    ["851673153924341805 - 851673153924341804", 1],
    ["3037000499 * 3037000499", 9223372030926249001n],
    ["851673153924341805 / 10", 85167315392434180n],
    ["-851673153924341805 % 1000", 195],
    ["851673153924341805 > 851673153924341804", true],
    ["851673153924341805 == 851673153924341804", false],
    ["851673153924341805 * 1.0 == 851673153924341805", true],
    ["851673153924341805 < 851673153924341806", true],
    ["9007199254740991 < 9007199254740992", true],
    ["tostring(851673153924341805)", "851673153924341805"],
    ["strcat('x', 851673153924341805)", "x851673153924341805"],
    ["tolong('851673153924341805')", 851673153924341805n],
    ["tolong('9223372036854775808')", null],
    ["tolong(datetime(2020-01-01))", 637134336000000000n],
    ["0x7fffffffffffffff", 9223372036854775807n],
    ["binary_shift_left(1, 60)", 1152921504606846976n],
    ["binary_not(851673153924341805)", -851673153924341806n],
    ["tohex(851673153924341805)", "bd1c0389c65a02d"],
    ["bin(851673153924341805, 10)", 851673153924341800n],
    ["iff(true, 851673153924341805, 0)", 851673153924341805n],
    // Wraps as .NET's unchecked arithmetic: Microsoft's parse_version() example sums two hash() values past 2^63.
    ["9223372036854775807 + 1", -9223372036854775808n],
    ["4611686018427387904 * 2", -9223372036854775808n],
    ["-9223372036854775807 - 3", 9223372036854775806n],
    ["unixtime_nanoseconds_todatetime(1546300800000000000)", "2019-01-01T00:00:00Z"],
    ["unixtime_microseconds_todatetime(1546300800000000)", "2019-01-01T00:00:00Z"],
  ])("%s", (expr, expected) => {
    expect(rowsOf(`print r = ${expr}`)).toEqual([[expected]]);
  });

  it.each([
    ["the smallest long divided by -1", "print r = (-9223372036854775807 - 1) / -1"],
    ["an overflowing summarize sum", "datatable(x:long)[9223372036854775807, 1] | summarize sum(x)"],
    ["a long beyond 2^53 in a dynamic", "print r = pack_array(851673153924341805)"],
    ["a long beyond 2^53 in a function computed in doubles", "print r = round(851673153924341805)"],
  ])("refuses %s (SC4020)", (_name, query) => {
    expect(() => rowsOf(query)).toThrow(/^SC4020 /);
  });

  it("aggregates keep every digit", () => {
    const table = "datatable(x:long)[851673153924341805, 851673153924341806, 4]";
    expect(rowsOf(`${table} | summarize s = sum(x), mn = min(x), mx = max(x), d = dcount(x), p = percentile(x, 50), b = binary_all_or(x)`)).toEqual([
      [1703346307848683615n, 4, 851673153924341806n, 3, 851673153924341805n, 851673153924341807n],
    ]);
    expect(rowsOf(`${table} | summarize n = count() by x | order by x desc`)).toEqual([
      [851673153924341806n, 1],
      [851673153924341805n, 1],
      [4, 1],
    ]);
  });
});

describe("range over longs beyond 2^53 and over time", () => {
  it.each<[string, unknown[][]]>([
    ["range x from 851673153924341805 to 851673153924341807 step 1", [[851673153924341805n], [851673153924341806n], [851673153924341807n]]],
    ["range x from 851673153924341807 to 851673153924341805 step -2", [[851673153924341807n], [851673153924341805n]]],
    ["range x from datetime(2020-01-01) to datetime(2020-01-02) step 12h", [["2020-01-01T00:00:00Z"], ["2020-01-01T12:00:00Z"], ["2020-01-02T00:00:00Z"]]],
    ["range x from datetime(2020-01-03) to datetime(2020-01-01) step 1d", []],
  ])("%s", (query, expected) => {
    expect(rowsOf(query)).toEqual(expected);
  });
});
