// A clock `where` of a row-local chain (planner/incremental.ts) whose condition also tests the row alone
// (`where TimeGenerated > ago(7d) and AuthorType == "user"`) runs at every run over every row of every hour it sees.
// Its condition is a conjunction, so it keeps the rows the row-alone conjuncts keep, then those the clock conjuncts
// keep: the first part is a function of each row, kept per row and per whole hour like any clock-free stage, and
// only the second runs at every run, over the rows the first kept — per hour by its bounds when it is a plain
// comparison of datetime columns with the clock (planner/clock-bounds.ts).
import { checkTableSize, makeEvalContext, spend, type RowFn, type TableStep } from "../context.ts";
import { calledFunctionBody, child, kindOf, listOf, referencedKind, referencedName, spanOf, type SyntaxNode, textOf, typeOf } from "../syntax.ts";
import type { Column } from "../values.ts";
import { stringPredicateOf } from "../expressions/string-ops.ts";
import { compileRe2 } from "../functions/regex.ts";
import type { Compiler } from "./compiler.ts";
import { argumentsOf } from "./calls.ts";
import { clockBoundsOf, type ClockBound } from "./clock-bounds.ts";
import { constantsReadByRow, keyText, type CompiledStage, type ConstantOf } from "./incremental.ts";
import { isLiteralKind, literalValue } from "./literals.ts";
import { makeScope, type Binding } from "./scope.ts";

/** Operators whose evaluation never throws, whatever the row holds (the engine's scalar.ts): they give null, false or a value. */
const SAFE_OPERATORS: ReadonlySet<string> = new Set([
  "ParenthesizedExpression",
  "AndExpression",
  "OrExpression",
  "EqualExpression",
  "NotEqualExpression",
  "LessThanExpression",
  "LessThanOrEqualExpression",
  "GreaterThanExpression",
  "GreaterThanOrEqualExpression",
]);

/** `in` and `has_any` forms, safe over a list of safe items. */
const SAFE_LISTS: ReadonlySet<string> = new Set(["InExpression", "NotInExpression", "InCsExpression", "NotInCsExpression", "HasAnyExpression", "HasAllExpression"]);

/** Built-in functions that never throw on their arguments' values (no long argument computed in doubles, no pattern from the row). */
const SAFE_FUNCTIONS: ReadonlySet<string> = new Set(["now", "ago", "not", "isempty", "isnotempty", "isnull", "isnotnull", "tolower", "toupper", "tostring"]);

/** Arithmetic that never throws when every operand is a datetime or a timespan (time arithmetic gives null, not an error). */
const TIME_ARITHMETIC: ReadonlySet<string> = new Set(["AddExpression", "SubtractExpression"]);

/** The two stages a clock `where` is split into: a kept filter by the row alone, then the clock filter per run. */
export interface SplitWhere {
  rowAlone: CompiledStage;
  clock: CompiledStage;
}

/**
 * The clock `where` `filter` split into its conjuncts that read the row and constant lets alone (a kept stage) and the
 * rest (run at every run over the rows the first kept); undefined when one part would be empty, or when a conjunct
 * might throw on some row (the split evaluates each part over other rows than the condition's left-to-right order
 * would, so it is made only where no evaluation can fail).
 */
export function splitClockWhere(c: Compiler, filter: SyntaxNode, columns: readonly Column[], env: ReadonlyMap<string, Binding>, constantOf: ConstantOf): SplitWhere | undefined {
  const conjuncts = conjunctsOf(child(filter, "Condition"));
  if (!conjuncts.every((node) => cannotThrow(node, env, constantOf))) return undefined;
  const reads = conjuncts.map((node) => constantsReadByRow(node, env, constantOf));
  const rowAlone = conjuncts.filter((_node, i) => reads[i] !== undefined);
  const clock = conjuncts.filter((_node, i) => reads[i] === undefined);
  if (rowAlone.length === 0 || clock.length === 0) return undefined;
  const scope = makeScope(columns, env);
  const compile = (nodes: SyntaxNode[], sized: boolean): TableStep => filterStep(nodes.map((node) => c.compileScalar(node, scope)), filter, sized);
  // what the kept part computes: its conjuncts over this layout with the constants they read (tokens are shared by every query)
  const key = keyText(["where, row alone", columns, rowAlone.map(textOf), reads.flatMap((constants) => constants ?? [])]);
  const bounds: ClockBound[] | undefined = clockBoundsOf(c, clock, columns, env);
  return {
    // the row-alone part's output is an intermediate table, larger than the where keeps: only the where's output is sized
    rowAlone: { kept: true, key, lets: [], steps: [{ step: compile(rowAlone, false), filters: true }], intermediate: true },
    clock: { kept: false, key: "", lets: [], steps: [{ step: compile(clock, true), filters: true }], ...(bounds ? { bounds } : {}) },
  };
}

/** The conjuncts of a condition: `a and (b and c)` is a, b, c. */
function conjunctsOf(node: SyntaxNode): SyntaxNode[] {
  const kind = kindOf(node);
  if (kind === "AndExpression") return [...conjunctsOf(child(node, "Left")), ...conjunctsOf(child(node, "Right"))];
  if (kind === "ParenthesizedExpression" && kindOf(child(node, "Expression")) === "AndExpression") return conjunctsOf(child(node, "Expression"));
  return [node];
}

/** A filter keeping the rows for which every condition is true (tested in order), by identity, as `where` does; `sized`: its output is checked against the table limits (else only the run's time). */
function filterStep(conditions: readonly RowFn[], filter: SyntaxNode, sized: boolean): TableStep {
  const span = spanOf(filter);
  return (input, run) => {
    const ec = makeEvalContext(run, input.rows);
    const rows = input.rows.filter((row, i) => {
      ec.index = i;
      spend(run);
      for (const condition of conditions) if (condition(row, ec) !== true) return false;
      return true;
    });
    if (sized) checkTableSize(run, rows.length, input.columns.length, span);
    else run.budget?.check();
    return { columns: input.columns, rows };
  };
}

/** True when evaluating `node` can never throw for any row: only literals, columns, constant lets and the safe operators and functions above. */
function cannotThrow(node: SyntaxNode, env: ReadonlyMap<string, Binding>, constantOf: ConstantOf): boolean {
  const kind = kindOf(node);
  if (isLiteralKind(kind)) return true;
  if (kind === "NameReference") {
    const symbol = referencedKind(node);
    return symbol === "ColumnSymbol" || ((symbol === "VariableSymbol" || symbol === "ParameterSymbol") && constantOf(env.get(referencedName(node))) !== undefined);
  }
  const safe = SAFE_OPERATORS.has(kind) || SAFE_LISTS.has(kind) || kind === "BetweenExpression" || stringPredicateOf(kind) !== undefined || kind === "PathExpression" || isTimeArithmetic(node) || isSafeCall(node) || isLiteralRegex(node);
  return safe && operandsOf(node).every((next) => cannotThrow(next, env, constantOf));
}

function isTimeArithmetic(node: SyntaxNode): boolean {
  if (!TIME_ARITHMETIC.has(kindOf(node))) return false;
  return [node, child(node, "Left"), child(node, "Right")].every((n) => typeOf(n) === "datetime" || typeOf(n) === "timespan");
}

function isSafeCall(node: SyntaxNode): boolean {
  return kindOf(node) === "FunctionCallExpression" && referencedKind(node) === "FunctionSymbol" && SAFE_FUNCTIONS.has(referencedName(node)) && calledFunctionBody(node) === undefined;
}

/** `x matches regex "literal"` with a pattern RE2 compiles (a saved function's body is not checked before the query runs), so matching cannot fail. */
function isLiteralRegex(node: SyntaxNode): boolean {
  if (kindOf(node) !== "MatchesRegexExpression" || !isLiteralKind(kindOf(child(node, "Right")))) return false;
  const pattern = literalValue(child(node, "Right"));
  return typeof pattern === "string" && compileRe2(pattern).ok;
}

/** The expressions an expression evaluates (its operands, a list's items, a call's arguments, a path's target). */
function operandsOf(node: SyntaxNode): SyntaxNode[] {
  const kind = kindOf(node);
  if (isLiteralKind(kind) || kind === "NameReference") return [];
  if (kind === "ParenthesizedExpression") return [child(node, "Expression")];
  if (kind === "PathExpression") return [child(node, "Expression")];
  if (kind === "FunctionCallExpression") return argumentsOf(node);
  if (kind === "BetweenExpression") return [child(node, "Left"), child(child(node, "Right"), "First"), child(child(node, "Right"), "Second")];
  if (SAFE_LISTS.has(kind)) return [child(node, "Left"), ...listOf(child(child(node, "Right"), "Expressions"))];
  return [child(node, "Left"), child(node, "Right")];
}
