import { EngineError } from "../errors.ts";
import { decimalFromText } from "../expressions/decimal.ts";
import { child, childrenOf, kindOf, listOf, literalOf, spanOf, type SyntaxNode, textOf, tokenValueText } from "../syntax.ts";
import { fitsLong, formatDatetimeFull, formatTimespan, normalizeLong, parseDatetime, parseTimespan, type JsonValue, type Value } from "../values.ts";

const WRAPPED = /^[a-z0-9_]+\s*\(([\s\S]*)\)$/i;

/** The text inside `type(...)`, or the whole text when it is not wrapped. */
function inner(text: string): string {
  const m = WRAPPED.exec(text.trim());
  return (m ? m[1]! : text).trim();
}

function bad(node: SyntaxNode, what: string): never {
  throw new EngineError("SC4001", `the ${what} literal ${textOf(node)} is not supported by the offline engine`, spanOf(node));
}

/** A long literal, exactly: decimal or 0x hex digits, as a number when safe and a bigint beyond. */
function parseLongLiteral(node: SyntaxNode, text: string): number | bigint {
  const hex = /^([+-]?)0x([0-9a-f]+)$/i.exec(text);
  const value = hex ? BigInt(`0x${hex[2]}`) * (hex[1] === "-" ? -1n : 1n) : BigInt(text.replace(/^\+/, ""));
  if (!fitsLong(value)) bad(node, "long (beyond 64 bits)");
  return normalizeLong(value);
}

function parseNumber(node: SyntaxNode, integral: boolean): number | bigint | null {
  const text = inner(textOf(node)).replace(/_/g, "");
  if (/^null$/i.test(text)) return null;
  if (integral && /^[+-]?(\d+|0x[0-9a-f]+)$/i.test(text)) return parseLongLiteral(node, text);
  if (/^[+-]?0x[0-9a-f]+$/i.test(text)) return Number(BigInt(text.replace(/^([+-]?)0x/i, "$10x").replace("+", "")));
  if (/^[+-]?nan$/i.test(text)) return NaN;
  if (/^\+?inf(inity)?$/i.test(text)) return Infinity;
  if (/^-inf(inity)?$/i.test(text)) return -Infinity;
  const n = Number(text);
  if (Number.isNaN(n)) bad(node, integral ? "integer" : "real");
  return integral ? Math.trunc(n) : n;
}

function decimalLiteral(node: SyntaxNode): number | null {
  const text = inner(textOf(node)).replace(/_/g, "");
  if (/^null$/i.test(text)) return null;
  try {
    const value = decimalFromText(text);
    return value === null ? bad(node, "decimal") : value;
  } catch (error) {
    if (error instanceof EngineError) throw new EngineError(error.code, error.message, spanOf(node));
    throw error;
  }
}

function timespanLiteral(node: SyntaxNode): bigint | null {
  const text = textOf(node);
  const body = /^(time|timespan)\s*\(/i.test(text) ? inner(text) : text;
  if (/^null$/i.test(body)) return null;
  if (/^[+-]?\d+(\.\d+)?$/.test(body)) return parseTimespan(`${body}d`);
  const ticks = parseTimespan(body);
  if (ticks === null) bad(node, "timespan");
  return ticks;
}

function datetimeLiteral(node: SyntaxNode): bigint | null {
  const body = inner(textOf(node)).replace(/^(['"])(.*)\1$/s, "$2");
  if (/^null$/i.test(body)) return null;
  const ticks = parseDatetime(body);
  if (ticks === null) bad(node, "datetime");
  return ticks;
}

/** Evaluates a literal expression node (long, real, string, datetime, timespan, guid, dynamic, …) to its runtime value. */
export function literalValue(node: SyntaxNode): Value {
  const kind = kindOf(node);
  switch (kind) {
    case "LongLiteralExpression":
    case "IntLiteralExpression":
      return parseNumber(node, true);
    case "RealLiteralExpression":
      return parseNumber(node, false);
    case "DecimalLiteralExpression":
      return decimalLiteral(node);
    case "BooleanLiteralExpression": {
      const text = inner(textOf(node)).toLowerCase();
      return text === "null" ? null : text === "true";
    }
    case "StringLiteralExpression":
    case "CompoundStringLiteralExpression":
      return String(literalOf(node) ?? "");
    case "DateTimeLiteralExpression":
      return datetimeLiteral(node);
    case "TimespanLiteralExpression":
      return timespanLiteral(node);
    case "GuidLiteralExpression": {
      const body = inner(textOf(node));
      return /^null$/i.test(body) ? null : body.toLowerCase();
    }
    case "NullLiteralExpression":
      return null;
    case "DynamicExpression":
      return jsonOf(child(node, "Expression"));
    default:
      return bad(node, kind);
  }
}

/** True when the node kind is a literal that literalValue evaluates. */
export function isLiteralKind(kind: string): boolean {
  return /^(Long|Int|Real|Decimal|Boolean|String|CompoundString|DateTime|Timespan|Guid|Null)LiteralExpression$|^DynamicExpression$/.test(kind);
}

/** Converts the syntax inside `dynamic(...)` to a JSON value; datetimes and timespans become their Kusto strings. */
function jsonOf(node: SyntaxNode): JsonValue {
  const kind = kindOf(node);
  if (kind === "JsonObjectExpression") {
    const out: { [key: string]: JsonValue } = {};
    for (const pair of listOf(child(node, "Pairs"))) out[String(tokenValueText(child(pair, "Name")) ?? "")] = jsonOf(child(pair, "Value"));
    return out;
  }
  if (kind === "JsonArrayExpression") return listOf(child(node, "Values")).map(jsonOf);
  if (kind === "UnaryMinusExpression") {
    const value = jsonOf(child(node, "Expression"));
    return typeof value === "number" ? -value : bad(node, "dynamic");
  }
  if (kind === "ParenthesizedExpression") return jsonOf(child(node, "Expression"));
  if (kind === "NullLiteralExpression" || (kind === "TokenLiteralExpression" && /^null$/i.test(textOf(node)))) return null;
  if (!isLiteralKind(kind)) {
    if (childrenOf(node).length === 0 || kind === "TokenLiteralExpression") return null;
    return bad(node, "dynamic");
  }
  const value = literalValue(node);
  if (typeof value === "bigint") return kind === "TimespanLiteralExpression" ? formatTimespan(value) : formatDatetimeFull(value);
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return value as JsonValue;
}
