import { describe, expect, it } from "vitest";
import { EngineError } from "../errors.ts";
import { TICKS, formatDatetime, parseDatetime, type KqlType, type Value } from "../values.ts";
import { GEO_FUNCTIONS, sphereDistance } from "./geo.ts";
import { MATH_FUNCTIONS, betaCdf, betaInv, betaPdf, erf, erfc, gamma, logGamma, roundHalfAway } from "./math.ts";
import { functionCaller } from "./test-support.ts";


const call = functionCaller([MATH_FUNCTIONS, GEO_FUNCTIONS], "real");

const R: KqlType = "real";
const L: KqlType = "long";
const S: KqlType = "string";

describe("math functions", () => {
  it.each<[number, number, number]>([
    [2.98765, 3, 2.988],
    [2.15, 1, 2.2],
    [2.15, 0, 2],
    [-50.55, -2, -100],
    [21.5, -1, 20],
    [2.5, 0, 3],
    [-2.5, 0, -3],
    [1.005, 2, 1.01],
    [2.675, 2, 2.68],
  ])("round(%d, %d) = %d", (x, digits, expected) => {
    expect(roundHalfAway(x, digits)).toBe(expected);
  });

  it.each<[string, Value[], KqlType[], KqlType, Value]>([
    ["round", [2.15], [R], R, 2],
    ["round", [null, 2], [R, L], R, null],
    ["round", [7, -1], [L, L], L, 10],
    ["floor", [-1.1], [R], R, -2],
    ["floor", [4.5, 1], [R, R], R, 4],
    ["ceiling", [-1.1], [R], R, -1],
    ["ceiling", [1.1], [R], R, 2],
    ["abs", [-5], [L], L, 5],
    ["abs", [-TICKS.hour], ["timespan"], "timespan", TICKS.hour],
    ["abs", [null], [L], L, null],
    ["sign", [-42], [L], L, -1],
    ["sign", [0], [L], L, 0],
    ["exp", [2], [L], R, Math.exp(2)],
    ["exp2", [3], [L], R, 8],
    ["exp10", [3], [L], R, 1000],
    ["log", [5], [L], R, 1.6094379124341003],
    ["log", [-1], [L], R, null],
    ["log", [0], [L], R, -Infinity],
    ["log10", [100], [L], R, 2],
    ["log2", [5], [L], R, 2.321928094887362],
    ["pow", [2, 3], [L, L], R, 8],
    ["pow", [2, null], [L, L], R, null],
    ["sqrt", [16], [L], R, 4],
    ["sqrt", [-1], [L], R, null],
    ["pi", [], [], R, Math.PI],
    ["atan2", [1, 1], [L, L], R, Math.PI / 4],
    ["radians", [180], [L], R, Math.PI],
    ["degrees", [Math.PI], [R], R, 180],
    ["isnan", [NaN], [R], "bool", true],
    ["isnan", [1], [R], "bool", false],
    ["isinf", [-Infinity], [R], "bool", true],
    ["isinf", [1], [R], "bool", false],
    ["isfinite", [Infinity], [R], "bool", false],
    ["isfinite", [1], [R], "bool", true],
    ["binary_and", [6, 3], [L, L], L, 2],
    ["binary_or", [6, 3], [L, L], L, 7],
    ["binary_xor", [6, 3], [L, L], L, 5],
    ["binary_not", [0], [L], L, -1],
    ["binary_shift_left", [1, 4], [L, L], L, 16],
    ["binary_shift_right", [16, 4], [L, L], L, 1],
    ["bitset_count_ones", [42], [L], L, 3],
    ["tohex", [256], [L], S, "100"],
    ["tohex", [-546], [L], S, "fffffffffffffdde"],
    ["tohex", [48879, 8], [L, L], S, "0000beef"],
    ["tohex", [null], [L], S, ""],
    // https://learn.microsoft.com/kusto/query/tohex-function (the page's example)
    ["tohex", [-256], [L], S, "ffffffffffffff00"],
    ["tohex", [-256, 8], ["int", L], S, "ffffff00"],
    ["tohex", [256, 8], [L, L], S, "00000100"],
    ["tohex", [256, 2], [L, L], S, "100"],
    ["tohex", [1, 20], [L, L], S, "0000000000000001"],
    ["tohex", [-1], ["int"], S, "ffffffff"],
  ])("%s(%s) = %s", (name, args, types, resultType, expected) => {
    expect(call(name, args, types, resultType)).toBe(expected);
  });

  it.each<[Value[], KqlType[], KqlType, Value]>([
    [[4.5, 1], [R, R], R, 4],
    [[-4.5, 1], [R, R], R, -5],
    [[17, 5], [L, L], L, 15],
    [[-17, 5], [L, L], L, -20],
    [[17, 0], [L, L], L, null],
    [[null, 5], [L, L], L, null],
    [[TICKS.hour * 25n, TICKS.day], ["timespan", "timespan"], "timespan", TICKS.day],
  ])("bin(%s) = %s", (args, types, resultType, expected) => {
    expect(call("bin", args, types, resultType)).toBe(expected);
  });

  it("bin on datetimes aligns days to midnight and weeks to Monday (DateTime ticks from 0001-01-01)", () => {
    const d = (s: string): bigint => parseDatetime(s)!;
    const bin = (s: string, span: bigint): string => formatDatetime(call("bin", [d(s), span], ["datetime", "timespan"], "datetime") as bigint);
    expect(bin("1970-05-11 13:45:07", TICKS.day)).toBe("1970-05-11T00:00:00Z");
    expect(bin("2024-01-03 10:00", 7n * TICKS.day)).toBe("2024-01-01T00:00:00Z");
    expect(bin("1969-12-31 23:59", TICKS.hour)).toBe("1969-12-31T23:00:00Z");
  });
});

describe("special functions", () => {
  it.each<[number, number]>([
    [-3, -0.999977909503001],
    [-2, -0.995322265018953],
    [-1, -0.842700792949715],
    [0, 0],
    [1, 0.842700792949715],
    [2, 0.995322265018953],
    [3, 0.999977909503001],
    [5, 0.9999999999984626],
  ])("erf(%d) = %d (documented)", (x, expected) => {
    expect(Math.abs(erf(x) - expected)).toBeLessThan(1e-14);
  });

  it("erfc, gamma and loggamma", () => {
    expect(Math.abs(erfc(4) - 1.541725790028002e-8) / 1.541725790028002e-8).toBeLessThan(1e-12);
    expect(gamma(5)).toBe(24);
    expect(Math.abs(gamma(0.5) - Math.sqrt(Math.PI))).toBeLessThan(1e-14);
    expect(Math.abs(gamma(-0.5) + 2 * Math.sqrt(Math.PI))).toBeLessThan(1e-13);
    expect(Number.isNaN(gamma(0))).toBe(true);
    expect(Math.abs(logGamma(10) - Math.log(362880))).toBeLessThan(1e-12);
    expect(Math.abs(logGamma(200) - 857.9336698258574) / 857.9).toBeLessThan(1e-13);
  });

  it.each<[string, (x: number, a: number, b: number) => number, number, number, number, number]>([
    ["beta_cdf", betaCdf, 0.9, 10, 20, 0.999999999999959],
    ["beta_cdf", betaCdf, 0.2, 10, 20, 0.049263517304212585],
    ["beta_pdf", betaPdf, 0.5, 10, 20, 0.746176019310951],
    ["beta_inv", betaInv, 0.1, 10, 20, 0.22641502238874864],
  ])("%s(%d, %d, %d) ≈ %d (documented and reference values)", (_name, f, x, a, b, expected) => {
    const digits = String(expected).split(".")[1]?.length ?? 0;
    expect(Math.abs(f(x, a, b) - expected)).toBeLessThan(Math.max(1e-12, 0.5 * 10 ** -digits));
  });

  it.each<[(x: number, a: number, b: number) => number, number, number, number]>([
    [betaCdf, 1.5, 10, 20],
    [betaCdf, -10, 10, 20],
    [betaCdf, 0.1, -1, 20],
    [betaPdf, 1.5, 10, 20],
    [betaInv, 2, 10, 20],
  ])("beta functions give NaN outside their domain", (f, x, a, b) => {
    expect(Number.isNaN(f(x, a, b))).toBe(true);
  });

  it("beta_inv inverts beta_cdf", () => {
    expect(Math.abs(betaCdf(betaInv(0.37, 3, 7), 3, 7) - 0.37)).toBeLessThan(1e-13);
  });

  it("around() is inclusive on both sides", () => {
    const d = (s: string): bigint => parseDatetime(s)!;
    const args = (v: string): Value[] => [d(v), d("2021-01-01 01:30"), TICKS.minute];
    const types: KqlType[] = ["datetime", "datetime", "timespan"];
    expect(["01:28", "01:29", "01:31", "01:32"].map((t) => call("around", args(`2021-01-01 ${t}`), types, "bool"))).toEqual([false, true, true, false]);
    expect(call("around", [1.5, 1, 0.5], [R, R, R], "bool")).toBe(true);
    expect(call("around", [null, 1, 0.5], [R, R, R], "bool")).toBe(null);
  });
});

describe("unit conversions", () => {
  it.each<[string, number, string, string, number]>([
    ["convert_length", 1.2, "Meter", "Foot", 3.93700787401575],
    ["convert_energy", 1.2, "Joule", "BritishThermalUnit", 0.00113738054437598],
    ["convert_speed", 1.2, "MeterPerSecond", "CentimeterPerHour", 432000],
    ["convert_volume", 1.2, "CubicMeter", "AcreFoot", 0.0009728568],
    ["convert_mass", 1, "Pound", "Kilogram", 0.45359237],
    ["convert_angle", 180, "Degree", "Radian", Math.PI],
    ["convert_force", 1, "KilogramForce", "Newton", 9.80665],
  ])("%s(%d, %s, %s) ≈ %d (documented where the page has an example)", (name, value, from, to, expected) => {
    const got = call(name, [value, from, to], [R, "string", "string"]) as number;
    expect(Math.abs(got - expected) / expected).toBeLessThan(1e-9);
  });

  it("refuses units without an exact definition and passes null through", () => {
    expect(() => call("convert_length", [1, "Meter", "LightYear"], [R, "string", "string"])).toThrow(/not supported/);
    expect(call("convert_mass", [null, "Gram", "Kilogram"], [R, "string", "string"])).toBe(null);
  });
});

describe("geo functions", () => {
  it("geo_distance_2points matches the documented Seattle–Los Angeles distance", () => {
    const d = call("geo_distance_2points", [-122.407628, 47.578557, -118.275287, 34.019056], [R, R, R, R]) as number;
    expect(Math.abs(d - 1546754.35197381)).toBeLessThan(1e-6);
  });

  it.each<[number[], number | null]>([
    [[0, 0, 0, 0], 0],
    [[181, 0, 0, 0], null],
    [[0, 91, 0, 0], null],
  ])("sphereDistance(%s) = %s", (p, expected) => {
    expect(sphereDistance(p[0]!, p[1]!, p[2]!, p[3]!)).toBe(expected);
  });

  it("null coordinates give null, the spheroid model is refused", () => {
    expect(call("geo_distance_2points", [null, 1, 2, 3], [R, R, R, R])).toBe(null);
    expect(() => call("geo_distance_2points", [1, 1, 2, 3, true], [R, R, R, R, "bool"])).toThrow(EngineError);
  });

  it("geo_point_in_circle compares the distance with the radius", () => {
    expect(call("geo_point_in_circle", [-122.317404, 47.609119, -122.317404, 47.609119, 10], [R, R, R, R, R], "bool")).toBe(true);
    expect(call("geo_point_in_circle", [-122.407628, 47.578557, -118.275287, 34.019056, 1000], [R, R, R, R, R], "bool")).toBe(false);
  });
});
