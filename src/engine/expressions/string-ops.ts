/** Kusto's string predicates (has, contains, startswith, …) with its term and case rules. */

// Kusto splits strings into terms at every character that is not an ASCII letter or digit.
const ALNUM = /[A-Za-z0-9]/;

function isAlnum(ch: string | undefined): boolean {
  return ch !== undefined && ALNUM.test(ch);
}

/** Folds case the way Kusto's case-insensitive operators compare (ordinal, ignoring case). */
export function foldCase(text: string): string {
  return text.toLowerCase();
}

/**
 * True when `needle` occurs in `haystack` as whole terms: a term is a maximal run of ASCII letters and
 * digits, so the match must not be preceded (when the needle starts with a letter or digit) or followed
 * (when it ends with one) by another letter or digit. `prefixOnly`/`suffixOnly` give hasprefix/hassuffix.
 */
export function hasTerm(haystack: string, needle: string, caseSensitive: boolean, mode: "whole" | "prefix" | "suffix" = "whole"): boolean {
  return hasFolded(caseSensitive ? haystack : foldCase(haystack), caseSensitive ? needle : foldCase(needle), mode);
}

/** hasTerm on strings already folded to the same case. */
function hasFolded(h: string, n: string, mode: "whole" | "prefix" | "suffix"): boolean {
  if (n.length === 0) return true;
  const checkStart = mode !== "suffix" && isAlnum(n[0]);
  const checkEnd = mode !== "prefix" && isAlnum(n[n.length - 1]);
  let from = 0;
  for (;;) {
    const at = h.indexOf(n, from);
    if (at < 0) return false;
    const startOk = !checkStart || !isAlnum(h[at - 1]);
    const endOk = !checkEnd || !isAlnum(h[at + n.length]);
    if (startOk && endOk) return true;
    from = at + 1;
  }
}

/** Substring test. */
export function containsText(haystack: string, needle: string, caseSensitive: boolean): boolean {
  return caseSensitive ? haystack.includes(needle) : foldCase(haystack).includes(foldCase(needle));
}

/** Prefix test. */
export function startsWithText(haystack: string, needle: string, caseSensitive: boolean): boolean {
  return caseSensitive ? haystack.startsWith(needle) : foldCase(haystack).startsWith(foldCase(needle));
}

/** Suffix test. */
export function endsWithText(haystack: string, needle: string, caseSensitive: boolean): boolean {
  return caseSensitive ? haystack.endsWith(needle) : foldCase(haystack).endsWith(foldCase(needle));
}

/** Equality, optionally ignoring case. */
export function equalsText(a: string, b: string, caseSensitive: boolean): boolean {
  return caseSensitive ? a === b : a.length === b.length && foldCase(a) === foldCase(b);
}

/** A string predicate: (haystack, needle) → match; `matches regex` lives with the regex family. */
export type StringPredicate = (haystack: string, needle: string) => boolean;

/**
 * A test of haystacks against one fixed needle, with the needle's case folded once (for constant
 * right-hand sides, the common case in detections).
 */
export function prepareStringTest(kind: string, needle: string): ((haystack: string) => boolean) | undefined {
  const entry = stringPredicateOf(kind);
  if (!entry) return undefined;
  const negate = entry.negate;
  const base = kind.replace(/^Not/, "").replace(/^Bang/, "");
  const cs = /Cs/.test(kind);
  const n = cs ? needle : foldCase(needle);
  const fold = (h: string) => (cs ? h : foldCase(h));
  let test: (h: string) => boolean;
  switch (base) {
    case "HasExpression":
    case "HasCsExpression":
      test = (h) => hasFolded(fold(h), n, "whole");
      break;
    case "HasPrefixExpression":
    case "HasPrefixCsExpression":
      test = (h) => hasFolded(fold(h), n, "prefix");
      break;
    case "HasSuffixExpression":
    case "HasSuffixCsExpression":
      test = (h) => hasFolded(fold(h), n, "suffix");
      break;
    case "ContainsExpression":
    case "ContainsCsExpression":
      test = (h) => fold(h).includes(n);
      break;
    case "StartsWithExpression":
    case "StartsWithCsExpression":
      test = (h) => fold(h).startsWith(n);
      break;
    case "EndsWithExpression":
    case "EndsWithCsExpression":
      test = (h) => fold(h).endsWith(n);
      break;
    case "EqualTildeExpression":
    case "TildeExpression":
      test = (h) => h.length === needle.length && fold(h) === n;
      break;
    default:
      test = (h) => entry.test(h, needle);
  }
  return negate ? (h) => !test(h) : test;
}

/** Each string operator syntax kind: its predicate and whether the operator negates it. */
const PREDICATES: Readonly<Record<string, [StringPredicate, boolean]>> = {
  HasExpression: [(h, n) => hasTerm(h, n, false), false],
  NotHasExpression: [(h, n) => hasTerm(h, n, false), true],
  HasCsExpression: [(h, n) => hasTerm(h, n, true), false],
  NotHasCsExpression: [(h, n) => hasTerm(h, n, true), true],
  HasPrefixExpression: [(h, n) => hasTerm(h, n, false, "prefix"), false],
  NotHasPrefixExpression: [(h, n) => hasTerm(h, n, false, "prefix"), true],
  HasPrefixCsExpression: [(h, n) => hasTerm(h, n, true, "prefix"), false],
  NotHasPrefixCsExpression: [(h, n) => hasTerm(h, n, true, "prefix"), true],
  HasSuffixExpression: [(h, n) => hasTerm(h, n, false, "suffix"), false],
  NotHasSuffixExpression: [(h, n) => hasTerm(h, n, false, "suffix"), true],
  HasSuffixCsExpression: [(h, n) => hasTerm(h, n, true, "suffix"), false],
  NotHasSuffixCsExpression: [(h, n) => hasTerm(h, n, true, "suffix"), true],
  ContainsExpression: [(h, n) => containsText(h, n, false), false],
  NotContainsExpression: [(h, n) => containsText(h, n, false), true],
  ContainsCsExpression: [(h, n) => containsText(h, n, true), false],
  NotContainsCsExpression: [(h, n) => containsText(h, n, true), true],
  StartsWithExpression: [(h, n) => startsWithText(h, n, false), false],
  NotStartsWithExpression: [(h, n) => startsWithText(h, n, false), true],
  StartsWithCsExpression: [(h, n) => startsWithText(h, n, true), false],
  NotStartsWithCsExpression: [(h, n) => startsWithText(h, n, true), true],
  EndsWithExpression: [(h, n) => endsWithText(h, n, false), false],
  NotEndsWithExpression: [(h, n) => endsWithText(h, n, false), true],
  EndsWithCsExpression: [(h, n) => endsWithText(h, n, true), false],
  NotEndsWithCsExpression: [(h, n) => endsWithText(h, n, true), true],
  EqualTildeExpression: [(h, n) => equalsText(h, n, false), false],
  BangTildeExpression: [(h, n) => equalsText(h, n, false), true],
};

/** The predicate and negation of each string operator syntax kind, or undefined for other kinds. */
export function stringPredicateOf(kind: string): { test: StringPredicate; negate: boolean } | undefined {
  const entry = PREDICATES[kind];
  return entry ? { test: entry[0], negate: entry[1] } : undefined;
}
