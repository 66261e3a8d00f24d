/** Math functions: round, floor/bin, ceiling, abs, logs and exponents, pow, sqrt, sign, trigonometry, NaN tests, bitwise. */
import { normalizeLong, type KqlType, type Value } from "../values.ts";
import { EngineError } from "../errors.ts";
import { EPOCH_TICKS, argLong, argLongExact, argReal, argString, argType } from "./conversion.ts";
import type { CallContext, ScalarFunction } from "./registry.ts";

type Impl = (args: readonly Value[], ctx: CallContext) => Value;

/** A one-argument real function; null in, null out. */
function unary(name: string, f: (x: number) => number | null, aliases: string[] = []): ScalarFunction {
  return {
    name,
    aliases,
    call: (args, ctx) => {
      const x = argReal(args, ctx, 0);
      return x === null ? null : f(x);
    },
  };
}

/** Forces the result of a numeric function into the integer range when the result type is int/long. */
function fit(value: number | null, type: KqlType): number | null {
  if (value === null) return null;
  if (type === "int" || type === "long") return Number.isFinite(value) ? Math.trunc(value) + 0 : null;
  return value;
}

/** Rounds half away from zero to `digits` decimal places (negative digits round to tens, hundreds, …). */
export function roundHalfAway(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  const scale = 10 ** Math.abs(digits);
  const scaled = digits >= 0 ? Math.abs(x) * scale : Math.abs(x) / scale;
  // 15 significant digits absorb the binary error of the scaling (2.675 * 100 = 267.49999…).
  const rounded = Math.floor(Number(scaled.toPrecision(15)) + 0.5);
  const back = digits >= 0 ? rounded / scale : rounded * scale;
  return Math.sign(x) * back + 0;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

/** bin(value, size) for numbers, datetimes (aligned on 0001-01-01) and timespans; null when size is not positive. */
export function binValue(value: Value, valueType: KqlType, size: Value, sizeType: KqlType): Value {
  if (value === null || size === null) return null;
  if (typeof value === "bigint") {
    const step = typeof size === "bigint" ? size : typeof size === "number" && sizeType !== "real" ? BigInt(Math.trunc(size)) : null;
    if (step === null || step <= 0n) return null;
    const offset = valueType === "datetime" ? EPOCH_TICKS : 0n;
    return floorDiv(value + offset, step) * step - offset;
  }
  if (typeof value === "number") {
    const step = typeof size === "number" ? size : typeof size === "bigint" ? Number(size) : null;
    if (step === null || !(step > 0)) return null;
    const binned = Math.floor(value / step) * step;
    return valueType === "int" || valueType === "long" ? Math.trunc(binned) : binned;
  }
  return null;
}

/** bin_at(value, size, fixed): bins aligned so that `fixed` starts a bin. */
export function binAt(value: Value, size: Value, fixed: Value, valueType: KqlType): Value {
  if (value === null || size === null || fixed === null) return null;
  if (typeof value === "bigint" && typeof fixed === "bigint") {
    const step = typeof size === "bigint" ? size : typeof size === "number" ? BigInt(Math.trunc(size)) : null;
    if (step === null || step <= 0n) return null;
    return floorDiv(value - fixed, step) * step + fixed;
  }
  if (typeof value === "number" && typeof size === "number" && typeof fixed === "number") {
    if (!(size > 0)) return null;
    const binned = Math.floor((value - fixed) / size) * size + fixed;
    return valueType === "int" || valueType === "long" ? Math.trunc(binned) : binned;
  }
  return null;
}

/** log Γ(z) by the Stirling series, accurate to ~1e-15 for z ≥ 20. */
function stirlingLogGamma(z: number): number {
  const z2 = z * z;
  const series = 1 / (12 * z) - 1 / (360 * z * z2) + 1 / (1260 * z * z2 ** 2) - 1 / (1680 * z * z2 ** 3) + 1 / (1188 * z * z2 ** 4);
  return (z - 0.5) * Math.log(z) - z + 0.5 * Math.log(2 * Math.PI) + series;
}

/** The gamma function: exact factorials for whole numbers up to 171; elsewhere the Stirling series after shifting x up to 20. */
export function gamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (Number.isInteger(x)) {
    if (x <= 0) return NaN;
    if (x > 171) return Infinity;
    let f = 1;
    for (let i = 2; i < x; i++) f *= i;
    return f;
  }
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gamma(1 - x));
  let shift = 1;
  let z = x;
  while (z < 20) {
    shift *= z;
    z += 1;
  }
  return Math.exp(stirlingLogGamma(z)) / shift;
}

/** The natural log of |gamma(x)|. */
export function logGamma(x: number): number {
  if (x > 0 && x < 20) return Math.log(Math.abs(gamma(x)));
  if (x <= 0 && Number.isInteger(x)) return Infinity;
  if (x < 0) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  return stirlingLogGamma(x);
}

/** The error function: Taylor series for |x| < 3, continued fraction of erfc beyond. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (Math.abs(x) >= 3) return Math.sign(x) * (1 - erfcLarge(Math.abs(x)));
  let sum = 0;
  let term = x;
  for (let n = 0; n < 200; n++) {
    const add = term / (2 * n + 1);
    sum += add;
    if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    term *= (-x * x) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

function erfcLarge(x: number): number {
  // Lentz's method on erfc(x) = exp(-x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + …))))
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 5000; k++) {
    const a = k / 2;
    d = x + a * d;
    d = 1 / d;
    c = x + a / c;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

/** The complementary error function (continued fraction from 2 up, keeping its relative precision in the tail). */
export function erfc(x: number): number {
  return x >= 2 ? erfcLarge(x) : 1 - erf(x);
}

function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 1000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return h;
}

/** The regularized incomplete beta function I_x(a, b): beta_cdf. NaN outside 0 ≤ x ≤ 1 or for non-positive a, b. */
export function betaCdf(x: number, a: number, b: number): number {
  if (!(x >= 0 && x <= 1) || !(a > 0) || !(b > 0)) return NaN;
  if (x === 0 || x === 1) return x;
  const front = Math.exp(a * Math.log(x) + b * Math.log(1 - x) - logBeta(a, b));
  if (x < (a + 1) / (a + b + 2)) return (front * betaFraction(a, b, x)) / a;
  return 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

/** The beta probability density: beta_pdf. */
export function betaPdf(x: number, a: number, b: number): number {
  if (!(x >= 0 && x <= 1) || !(a > 0) || !(b > 0)) return NaN;
  return Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log(1 - x) - logBeta(a, b));
}

/** The inverse of beta_cdf by bisection (to full double precision): beta_inv. */
export function betaInv(p: number, a: number, b: number): number {
  if (!(p >= 0 && p <= 1) || !(a > 0) || !(b > 0)) return NaN;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 200 && hi - lo > 1e-17; i++) {
    const mid = (lo + hi) / 2;
    if (betaCdf(mid, a, b) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

function ternary(name: string, f: (x: number, a: number, b: number) => number): ScalarFunction {
  return {
    name,
    call: (args, ctx) => {
      const x = argReal(args, ctx, 0);
      const a = argReal(args, ctx, 1);
      const b = argReal(args, ctx, 2);
      return x === null || a === null || b === null ? null : f(x, a, b);
    },
  };
}

const INCH = 0.0254;
const FOOT = 0.3048;

/**
 * Units whose factor to the SI unit of each convert_* quantity is known to equal Kusto's (UnitsNet's): exact definitions and
 * documented values. Kusto's other units (some with rounded factors, e.g. US gallons, knots) are refused.
 */
const UNIT_FACTORS: Record<string, Record<string, number>> = {
  length: {
    Meter: 1, Kilometer: 1e3, Hectometer: 1e2, Decameter: 1e1, Decimeter: 1e-1, Centimeter: 1e-2, Millimeter: 1e-3,
    Micrometer: 1e-6, Nanometer: 1e-9, Angstrom: 1e-10, Inch: INCH, Foot: FOOT, Yard: 0.9144, Mile: 1609.344,
    NauticalMile: 1852, Mil: INCH / 1000, Microinch: INCH / 1e6, Hand: 0.1016, Fathom: 1.8288, Chain: 20.1168,
    UsSurveyFoot: 1200 / 3937, Twip: INCH / 1440, DtpPoint: INCH / 72, DtpPica: INCH / 6, Shackle: 27.432, DataMile: 1828.8,
    AstronomicalUnit: 1.495978707e11,
  },
  energy: {
    Joule: 1, Kilojoule: 1e3, Megajoule: 1e6, Gigajoule: 1e9, Terajoule: 1e12, Millijoule: 1e-3, Erg: 1e-7,
    WattHour: 3600, KilowattHour: 3.6e6, MegawattHour: 3.6e9, GigawattHour: 3.6e12, TerawattHour: 3.6e15,
    Calorie: 4.184, Kilocalorie: 4184, BritishThermalUnit: 1055.05585262, KilobritishThermalUnit: 1055055.85262,
  },
  speed: {
    MeterPerSecond: 1, MeterPerMinute: 1 / 60, MeterPerHour: 1 / 3600, KilometerPerSecond: 1e3, KilometerPerMinute: 1e3 / 60,
    KilometerPerHour: 1 / 3.6, CentimeterPerSecond: 1e-2, CentimeterPerMinute: 1e-2 / 60, CentimeterPerHour: 1e-2 / 3600,
    MillimeterPerSecond: 1e-3, MillimeterPerMinute: 1e-3 / 60, MillimeterPerHour: 1e-3 / 3600, FootPerSecond: FOOT,
    FootPerMinute: FOOT / 60, FootPerHour: FOOT / 3600, InchPerSecond: INCH, InchPerMinute: INCH / 60, InchPerHour: INCH / 3600,
    YardPerSecond: 0.9144, YardPerMinute: 0.9144 / 60, YardPerHour: 0.9144 / 3600, MilePerHour: 0.44704,
  },
  volume: {
    CubicMeter: 1, CubicKilometer: 1e9, CubicHectometer: 1e6, CubicDecimeter: 1e-3, CubicCentimeter: 1e-6, CubicMillimeter: 1e-9,
    Liter: 1e-3, Hectoliter: 1e-1, Decaliter: 1e-2, Deciliter: 1e-4, Centiliter: 1e-5, Milliliter: 1e-6, Microliter: 1e-9,
    // Kusto (UnitsNet) defines the acre-foot as 1/0.000810714 m³, as its documented example shows.
    AcreFoot: 1 / 0.000810714,
  },
  mass: {
    Kilogram: 1, Gram: 1e-3, Decagram: 1e-2, Hectogram: 1e-1, Milligram: 1e-6, Microgram: 1e-9, Nanogram: 1e-12, Tonne: 1e3,
    Kilotonne: 1e6, Megatonne: 1e9, Pound: 0.45359237, Ounce: 0.028349523125, Stone: 6.35029318, ShortTon: 907.18474,
    LongTon: 1016.0469088, Grain: 6.479891e-5, Kilopound: 453.59237, Megapound: 453592.37,
  },
  angle: {
    Radian: 1, Milliradian: 1e-3, Microradian: 1e-6, Nanoradian: 1e-9, Degree: Math.PI / 180, Arcminute: Math.PI / 10800,
    Arcsecond: Math.PI / 648000, Gradian: Math.PI / 200, Revolution: 2 * Math.PI, Millidegree: Math.PI / 180000,
  },
  force: {
    Newton: 1, Kilonewton: 1e3, Meganewton: 1e6, Decanewton: 1e1, Millinewton: 1e-3, Micronewton: 1e-6, Dyn: 1e-5,
    KilogramForce: 9.80665, TonneForce: 9806.65, PoundForce: 4.4482216152605, KilopoundForce: 4448.2216152605,
  },
};

function converterOf(quantity: string): ScalarFunction {
  const name = `convert_${quantity}`;
  const factors = UNIT_FACTORS[quantity] ?? {};
  const factor = (unit: string): number => {
    const f = factors[unit];
    if (f === undefined) throw new EngineError("SC4002", `${name}(): unit '${unit}' is not supported (supported: ${Object.keys(factors).join(", ")})`);
    return f;
  };
  return {
    name,
    call: (args, ctx) => {
      const value = argReal(args, ctx, 0);
      const from = factor(argString(args, ctx, 1));
      const to = factor(argString(args, ctx, 2));
      return value === null ? null : (value * from) / to;
    },
  };
}

const around: Impl = (args, ctx) => {
  const [v, c, d] = [args[0] ?? null, args[1] ?? null, args[2] ?? null];
  if (v === null || c === null || d === null) return null;
  if (typeof v === "bigint" && typeof c === "bigint" && typeof d === "bigint") return v >= c - d && v <= c + d;
  const x = argReal(args, ctx, 0);
  const y = argReal(args, ctx, 1);
  const r = argReal(args, ctx, 2);
  if (x === null || y === null || r === null) return null;
  return x >= y - r && x <= y + r;
};

const round: Impl = (args, ctx) => {
  const x = argReal(args, ctx, 0);
  const digits = argLong(args, ctx, 1, 0);
  if (x === null || digits === null) return null;
  return fit(roundHalfAway(x, digits), ctx.resultType);
};

const bin: Impl = (args, ctx) => binValue(args[0] ?? null, argType(ctx, 0), args[1] ?? null, argType(ctx, 1));

const floor: Impl = (args, ctx) => {
  if (args.length > 1) return bin(args, ctx);
  const x = argReal(args, ctx, 0);
  return fit(x === null ? null : Math.floor(x), ctx.resultType);
};

const ceiling: Impl = (args, ctx) => {
  const x = argReal(args, ctx, 0);
  return fit(x === null ? null : Math.ceil(x) + 0, ctx.resultType);
};

const abs: Impl = (args, ctx) => {
  const v = args[0] ?? null;
  if (typeof v === "bigint") return v < 0n ? -v : v;
  const x = argReal(args, ctx, 0);
  return fit(x === null ? null : Math.abs(x), ctx.resultType);
};

const sign: Impl = (args, ctx) => {
  const v = args[0] ?? null;
  if (typeof v === "bigint") return v > 0n ? 1 : v < 0n ? -1 : 0;
  const x = argReal(args, ctx, 0);
  return fit(x === null ? null : Math.sign(x) + 0, ctx.resultType);
};

const pow: Impl = (args, ctx) => {
  const b = argReal(args, ctx, 0);
  const e = argReal(args, ctx, 1);
  return b === null || e === null ? null : fit(Math.pow(b, e), ctx.resultType);
};

const atan2: Impl = (args, ctx) => {
  const y = argReal(args, ctx, 0);
  const x = argReal(args, ctx, 1);
  return y === null || x === null ? null : Math.atan2(y, x);
};

function logOf(f: (x: number) => number): (x: number) => number | null {
  return (x) => (x < 0 ? null : f(x));
}

function bitwise(name: string, op: (a: bigint, b: bigint) => bigint): ScalarFunction {
  return {
    name,
    call: (args, ctx) => {
      const a = argLongExact(args, ctx, 0);
      const b = argLongExact(args, ctx, 1);
      if (a === null || b === null) return null;
      return normalizeLong(BigInt.asIntN(64, op(BigInt(a), BigInt(b))));
    },
  };
}

function bitCount(n: number | bigint): number {
  let v = BigInt.asUintN(64, BigInt(n));
  let count = 0;
  while (v > 0n) {
    count += Number(v & 1n);
    v >>= 1n;
  }
  return count;
}

/**
 * tohex: lower-case hexadecimal of a whole number, negative values as two's complement of the
 * argument's size (32 bits for an int, 64 for a long), left-padded to `minLength` (at most 16).
 * See https://learn.microsoft.com/kusto/query/tohex-function.
 */
export function toHex(value: number | bigint, minLength: number, bits: 32 | 64 = 64): string {
  return BigInt.asUintN(bits, BigInt(value)).toString(16).padStart(Math.min(minLength, 16), "0");
}

/** The math family. */
export const MATH_FUNCTIONS: readonly ScalarFunction[] = [
  { name: "round", call: round },
  { name: "bin", call: bin },
  { name: "floor", call: floor },
  { name: "ceiling", call: ceiling },
  { name: "abs", call: abs },
  { name: "sign", call: sign },
  { name: "pow", call: pow },
  { name: "atan2", call: atan2 },
  { name: "pi", call: () => Math.PI },
  unary("sqrt", (x) => (x < 0 ? null : Math.sqrt(x))),
  unary("exp", Math.exp),
  unary("exp2", (x) => 2 ** x),
  unary("exp10", (x) => 10 ** x),
  unary("log", logOf(Math.log)),
  unary("log10", logOf(Math.log10)),
  unary("log2", logOf(Math.log2)),
  unary("cos", Math.cos),
  unary("sin", Math.sin),
  unary("tan", Math.tan),
  unary("acos", Math.acos),
  unary("asin", Math.asin),
  unary("atan", Math.atan),
  unary("cot", (x) => 1 / Math.tan(x)),
  unary("degrees", (x) => (x * 180) / Math.PI),
  unary("radians", (x) => (x * Math.PI) / 180),
  unary("gamma", gamma),
  unary("loggamma", logGamma),
  unary("erf", erf),
  unary("erfc", erfc),
  { name: "around", call: around },
  ...Object.keys(UNIT_FACTORS).map(converterOf),
  ternary("beta_cdf", betaCdf),
  ternary("beta_pdf", betaPdf),
  ternary("beta_inv", betaInv),
  {
    name: "tohex",
    call: (args, ctx) => {
      const v = argLongExact(args, ctx, 0);
      const min = argLong(args, ctx, 1, 0);
      return v === null || min === null ? "" : toHex(v, min, argType(ctx, 0) === "int" ? 32 : 64);
    },
  },
  { name: "isnan", call: (args, ctx) => Number.isNaN(argReal(args, ctx, 0)) },
  { name: "isinf", call: (args, ctx) => Math.abs(argReal(args, ctx, 0) ?? 0) === Infinity },
  { name: "isfinite", call: (args, ctx) => Number.isFinite(argReal(args, ctx, 0)) },
  bitwise("binary_and", (a, b) => a & b),
  bitwise("binary_or", (a, b) => a | b),
  bitwise("binary_xor", (a, b) => a ^ b),
  bitwise("binary_shift_left", (a, b) => (b < 0n || b > 63n ? 0n : a << b)),
  bitwise("binary_shift_right", (a, b) => (b < 0n || b > 63n ? 0n : a >> b)),
  {
    name: "binary_not",
    call: (args, ctx) => {
      const a = argLongExact(args, ctx, 0);
      return a === null ? null : normalizeLong(BigInt.asIntN(64, ~BigInt(a)));
    },
  },
  {
    name: "bitset_count_ones",
    call: (args, ctx) => {
      const a = argLongExact(args, ctx, 0);
      return a === null ? null : bitCount(a);
    },
  },
];
