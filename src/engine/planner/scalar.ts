import { oncePerRun, type EvalContext, type RowFn, type RunContext } from "../context.ts";
import { EngineError } from "../errors.ts";
import { arithmetic, longOperator, negate, type ArithmeticOp } from "../expressions/arithmetic.ts";
import { foldCase, hasTerm, prepareStringTest, stringPredicateOf } from "../expressions/string-ops.ts";
import type { CallContext } from "../functions/registry.ts";
import { literalSearch, requireRe2, testRegex } from "../functions/regex.ts";
import { child, columnsOf, findNodes, kindOf, listOf, literalOf, optionalChild, referencedKind, referencedName, referencedSymbolOf, simpleNameOf, spanOf, symbolName, type SyntaxNode, textOf, typeOf, unsupported } from "../syntax.ts";
import {
  compareValues,
  groupKey,
  isBag,
  parseDatetime,
  parseTimespan,
  toDynamic,
  valuesEqual,
  valueToString,
  type JsonValue,
  type KqlType,
  type Row,
  type Value,
} from "../values.ts";
import type { Compiler } from "./compiler.ts";
import { isLiteralKind, literalValue } from "./literals.ts";
import { compileCall } from "./calls.ts";
import { isPhantomColumn } from "./phantom-columns.ts";
import type { Scope } from "./scope.ts";

const ARITHMETIC: Record<string, ArithmeticOp> = {
  AddExpression: "+",
  SubtractExpression: "-",
  MultiplyExpression: "*",
  DivideExpression: "/",
  ModuloExpression: "%",
};

const COMPARISONS: Record<string, (c: number) => boolean> = {
  LessThanExpression: (c) => c < 0,
  LessThanOrEqualExpression: (c) => c <= 0,
  GreaterThanExpression: (c) => c > 0,
  GreaterThanOrEqualExpression: (c) => c >= 0,
};

/** Converts a value to a string operand of a string operator (dynamic → its string form, others → tostring). */
export function asText(value: Value, type: KqlType): string {
  if (typeof value === "string") return value;
  return valueToString(value, type);
}

/** Coerces a dynamic operand towards the other operand's type for comparisons (strings → datetime/timespan). */
function coerce(value: Value, from: KqlType, to: KqlType): Value {
  if (from !== "dynamic" || value === null || typeof value !== "string") return value;
  if (to === "datetime") return parseDatetime(value);
  if (to === "timespan") return parseTimespan(value);
  return value;
}

/** Compiles a scalar expression node against `scope` (exhaustive over the expression kinds the engine runs). */
export function compileScalarNode(c: Compiler, node: SyntaxNode, scope: Scope): RowFn {
  const kind = kindOf(node);
  if (isLiteralKind(kind)) {
    const value = literalValue(node);
    return () => value;
  }
  const arith = ARITHMETIC[kind];
  if (arith) return compileArithmetic(c, node, scope, arith);
  const cmp = COMPARISONS[kind];
  if (cmp) return compileComparison(c, node, scope, cmp);
  const predicate = stringPredicateOf(kind);
  if (predicate) {
    const left = c.compileScalar(child(node, "Left"), scope);
    const lt = typeOf(child(node, "Left"));
    if (isLiteralKind(kindOf(child(node, "Right")))) {
      const needle = literalValue(child(node, "Right"));
      const prepared = prepareStringTest(kind, asText(needle, typeOf(child(node, "Right"))));
      if (prepared) return (row, ec) => prepared(asText(left(row, ec), lt));
    }
    const right = c.compileScalar(child(node, "Right"), scope);
    const rt = typeOf(child(node, "Right"));
    const { test, negate: neg } = predicate;
    return (row, ec) => test(asText(left(row, ec), lt), asText(right(row, ec), rt)) !== neg;
  }
  switch (kind) {
    case "ParenthesizedExpression":
    case "BracketedExpression":
    case "SimpleNamedExpression":
      return c.compileScalar(child(node, "Expression"), scope);
    case "NameReference":
      return compileName(c, node, scope);
    case "UnaryMinusExpression": {
      const inner = c.compileScalar(child(node, "Expression"), scope);
      const type = typeOf(node);
      return (row, ec) => negate(inner(row, ec), type);
    }
    case "UnaryPlusExpression":
      return c.compileScalar(child(node, "Expression"), scope);
    case "EqualExpression":
    case "NotEqualExpression":
      return compileEquality(c, node, scope, kind === "NotEqualExpression");
    case "AndExpression":
    case "OrExpression":
      return compileLogic(c, node, scope, kind === "AndExpression");
    case "MatchesRegexExpression":
      return compileMatches(c, node, scope);
    case "InExpression":
    case "NotInExpression":
    case "InCsExpression":
    case "NotInCsExpression":
      // Kusto.Language calls the case-insensitive `in~` "InCs".
      return compileIn(c, node, scope, kind === "InExpression" || kind === "NotInExpression", kind.startsWith("Not"));
    case "HasAnyExpression":
    case "HasAllExpression":
      return compileHasAnyAll(c, node, scope, kind === "HasAllExpression");
    case "BetweenExpression":
    case "NotBetweenExpression":
      return compileBetween(c, node, scope, kind === "NotBetweenExpression");
    case "PathExpression":
      return compilePath(c, node, scope);
    case "ElementExpression":
      return compileElement(c, node, scope);
    case "FunctionCallExpression":
      return compileCall(c, node, scope);
    case "ToScalarExpression":
      return compileToScalar(c, node, scope);
    case "TypeOfLiteralExpression": {
      // typeof(long) reaches functions (extract_json, …) as the type's name.
      const symbol = referencedSymbolOf(node);
      const name = typeOf(optionalChild(node, "Type") ?? node) === "dynamic" ? (symbol ? symbolName(symbol) : "dynamic") : typeOf(node);
      return () => name;
    }
    default:
      return unsupported(node, `the expression '${kind.replace(/Expression$/, "")}'`);
  }
}

function compileArithmetic(c: Compiler, node: SyntaxNode, scope: Scope, op: ArithmeticOp): RowFn {
  const left = c.compileScalar(child(node, "Left"), scope);
  const right = c.compileScalar(child(node, "Right"), scope);
  const lt = typeOf(child(node, "Left"));
  const rt = typeOf(child(node, "Right"));
  const resultType = typeOf(node);
  if (resultType === "string" || lt === "string" || rt === "string") return unsupported(node, `the operator ${op} on strings`);
  const fast = resultType === "long" && lt === "long" && rt === "long" ? longOperator(op) : undefined;
  if (fast) {
    return (row, ec) => {
      const a = left(row, ec);
      const b = right(row, ec);
      return typeof a === "number" && typeof b === "number" ? fast(a, b) : arithmetic(op, a, b, lt, rt, resultType);
    };
  }
  return (row, ec) => arithmetic(op, coerce(left(row, ec), lt, rt), coerce(right(row, ec), rt, lt), lt, rt, resultType);
}

function compileComparison(c: Compiler, node: SyntaxNode, scope: Scope, test: (c: number) => boolean): RowFn {
  const left = c.compileScalar(child(node, "Left"), scope);
  const right = c.compileScalar(child(node, "Right"), scope);
  const lt = typeOf(child(node, "Left"));
  const rt = typeOf(child(node, "Right"));
  return (row, ec) => {
    const a = coerce(left(row, ec), lt, rt);
    const b = coerce(right(row, ec), rt, lt);
    if (a === null || b === null) return null;
    if (typeof a !== typeof b && !(typeof a === "number" && typeof b === "bigint") && !(typeof a === "bigint" && typeof b === "number")) {
      return null;
    }
    return test(compareValues(a, b));
  };
}

function compileEquality(c: Compiler, node: SyntaxNode, scope: Scope, negated: boolean): RowFn {
  const left = c.compileScalar(child(node, "Left"), scope);
  const right = c.compileScalar(child(node, "Right"), scope);
  const lt = typeOf(child(node, "Left"));
  const rt = typeOf(child(node, "Right"));
  // Kusto: null vs a value is unequal (`!=` true); null vs null is null (the null-values page), except for
  // bools, where both `==` and `!=` give false (the logical-operators page's null table).
  const bothNull = lt === "bool" && rt === "bool" ? false : null;
  return (row, ec) => {
    const a = coerce(left(row, ec), lt, rt);
    const b = coerce(right(row, ec), rt, lt);
    if (a === null && b === null) return bothNull;
    return valuesEqual(a, b) !== negated;
  };
}

/**
 * Kusto's `and`/`or` (the logical-operators page): `and` is true only when both operands are true, `or` is
 * true when either is, "regardless of the other operand"; a null operand counts as not true, so the
 * result is never null (`bool(null) and true` is false, `bool(null) or true` is true).
 */
function compileLogic(c: Compiler, node: SyntaxNode, scope: Scope, isAnd: boolean): RowFn {
  const left = c.compileScalar(child(node, "Left"), scope);
  const right = c.compileScalar(child(node, "Right"), scope);
  if (isAnd) return (row, ec) => left(row, ec) === true && right(row, ec) === true;
  return (row, ec) => left(row, ec) === true || right(row, ec) === true;
}

function compileMatches(c: Compiler, node: SyntaxNode, scope: Scope): RowFn {
  const left = c.compileScalar(child(node, "Left"), scope);
  const right = c.compileScalar(child(node, "Right"), scope);
  const lt = typeOf(child(node, "Left"));
  const span = spanOf(child(node, "Right"));
  // a literal pattern of plain words is a substring search (regex.ts literalSearch), decided once
  const literal = kindOf(child(node, "Right")) === "StringLiteralExpression" ? literalValue(child(node, "Right")) : undefined;
  const search = typeof literal === "string" ? literalSearch(literal) : undefined;
  if (search) return (row, ec) => search(asText(left(row, ec), lt));
  return (row, ec) => testRegex(requireRe2(asText(right(row, ec), "string"), span), asText(left(row, ec), lt));
}

/**
 * Refuses a sub-query that reads a function parameter given the calling row's value: the sub-query runs once per
 * query (Kusto does not evaluate toscalar() per row), so such a parameter has no single value to give it.
 */
function refuseRowValuesInSubquery(query: SyntaxNode, scope: Scope, what: string): void {
  for (const n of findNodes(query, (node) => kindOf(node) === "NameReference")) {
    const kind = referencedKind(n);
    const binding = scope.env.get(referencedName(n));
    if ((kind === "ParameterSymbol" || kind === "VariableSymbol") && binding?.kind === "scalar" && binding.fromRow) {
      throw new EngineError("SC4001", `${what} runs its query once, not per row; '${referencedName(n)}' is a function parameter given each calling row's value here`, spanOf(n));
    }
  }
}

/** Whether an item of an `in`/`has_any` list is a sub-query (a tabular expression, run once per query run). */
function isSubquery(item: SyntaxNode): boolean {
  return columnsOf(item).length > 0 || referencedKind(item) === "TableSymbol";
}

/** Collects the candidate values of an `in`/`has_any` list: scalars, dynamic arrays (flattened) and single-column tables. */
function compileValueList(c: Compiler, list: SyntaxNode, scope: Scope): (ec: EvalContext, row: Row) => Value[] {
  const parts: ((ec: EvalContext, row: Row) => Value[])[] = [];
  for (const item of listOf(child(list, "Expressions"))) {
    if (isSubquery(item)) {
      refuseRowValuesInSubquery(item, scope, "an in (…) sub-query");
      const plan = oncePerRun(c.compileTabular(item, scope.env));
      parts.push((ec) => plan(ec.run).rows.map((r) => r[0] ?? null));
      continue;
    }
    const fn = c.compileScalar(item, scope);
    const type = typeOf(item);
    parts.push((ec, row) => {
      const v = fn(row, ec);
      return type === "dynamic" && Array.isArray(v) ? v : [v];
    });
  }
  return (ec, row) => parts.flatMap((p) => p(ec, row));
}

function inKey(value: Value, caseSensitive: boolean): string {
  return typeof value === "string" && !caseSensitive ? `s${foldCase(value)}` : groupKey(value);
}

function compileIn(c: Compiler, node: SyntaxNode, scope: Scope, caseSensitive: boolean, negated: boolean): RowFn {
  const left = c.compileScalar(child(node, "Left"), scope);
  const values = compileValueList(c, child(node, "Right"), scope);
  const items = listOf(child(child(node, "Right"), "Expressions"));
  const constant = items.every((e) => isLiteralKind(kindOf(e)));
  // literals and sub-queries (run once per query run) give the same set for every row of a run
  const samePerRun = items.every((e) => isLiteralKind(kindOf(e)) || isSubquery(e));
  let cached: Set<string> | undefined;
  const perRun = new WeakMap<RunContext, Set<string>>();
  const setOf = (ec: EvalContext, row: Row): Set<string> => {
    if (constant && cached) return cached;
    const kept = samePerRun ? perRun.get(ec.run) : undefined;
    if (kept) return kept;
    const set = new Set(values(ec, row).map((v) => inKey(v, caseSensitive)));
    if (constant) cached = set;
    else if (samePerRun) perRun.set(ec.run, set);
    return set;
  };
  return (row, ec) => {
    const v = left(row, ec);
    if (v === null) return negated;
    return setOf(ec, row).has(inKey(v, caseSensitive)) !== negated;
  };
}

function compileHasAnyAll(c: Compiler, node: SyntaxNode, scope: Scope, all: boolean): RowFn {
  const left = c.compileScalar(child(node, "Left"), scope);
  const lt = typeOf(child(node, "Left"));
  const values = compileValueList(c, child(node, "Right"), scope);
  return (row, ec) => {
    const text = asText(left(row, ec), lt);
    const needles = values(ec, row).map((v) => asText(v, "dynamic"));
    return all ? needles.every((n) => hasTerm(text, n, false)) : needles.some((n) => hasTerm(text, n, false));
  };
}

function compileBetween(c: Compiler, node: SyntaxNode, scope: Scope, negated: boolean): RowFn {
  const left = c.compileScalar(child(node, "Left"), scope);
  const lowNode = child(child(node, "Right"), "First");
  const highNode = child(child(node, "Right"), "Second");
  const low = c.compileScalar(lowNode, scope);
  const high = c.compileScalar(highNode, scope);
  const lt = typeOf(child(node, "Left"));
  const relative = (lt === "datetime" || lt === "timespan") && typeOf(highNode) === "timespan" && typeOf(lowNode) === "datetime";
  return (row, ec) => {
    const v = left(row, ec);
    const a = low(row, ec);
    let b = high(row, ec);
    if (v === null || a === null || b === null) return null;
    if (relative) b = (a as bigint) + (b as bigint);
    const inside = compareValues(v, a) >= 0 && compareValues(v, b) <= 0;
    return inside !== negated;
  };
}

function selectorName(selector: SyntaxNode): string {
  const kind = kindOf(selector);
  if (kind === "BracketedExpression") return String(literalOf(child(selector, "Expression")) ?? "");
  if (kind === "NameReference") return String(simpleNameOf(selector) ?? referencedName(selector));
  return String(simpleNameOf(selector) ?? simpleNameOf(optionalChild(selector, "Name")) ?? "");
}

function compilePath(c: Compiler, node: SyntaxNode, scope: Scope): RowFn {
  // scan's `Step.Column`: the scan operator lays the steps' state out as columns named "Step.Column"
  const isStep = kindOf(child(node, "Expression")) === "NameReference" && referencedKind(child(node, "Expression")) === "VariableSymbol";
  const stateIndex = isStep ? scope.index.get(`${textOf(child(node, "Expression"))}.${selectorName(child(node, "Selector"))}`) : undefined;
  if (stateIndex !== undefined) return (row) => row[stateIndex] ?? null;
  if (columnsOf(child(node, "Expression")).length > 0) return unsupported(node, "a table.column path outside join");
  const target = c.compileScalar(child(node, "Expression"), scope);
  const name = selectorName(child(node, "Selector"));
  return (row, ec) => {
    const v = target(row, ec);
    return isBag(v) ? (v[name] ?? null) : null;
  };
}

/** Kusto's dynamic element access: a string key on a bag, an integer index on an array (negative from the end). */
export function elementOf(target: Value, key: Value): Value {
  if (Array.isArray(target) && typeof key === "number") {
    const i = key < 0 ? target.length + key : key;
    return Number.isInteger(i) && i >= 0 && i < target.length ? (target[i] as JsonValue) : null;
  }
  if (isBag(target) && typeof key === "string") return target[key] ?? null;
  return null;
}

function compileElement(c: Compiler, node: SyntaxNode, scope: Scope): RowFn {
  const target = c.compileScalar(child(node, "Expression"), scope);
  const key = c.compileScalar(optionalChild(child(node, "Selector"), "Expression") ?? child(node, "Selector"), scope);
  return (row, ec) => elementOf(target(row, ec), key(row, ec));
}

function compileName(c: Compiler, node: SyntaxNode, scope: Scope): RowFn {
  const name = referencedName(node) || String(simpleNameOf(node) ?? "");
  if (isPhantomColumn(referencedSymbolOf(node))) {
    unsupported(node, `the column '${name}', which Kusto.Language adds to scan's result but the service does not (name it with scan with_match_id=${name}),`);
  }
  const symbolKind = referencedKind(node);
  if (symbolKind === "ColumnSymbol" || symbolKind === "") {
    const index = scope.index.get(name);
    if (index !== undefined) return (row) => row[index] ?? null;
  }
  const binding = scope.env.get(name);
  if (binding?.kind === "scalar") return binding.fn;
  if (symbolKind === "FunctionSymbol") return compileCall(c, node, scope);
  const index = scope.index.get(name);
  if (index !== undefined) return (row) => row[index] ?? null;
  throw new EngineError("SC4004", `the name '${name}' does not refer to a column or scalar value here`, spanOf(node));
}

function compileToScalar(c: Compiler, node: SyntaxNode, scope: Scope): RowFn {
  // `toscalar(Key)` inside a legacy partition's `{ … }` query reads the partition's key, bound as a scalar
  const bound = kindOf(child(node, "Expression")) === "NameReference" ? scope.env.get(String(simpleNameOf(child(node, "Expression")) ?? "")) : undefined;
  if (bound?.kind === "scalar") return bound.fn;
  refuseRowValuesInSubquery(child(node, "Expression"), scope, "toscalar()");
  const plan = oncePerRun(c.compileTabular(child(node, "Expression"), scope.env));
  const type = typeOf(node);
  return (_row, ec) => {
    const table = plan(ec.run);
    const first = table.rows[0]?.[0];
    const from = table.columns[0]?.type ?? type;
    if (first === undefined) return type === "string" ? "" : null;
    return type === "dynamic" && from !== "dynamic" ? toDynamic(first, from) : first;
  };
}

/** A CallContext factory reusing one object per now() (calls happen per row). */
export function callContextFor(argTypes: readonly KqlType[], resultType: KqlType): (run: RunContext) => CallContext {
  // keyed by now() rather than by run, so a cached plan keeps no reference to a past run's data
  let ctx: CallContext | undefined;
  return (run) => {
    if (!ctx || ctx.now !== run.now) ctx = { now: run.now, argTypes, resultType };
    return ctx;
  };
}
