import type { RowFn, TablePlan } from "../context.ts";
import { EngineError } from "../errors.ts";
import { child, columnsOf, findNodes, isTabular, kindOf, listOf, optionalChild, parametersOf, referencedKind, referencedName, referencedSymbolOf, simpleNameOf, spanOf, symbolName, type SyntaxNode, textOf, typeOf } from "../syntax.ts";
import type { Column } from "../values.ts";
import type { Compiler } from "./compiler.ts";
import { readsOnlyWatchlists } from "./incremental.ts";
import { isLiteralKind, literalValue } from "./literals.ts";
import { bind, makeScope, type Binding, type Scope } from "./scope.ts";
import { readsChance, sharedLetPlan } from "./shared-lets.ts";

function compileDefault(c: Compiler, value: SyntaxNode, scope: Scope): RowFn {
  if (isLiteralKind(kindOf(value))) {
    const v = literalValue(value);
    return () => v;
  }
  return c.compileScalar(value, scope);
}

/** Binds a call's arguments (positional or `name=value`, else the parameter's default) to its parameter names. */
export function bindArguments(c: Compiler, call: SyntaxNode, args: SyntaxNode[], scope: Scope, skip = 0): Map<string, Binding> {
  let env = new Map(scope.env);
  const named = new Map<string, SyntaxNode>();
  const positional: SyntaxNode[] = [];
  for (const arg of args) {
    if (kindOf(arg) === "SimpleNamedExpression") named.set(String(simpleNameOf(child(arg, "Name"))), child(arg, "Expression"));
    else positional.push(arg);
  }
  parametersOf(call).slice(skip).forEach((param, i) => {
    const name = param.name;
    const arg = named.get(name) ?? positional[i];
    if (arg && isTabular(arg)) {
      env = bind(env, name, { kind: "table", plan: c.compileTabular(arg, scope.env), columns: columnsOf(arg) });
      return;
    }
    if (arg) {
      env = bind(env, name, { kind: "scalar", fn: c.compileScalar(arg, scope), type: typeOf(arg), ...(readsTheRow(arg, scope) ? { fromRow: true } : {}) });
      return;
    }
    if (param.defaultValue) {
      env = bind(env, name, { kind: "scalar", fn: compileDefault(c, param.defaultValue, scope), type: typeOf(param.defaultValue) });
      return;
    }
    throw new EngineError("SC4004", `missing argument for parameter '${name}'`, spanOf(call));
  });
  return env;
}

/** True when an argument reads the calling row: a column, or a parameter that was itself given a row's value. */
function readsTheRow(arg: SyntaxNode, scope: Scope): boolean {
  return findNodes(arg, (n) => kindOf(n) === "NameReference").some((n) => {
    const kind = referencedKind(n);
    if (kind === "ColumnSymbol") return true;
    const binding = scope.env.get(referencedName(n));
    return (kind === "ParameterSymbol" || kind === "VariableSymbol") && binding?.kind === "scalar" && binding.fromRow === true;
  });
}

/**
 * Adds the bindings of `let` statements to `env`, in order (function declarations expand at their calls). With
 * `sharePerRun` (the query's own statements, whose values depend on the run alone) a deterministic tabular let is
 * computed once per run and shared by its references (planner/shared-lets.ts).
 */
export function bindStatements(c: Compiler, statements: SyntaxNode[], env: ReadonlyMap<string, Binding>, columns: readonly Column[], { sharePerRun = false } = {}): Map<string, Binding> {
  let next = new Map(env);
  for (const statement of statements) {
    const kind = kindOf(statement);
    if (kind === "LetStatement") {
      const name = String(simpleNameOf(child(statement, "Name")));
      const expr = child(statement, "Expression");
      if (kindOf(expr) === "FunctionDeclaration") {
        next.delete(name);
        continue;
      }
      const fixed = readsOnlyWatchlists(expr, next) ? { fixed: true } : {};
      // only a shared plan asks whether its let reads chance (planner/shared-lets.ts)
      const chance = sharePerRun && readsChance(expr, next);
      const marks = { ...fixed, ...(chance ? { chance } : {}) };
      if (isTabular(expr) || isUnresolvedName(expr)) {
        const plan = c.compileTabular(expr, next);
        next = bind(next, name, { kind: "table", plan: sharePerRun ? sharedLetPlan(plan, chance) : plan, columns: columnsOf(expr), expression: expr, expressionEnv: next, ...marks });
      } else if (isLiteralKind(kindOf(expr))) next = bind(next, name, { kind: "scalar", fn: c.compileScalar(expr, makeScope(columns, next)), type: typeOf(expr), constant: { value: literalValue(expr) } });
      else next = bind(next, name, { kind: "scalar", fn: c.compileScalar(expr, makeScope(columns, next)), type: typeOf(expr), ...marks });
      continue;
    }
    // patterns are looked up by their invocations (planner/patterns.ts)
    if (kind === "SetOptionStatement" || kind === "QueryParametersStatement" || kind === "PatternStatement") continue;
    if (kind !== "ExpressionStatement") throw new EngineError("SC4001", `the statement '${kind}' is not supported by the offline engine`, spanOf(statement));
  }
  return next;
}

/**
 * A bare name Kusto.Language resolved to nothing: in a saved function's body (analysed apart from the
 * query) that is a table without rows, since a `let` value has no row context to hold a column.
 */
function isUnresolvedName(expr: SyntaxNode): boolean {
  return kindOf(expr) === "NameReference" && !referencedSymbolOf(expr);
}

function enter(c: Compiler, call: SyntaxNode): void {
  c.depth++;
  if (c.depth > 64) throw new EngineError("SC4006", "function calls are nested too deeply (recursion limit 64)", spanOf(call));
}

function bodyStatements(body: SyntaxNode): SyntaxNode[] {
  return optionalChild(body, "Statements") ? listOf(child(body, "Statements")) : [];
}

/** Compiles the expansion of a scalar function call with its parameters bound in `env`. */
export function compileFunctionBody(c: Compiler, body: SyntaxNode, columns: readonly Column[], env: ReadonlyMap<string, Binding>, call: SyntaxNode): RowFn {
  enter(c, call);
  try {
    const inner = bindStatements(c, bodyStatements(body), env, columns);
    return c.compileScalar(child(body, "Expression"), makeScope(columns, inner));
  } finally {
    c.depth--;
  }
}

/** Compiles the expansion of a tabular function call with its parameters bound in `env`. */
export function compileTabularBody(c: Compiler, body: SyntaxNode, env: ReadonlyMap<string, Binding>, call: SyntaxNode): TablePlan {
  enter(c, call);
  try {
    const inner = bindStatements(c, bodyStatements(body), env, []);
    return c.compileTabular(child(body, "Expression"), inner);
  } catch (error) {
    throw error instanceof EngineError && error.code === "SC4010" ? missingTableInBody(error, call) : error;
  } finally {
    c.depth--;
  }
}

/**
 * A table missing inside a function's body, reported at the call (the body's offsets are not the query's)
 * and naming the chain of functions that read it: `… table 'T' (read by Inner() via Outer())`.
 */
function missingTableInBody(error: EngineError, call: SyntaxNode): EngineError {
  const symbol = referencedSymbolOf(call);
  const name = `${symbol ? symbolName(symbol) : textOf(call)}()`;
  const message = error.message.endsWith(")") && error.message.includes(" (read by ") ? `${error.message.slice(0, -1)} via ${name})` : `${error.message} (read by ${name})`;
  return new EngineError(error.code, message, spanOf(call));
}
