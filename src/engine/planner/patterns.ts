import type { TablePlan } from "../context.ts";
import { EngineError } from "../errors.ts";
import { child, findNode, kindOf, listOf, optionalChild, parentOf, referencedKind, referencedName, simpleNameOf, spanOf, type SyntaxNode, textOf, unsupported } from "../syntax.ts";
import { argumentsOf } from "./calls.ts";
import type { Compiler } from "./compiler.ts";
import { compileTabularBody } from "./functions.ts";
import { literalValue } from "./literals.ts";
import type { Binding } from "./scope.ts";

/** The call part of a pattern invocation (`p("a")` in `p("a").Path`), or undefined when `node` is not one. */
function patternCall(node: SyntaxNode): SyntaxNode | undefined {
  const call = kindOf(node) === "PathExpression" ? child(node, "Expression") : node;
  return kindOf(call) === "FunctionCallExpression" && referencedKind(call) === "PatternSymbol" ? call : undefined;
}

/** True for `Pattern(args)` and `Pattern(args).Path` / `Pattern(args).["Path"]`. */
export function isPatternInvocation(node: SyntaxNode): boolean {
  return patternCall(node) !== undefined;
}

/** A string value written as a literal (pattern arguments, path values); undefined for anything else. */
function stringLiteral(node: SyntaxNode): string | undefined {
  const value = kindOf(node) === "StringLiteralExpression" ? literalValue(node) : undefined;
  return typeof value === "string" ? value : undefined;
}

/** The path of an invocation: `.Name` or `.["Name"]`; undefined without one. */
function invocationPath(node: SyntaxNode): string | undefined {
  if (kindOf(node) !== "PathExpression") return undefined;
  const selector = child(node, "Selector");
  if (kindOf(selector) === "BracketedExpression") return stringLiteral(child(selector, "Expression")) ?? unsupported(selector, "a pattern path that is not a string literal");
  return String(simpleNameOf(selector) ?? textOf(selector));
}

/** The `declare pattern` statement named `name` in the nearest enclosing statement list. */
function findDeclaration(node: SyntaxNode, name: string): SyntaxNode | undefined {
  for (let scope = parentOf(node); scope; scope = parentOf(scope)) {
    if (!optionalChild(scope, "Statements")) continue;
    const found = listOf(child(scope, "Statements")).find((s: SyntaxNode) => kindOf(s) === "PatternStatement" && String(simpleNameOf(child(s, "Name"))) === name);
    if (found) return found;
  }
  return undefined;
}

/** The documented error text for an invocation no pattern definition maps: `name('a').['p']`. */
function describeInvocation(name: string, args: readonly string[], path: string | undefined): string {
  const quoted = args.map((a) => `'${a}'`).join(", ");
  return `${name}(${quoted})${path === undefined ? "" : `.['${path}']`}`;
}

/**
 * Compiles a pattern invocation: the `declare pattern` definition whose argument values and path equal the
 * invocation's (exact string comparison, as the docs' normalization example implies) gives the expression.
 */
export function compilePatternInvocation(c: Compiler, node: SyntaxNode, env: ReadonlyMap<string, Binding>): TablePlan {
  const call = patternCall(node)!;
  const name = String(simpleNameOf(optionalChild(call, "Name")) ?? referencedName(call));
  const args = argumentsOf(call).map((a) => stringLiteral(a) ?? unsupported(a, "a pattern argument that is not a string literal"));
  const path = invocationPath(node);
  const declaration = optionalChild(findDeclaration(node, name), "Pattern");
  const match = listOf(optionalChild(declaration, "Patterns")).find((m: SyntaxNode) => {
    const values = listOf(optionalChild(optionalChild(m, "ParameterValues"), "Expressions")).map(stringLiteral);
    const mapped = optionalChild(m, "PathValue") ? stringLiteral(child(optionalChild(m, "PathValue"), "Value")) : undefined;
    return values.length === args.length && values.every((v, i) => v === args[i]) && mapped === path;
  });
  if (!match) {
    throw new EngineError("SC4012", `One or more pattern references were not declared. Detected pattern references: ["${describeInvocation(name, args, path)}"]`, spanOf(node));
  }
  refuseParameterReads(child(match, "Body"));
  return compileTabularBody(c, child(match, "Body"), env, call);
}

/** Refuses a pattern body that reads the pattern's parameters, which the docs give no meaning inside a body. */
function refuseParameterReads(node: SyntaxNode): void {
  const read = findNode(node, (n) => kindOf(n) === "NameReference" && referencedKind(n) === "ParameterSymbol");
  if (read !== undefined) unsupported(read, `reading the pattern parameter '${textOf(read)}' inside a pattern body`);
}
