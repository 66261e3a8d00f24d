/**
 * Kusto's regular-expression dialect, RE2, on `re2js` (a port of RE2: linear-time matching, RE2's syntax
 * and errors), and the regex literals of a query, so that a pattern RE2 rejects is reported before anything runs.
 */
import { RE2JS } from "re2js";
import { kustoList, syntaxKindName, type KustoNamespace } from "./kusto.ts";

/** A compiled RE2 pattern, or why RE2 rejects it. */
export type Re2Pattern = { ok: true; re: RE2JS; groupCount: number; groupNames: string[] } | { ok: false; message: string };

/** The regex flags Kusto accepts (`parse kind=regex flags=…`, inline `(?…)`): case-insensitive, multi-line, dot-all, ungreedy. */
export const KUSTO_REGEX_FLAGS = "imsU";

/** Hints for the RE2 errors people meet most, which come from other regex dialects. */
const DIALECT_HINTS: [RegExp, string][] = [
  [/\(\?<?[=!]/, "RE2 has no look-ahead or look-behind"],
  [/\\[1-9]/, "RE2 has no back-references"],
  [/[*+?}]\+/, "RE2 has no possessive quantifiers"],
  [/\(\?>/, "RE2 has no atomic groups"],
];

function rejection(pattern: string, error: unknown): string {
  const detail = (error instanceof Error ? error.message : String(error)).replace(/^error parsing regexp: /, "");
  const hint = DIALECT_HINTS.find(([shape]) => shape.test(pattern))?.[1];
  return `the regular expression '${pattern}' is not valid RE2, Kusto's regex dialect (${detail})${hint ? `; ${hint}` : ""}`;
}

/** The groups' names in order (empty for an unnamed group). */
function groupNamesOf(re: RE2JS): string[] {
  const names = Array.from({ length: re.groupCount() }, () => "");
  for (const [name, index] of Object.entries(re.namedGroups())) names[index - 1] = name;
  return names;
}

/** Compiles a Kusto regex (with Kusto flag letters, e.g. "Ui") on RE2; RE2's defaults are Kusto's (`.` stops at \n, `^`/`$` at the text's ends). */
export function compileKustoRegex(pattern: string, flags = ""): Re2Pattern {
  const unknown = [...flags].filter((f) => !KUSTO_REGEX_FLAGS.includes(f));
  if (unknown.length > 0) return { ok: false, message: `'${unknown.join("")}' is not a Kusto regex flag (use ${[...KUSTO_REGEX_FLAGS].join(", ")})` };
  const source = flags ? `(?${flags})${pattern}` : pattern;
  try {
    const re = RE2JS.compile(source);
    return { ok: true, re, groupCount: re.groupCount(), groupNames: groupNamesOf(re) };
  } catch (error) {
    return { ok: false, message: rejection(pattern, error) };
  }
}

/** A constant regex argument of a query: its pattern, flags, and where its literal sits in the query text. */
export interface RegexLiteral {
  pattern: string;
  flags: string;
  start: number;
  length: number;
}

/** Zero-based index of the pattern argument of each scalar function that takes an RE2 pattern. */
const PATTERN_ARGUMENT: Readonly<Record<string, number>> = {
  extract: 0,
  extract_all: 0,
  replace_regex: 1,
  replace: 0,
  trim: 0,
  trim_start: 0,
  trim_end: 0,
  indexof_regex: 1,
  countof: 1,
};

/** The SyntaxKind name of a node ("" for an unknown kind). */
function kindName(node: KustoNamespace): string {
  return syntaxKindName(node) ?? "";
}

function stringLiteral(node: KustoNamespace): string | undefined {
  const value: unknown = node?.LiteralValue;
  return typeof value === "string" ? value : undefined;
}

function literalAt(node: KustoNamespace, flags = ""): RegexLiteral[] {
  const pattern = stringLiteral(node);
  return pattern === undefined ? [] : [{ pattern, flags, start: node.TextStart as number, length: node.Width as number }];
}

function callArguments(node: KustoNamespace): KustoNamespace[] {
  return kustoList(node.ArgumentList?.Expressions).map((e: KustoNamespace) => e.Element ?? e);
}

function functionCallLiterals(node: KustoNamespace): RegexLiteral[] {
  const name = String(node.Name?.SimpleName ?? "");
  const index = PATTERN_ARGUMENT[name];
  if (index === undefined) return [];
  const args = callArguments(node);
  if (name === "countof" && stringLiteral(args[2]) !== "regex") return [];
  return literalAt(args[index]);
}

function parseLiterals(node: KustoNamespace): RegexLiteral[] {
  const params = new Map<string, string>();
  for (const p of kustoList(node.Parameters)) {
    const param = p.Element ?? p;
    params.set(String(param.Name?.SimpleName ?? ""), String(param.Expression?.LiteralValue ?? "").replace(/^["']|["']$/g, ""));
  }
  if (params.get("kind") !== "regex") return [];
  const flags = params.get("flags") ?? "";
  return kustoList(node.Patterns)
    .filter((item: KustoNamespace) => /StringLiteral/.test(kindName(item)))
    .flatMap((item: KustoNamespace) => literalAt(item, flags));
}

function parseKvLiterals(node: KustoNamespace): RegexLiteral[] {
  return kustoList(node.WithClause?.Properties)
    .map((p: KustoNamespace) => p.Element ?? p)
    .filter((param: KustoNamespace) => String(param.Name?.SimpleName ?? "") === "regex")
    .flatMap((param: KustoNamespace) => literalAt(param.Expression));
}

function literalsOf(node: KustoNamespace): RegexLiteral[] {
  switch (kindName(node)) {
    case "MatchesRegexExpression":
      return literalAt(node.Right);
    case "FunctionCallExpression":
      return functionCallLiterals(node);
    case "ParseOperator":
    case "ParseWhereOperator":
      return parseLiterals(node);
    case "ParseKvOperator":
      return parseKvLiterals(node);
    default:
      return [];
  }
}

/** Every string literal of `root`'s tree that is used as an RE2 pattern (operators, functions, parse patterns), in source order. */
export function regexLiterals(root: KustoNamespace): RegexLiteral[] {
  const out: RegexLiteral[] = [];
  root.WalkNodes((node: KustoNamespace) => {
    out.push(...literalsOf(node));
  });
  return out.sort((a, b) => a.start - b.start);
}

/** A regex literal RE2 rejects, with the reason. */
export interface RegexProblem extends RegexLiteral {
  message: string;
}

/** The regex literals of `root` that RE2 rejects (a parse-pattern literal is checked on its own, as one fragment of the pattern). */
export function regexProblems(root: KustoNamespace): RegexProblem[] {
  return regexLiterals(root).flatMap((literal) => {
    const compiled = compileKustoRegex(literal.pattern, literal.flags);
    return compiled.ok ? [] : [{ ...literal, message: compiled.message }];
  });
}
