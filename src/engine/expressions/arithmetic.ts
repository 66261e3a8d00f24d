import { EngineError } from "../errors.ts";
import { decimalArithmetic } from "./decimal.ts";
import { MIN_LONG, normalizeLong, type KqlType, type Value } from "../values.ts";

/** A binary arithmetic operator of KQL. */
export type ArithmeticOp = "+" | "-" | "*" | "/" | "%";

function toTicks(value: Value): bigint {
  return typeof value === "bigint" ? value : BigInt(Math.round(value as number));
}

function isTimeType(type: KqlType): boolean {
  return type === "datetime" || type === "timespan";
}

function isIntegral(type: KqlType): boolean {
  return type === "int" || type === "long";
}

/** Truncates a number to a long (C#-style conversion of an integer result); null for NaN/∞. */
function toLong(n: number): number | null {
  return Number.isFinite(n) ? Math.trunc(n) : null;
}

/** Wraps an int result to 32 bits as Kusto's int arithmetic does. */
function toInt(n: number): number | null {
  return Number.isFinite(n) ? Math.trunc(n) | 0 : null;
}

/**
 * Applies a binary arithmetic operator with Kusto's rules: null in, null out; integer division
 * truncates toward zero and division/modulo by zero of integers gives null; datetime/timespan
 * arithmetic in ticks. `resultType` is the semantic model's type of the expression.
 */
export function arithmetic(op: ArithmeticOp, a: Value, b: Value, leftType: KqlType, rightType: KqlType, resultType: KqlType): Value {
  if (a === null || b === null || a === undefined || b === undefined) return null;
  if (resultType === "real" && typeof a === "number" && typeof b === "number") return realArithmetic(op, a, b);
  if (isTimeType(leftType) || isTimeType(rightType) || isTimeType(resultType)) return timeArithmetic(op, a, b, leftType, rightType, resultType);
  if (resultType === "decimal") return decimalArithmetic(op, asNumeric(a), asNumeric(b));
  if (resultType === "long" && (typeof a === "bigint" || typeof b === "bigint")) return exactLong(op, BigInt(a as number | bigint), BigInt(b as number | bigint));
  if (resultType === "real" && (typeof a === "bigint" || typeof b === "bigint")) return arithmetic(op, Number(a), Number(b), "real", "real", "real");
  const x = typeof a === "boolean" ? Number(a) : (a as number);
  const y = typeof b === "boolean" ? Number(b) : (b as number);
  const long = resultType === "long" && Number.isInteger(x) && Number.isInteger(y) ? LONG_OPERATORS[op] : undefined;
  if (long) return long(x, y);
  if (isIntegral(resultType)) {
    const wrap = resultType === "int" ? toInt : toLong;
    switch (op) {
      case "+":
        return wrap(x + y);
      case "-":
        return wrap(x - y);
      case "*":
        return wrap(x * y);
      case "/":
        return y === 0 ? null : wrap(x / y);
      case "%":
        // Kusto's modulo is never negative: -14 % 12 == 10 and 14 % -12 == 2.
        return y === 0 ? null : wrap(((x % y) + Math.abs(y)) % Math.abs(y));
    }
  }
  return realArithmetic(op, x, y);
}

/** Real arithmetic: IEEE doubles (`1.0 / 0` is Infinity, a real modulo by zero NaN). */
function realArithmetic(op: ArithmeticOp, x: number, y: number): number {
  switch (op) {
    case "+":
      return x + y;
    case "-":
      return x - y;
    case "*":
      return x * y;
    case "/":
      return x / y;
    case "%":
      return y === 0 ? NaN : x % y;
  }
}

/**
 * Long arithmetic on exact 64-bit integers, wrapping on overflow as .NET's unchecked long arithmetic
 * does: Microsoft's parse_version() page adds two hash() values whose sum overflows 64 bits
 * (`summarize … by (hash(v1) + hash(v2))`) and documents the query's rows, so Kusto neither fails nor
 * widens. Division truncates toward zero, modulo is never negative, a zero divisor gives null; the one
 * division .NET refuses even unchecked (the smallest long by -1) is refused.
 */
function exactLong(op: ArithmeticOp, x: bigint, y: bigint): Value {
  let r: bigint;
  switch (op) {
    case "+":
      r = x + y;
      break;
    case "-":
      r = x - y;
      break;
    case "*":
      r = x * y;
      break;
    case "/":
      if (y === 0n) return null;
      if (x === MIN_LONG && y === -1n) throw new EngineError("SC4020", "the smallest long divided by -1 overflows 64 bits; Kusto documents no result for it");
      r = x / y;
      break;
    case "%": {
      if (y === 0n) return null;
      const m = y < 0n ? -y : y;
      r = ((x % m) + m) % m;
      break;
    }
  }
  return normalizeLong(BigInt.asIntN(64, r));
}

function asNumeric(value: Value): number | bigint {
  return typeof value === "bigint" || typeof value === "number" ? value : Number(value);
}

function timeArithmetic(op: ArithmeticOp, a: Value, b: Value, leftType: KqlType, rightType: KqlType, resultType: KqlType): Value {
  if (op === "/" && leftType === "timespan" && rightType === "timespan") {
    const d = toTicks(b);
    return d === 0n ? null : Number(toTicks(a)) / Number(d);
  }
  if (op === "/" && leftType === "timespan") {
    const d = Number(b);
    if (d === 0 || !Number.isFinite(d)) return null;
    return BigInt(Math.trunc(Number(toTicks(a)) / d));
  }
  if (op === "*") {
    const ticks = leftType === "timespan" ? toTicks(a) : toTicks(b);
    const factor = leftType === "timespan" ? (b as number) : (a as number);
    if (!Number.isFinite(factor)) return null;
    return Number.isInteger(factor) ? ticks * BigInt(factor) : BigInt(Math.round(Number(ticks) * factor));
  }
  if (op === "%") {
    const d = toTicks(b);
    return d === 0n ? null : toTicks(a) % d;
  }
  const x = toTicks(a);
  const y = toTicks(b);
  if (resultType !== "datetime" && resultType !== "timespan") return null;
  return op === "+" ? x + y : op === "-" ? x - y : null;
}

/** Long `+`, `-` and `*` on two longs held as numbers: the double result when it is a safe integer (then exact), else the exact 64-bit result. */
const LONG_OPERATORS: Partial<Record<ArithmeticOp, (x: number, y: number) => Value>> = {
  "+": (x, y) => {
    const r = x + y;
    return Number.isSafeInteger(r) ? r : exactLong("+", BigInt(x), BigInt(y));
  },
  "-": (x, y) => {
    const r = x - y;
    return Number.isSafeInteger(r) ? r : exactLong("-", BigInt(x), BigInt(y));
  },
  "*": (x, y) => {
    const r = x * y;
    return Number.isSafeInteger(r) ? r : exactLong("*", BigInt(x), BigInt(y));
  },
};

/**
 * A long `+`, `-` or `*` of two longs held as numbers, for the planner's fast path: the double result
 * when it is a safe integer (then it is exact), else the exact 64-bit result. Undefined for `/` and `%`.
 */
export function longOperator(op: ArithmeticOp): ((x: number, y: number) => Value) | undefined {
  return LONG_OPERATORS[op];
}

/** Unary minus with Kusto's null rule. */
export function negate(value: Value, type: KqlType = "real"): Value {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return type === "long" ? exactLong("-", 0n, value) : -value;
  if (typeof value === "number") return value === 0 ? 0 : -value;
  return null;
}
