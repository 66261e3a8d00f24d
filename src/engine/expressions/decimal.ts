import { Decimal } from "decimal.js";
import { EngineError } from "../errors.ts";
import type { Value } from "../values.ts";
import type { ArithmeticOp } from "./arithmetic.ts";

/**
 * Significant digits a decimal may have in the offline engine. Kusto's decimal is a 128-bit decimal
 * (https://learn.microsoft.com/kusto/query/scalar-data-types/decimal); the engine holds a decimal as
 * the double whose shortest rendering is the decimal's digits, which is exact up to 15 significant
 * digits. Decimals needing more are refused rather than rounded.
 */
const DECIMAL_DIGITS = 15;

// Wide enough that a result beyond DECIMAL_DIGITS is seen as such before any rounding.
const Exact = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_EVEN, modulo: Decimal.ROUND_DOWN, toExpNeg: -60, toExpPos: 60 });

function tooPrecise(what: string, digits: string): EngineError {
  return new EngineError("SC4020", `${what} ${digits} needs more than ${DECIMAL_DIGITS} significant digits; the offline engine holds decimals exactly only up to ${DECIMAL_DIGITS}`);
}

/** A decimal value as the engine holds it (a double with the same digits), or a refusal when it has more than 15 significant digits. */
function held(d: Decimal, what: string): number {
  if (d.sd() > DECIMAL_DIGITS) throw tooPrecise(what, d.toString());
  return Number(d.toString()) + 0;
}

/** A decimal from its text (a literal or todecimal() of a string), exactly; null when the text is not a number. */
export function decimalFromText(text: string): number | null {
  const t = text.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return null;
  return held(new Exact(t), "the decimal");
}

/** Exact decimal arithmetic on two decimals (or a decimal and a long), with the result refused beyond 15 significant digits. */
export function decimalArithmetic(op: ArithmeticOp, a: number | bigint, b: number | bigint): Value {
  if ((typeof a === "number" && !Number.isFinite(a)) || (typeof b === "number" && !Number.isFinite(b))) return null;
  const x = new Exact(String(a));
  const y = new Exact(String(b));
  if ((op === "/" || op === "%") && y.isZero()) throw new EngineError("SC4020", "decimal division by zero; Kusto documents no result for it");
  const r = op === "+" ? x.plus(y) : op === "-" ? x.minus(y) : op === "*" ? x.times(y) : op === "/" ? x.div(y) : x.mod(y);
  return held(r, `the decimal result of ${String(a)} ${op} ${String(b)},`);
}
