/**
 * KQL's regex functions on RE2 (`re2js`, see kql/re2.ts): linear-time matching with RE2's syntax, so a
 * pattern Kusto rejects (look-around, back-references, …) is refused and no pattern can backtrack.
 */
import { compileKustoRegex, type Re2Pattern } from "../../kql/re2.ts";
import { EngineError, type Span } from "../errors.ts";
import { LruCache } from "../lru-cache.ts";
import type { JsonValue, Value } from "../values.ts";
import { argArray, argLong, argString, convertValue } from "./conversion.ts";
import type { CallContext, ScalarFunction } from "./registry.ts";

/** A pattern RE2 accepted. */
export type CompiledRegex = Extract<Re2Pattern, { ok: true }>;

/** One match: where it starts and ends in the text, and the text of each group (0 the whole match; null for a group that did not take part). */
interface RegexMatch {
  index: number;
  end: number;
  groups: (string | null)[];
}

/**
 * Compiled patterns without flags, keyed by the pattern itself (a query's pattern is the same string on every row, so
 * its hash is computed once), and patterns with flags keyed by both.
 */
const plainCache = new LruCache<string, Re2Pattern>(2000);
const flaggedCache = new LruCache<string, Re2Pattern>(2000);

/** A pattern compiled recently. */
interface RecentPattern {
  pattern: string;
  flags: string;
  compiled: Re2Pattern;
}

/**
 * The patterns compiled most recently, looked up before the caches: a query calls its few patterns row after row,
 * several per row (a parser's extracts, a rule's extract_alls), and a hit here compares strings that are usually the
 * same object, where the caches would hash the pattern and move its entry.
 */
const RECENT_PATTERNS = 16;
const recent: RecentPattern[] = [];
let nextRecent = 0;

/** Compiles a Kusto regex (with Kusto flag letters) on RE2, cached. */
export function compileRe2(pattern: string, flags = ""): Re2Pattern {
  for (let i = 0; i < recent.length; i++) {
    const entry = recent[i]!;
    if (entry.pattern === pattern && entry.flags === flags) return entry.compiled;
  }
  const compiled = cachedPattern(pattern, flags);
  const entry = { pattern, flags, compiled };
  if (recent.length < RECENT_PATTERNS) recent.push(entry);
  else recent[nextRecent] = entry;
  nextRecent = (nextRecent + 1) % RECENT_PATTERNS;
  return compiled;
}

/** The compiled pattern from the caches, or compiled now and cached. */
function cachedPattern(pattern: string, flags: string): Re2Pattern {
  const cache = flags === "" ? plainCache : flaggedCache;
  const key = flags === "" ? pattern : `${flags}\u0000${pattern}`;
  return cache.getOrCreate(key, () => compileKustoRegex(pattern, flags));
}

/** Escapes every regex metacharacter of `text` (RE2's set). */
export function quoteRegex(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&");
}

/** Compiles an RE2 pattern or throws the SC4008 error Kusto users see (at `span` when the caller knows it). */
export function requireRe2(pattern: string, span?: Span, flags = ""): CompiledRegex {
  const compiled = compileRe2(pattern, flags);
  if (!compiled.ok) throw new EngineError("SC4008", compiled.message, span);
  return compiled;
}

function groupsOf(matcher: Matcher, count: number): (string | null)[] {
  return Array.from({ length: count + 1 }, (_, g) => matcher.group(g));
}

type Matcher = ReturnType<CompiledRegex["re"]["matcher"]>;

/** One matcher per pattern for single searches (a search finishes before the next starts), so a row does not allocate one. */
const searchers = new WeakMap<CompiledRegex["re"], Matcher>();

/** The leftmost match of `compiled` in `text` at or after `from`, or null. */
export function firstMatch(compiled: CompiledRegex, text: string, from = 0): RegexMatch | null {
  const reused = searchers.get(compiled.re);
  const matcher = reused ? reused.resetMatcherInput(text) : compiled.re.matcher(text);
  if (!reused) searchers.set(compiled.re, matcher);
  if (!matcher.find(from)) return null;
  return { index: matcher.start(), end: matcher.end(), groups: groupsOf(matcher, compiled.groupCount) };
}

/** Width of the character at `i` (2 for a surrogate pair: RE2 steps over whole characters). */
function charWidth(text: string, i: number): number {
  const code = text.charCodeAt(i);
  return code >= 0xd800 && code <= 0xdbff && i + 1 < text.length ? 2 : 1;
}

/** The non-overlapping matches of `compiled` in `text`, left to right; as RE2's global replace, an empty match where the previous match ended is skipped. */
export function* allMatches(compiled: CompiledRegex, text: string): Generator<RegexMatch> {
  const matcher = compiled.re.matcher(text);
  let from = 0;
  let lastEnd = -1;
  while (from <= text.length && matcher.find(from)) {
    const index = matcher.start();
    const end = matcher.end();
    if (index === end && index === lastEnd) {
      from = index + charWidth(text, index);
      continue;
    }
    yield { index, end, groups: groupsOf(matcher, compiled.groupCount) };
    lastEnd = end;
    from = end > index ? end : end + charWidth(text, end);
  }
}

/** Whether `compiled` matches anywhere in `text`. */
export function testRegex(compiled: CompiledRegex, text: string): boolean {
  return compiled.re.test(text);
}

/** Plain words of a pattern: ASCII letters, digits, `_`, `-` and spaces, none of them special to RE2 outside a class. */
const PLAIN_WORD = /^[A-Za-z0-9_\- ]+$/;
/** Any character outside ASCII: under (?i) RE2 folds some of them onto ASCII letters (U+212A onto k, U+017F onto s). */
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * A search equal to RE2's for a pattern that is one plain word or alternatives of plain words (`chat`,
 * `(?i)(transcription|translation|speech)`): whether the text contains one of them, by `includes`; under `(?i)` over
 * ASCII text lower-cased, and through RE2 when the text holds other characters. Undefined for any other pattern.
 */
export function literalSearch(pattern: string): ((text: string) => boolean) | undefined {
  const folded = pattern.startsWith("(?i)");
  let body = folded ? pattern.slice(4) : pattern;
  if (body.startsWith("(") && body.endsWith(")")) body = body.slice(1, -1);
  const words = body.split("|");
  if (!words.every((word) => PLAIN_WORD.test(word))) return undefined;
  const compiled = requireRe2(pattern);
  if (!folded) return (text) => words.some((word) => text.includes(word));
  const needles = words.map((word) => word.toLowerCase());
  return (text) => {
    if (NON_ASCII.test(text)) return testRegex(compiled, text);
    const lower = text.toLowerCase();
    return needles.some((needle) => lower.includes(needle));
  };
}

/** Counts the non-overlapping matches of an RE2 pattern (countof's "regex" kind). */
export function countRegex(source: string, pattern: string): number {
  let count = 0;
  for (const _ of allMatches(requireRe2(pattern), source)) count++;
  return count;
}

/** Applies a Kusto rewrite pattern (backslash-0 the match, backslash-1..9 the groups) to one match. */
function rewriteMatch(rewrite: string, m: RegexMatch): string {
  return rewrite.replace(/\\(\d)/g, (_, d: string) => m.groups[Number(d)] ?? "");
}

/** replace_regex: every non-overlapping match of `pattern` in `source` replaced by `rewrite`. */
export function replaceRegex(source: string, pattern: string, rewrite: string): string {
  const compiled = requireRe2(pattern);
  let out = "";
  let last = 0;
  for (const m of allMatches(compiled, source)) {
    out += source.slice(last, m.index) + rewriteMatch(rewrite, m);
    last = m.end;
  }
  return out + source.slice(last);
}

const trimCache = new LruCache<string, { start: CompiledRegex; end: CompiledRegex }>(1000);

/** The pattern repeated and anchored at the start, and at the end, of the text (one linear search each). */
function anchoredPair(pattern: string): { start: CompiledRegex; end: CompiledRegex } {
  requireRe2(pattern);
  return { start: requireRe2(`^(?:${pattern})+`), end: requireRe2(`(?:${pattern})+$`) };
}

/** Removes the leading and/or trailing runs of matches of `pattern`. */
function trimRegex(pattern: string, source: string, start: boolean, end: boolean): string {
  const pair = trimCache.getOrCreate(pattern, () => anchoredPair(pattern));
  let text = source;
  const head = start ? firstMatch(pair.start, text) : null;
  if (head !== null) text = text.slice(head.end);
  const tail = end ? firstMatch(pair.end, text) : null;
  if (tail !== null) text = text.slice(0, tail.index);
  return text;
}

function extract(args: readonly Value[], ctx: CallContext): Value {
  const compiled = requireRe2(argString(args, ctx, 0));
  const group = argLong(args, ctx, 1);
  const m = firstMatch(compiled, argString(args, ctx, 2));
  const text = m === null || group === null ? null : (m.groups[group] ?? "");
  if (ctx.resultType === "string") return text ?? "";
  return text === null ? null : convertValue(text, "string", ctx.resultType);
}

function groupSelector(compiled: CompiledRegex, selector: JsonValue[] | null): number[] {
  if (selector === null) {
    return compiled.groupCount === 0 ? [0] : Array.from({ length: compiled.groupCount }, (_, i) => i + 1);
  }
  return selector.map((g) => {
    if (typeof g === "number") return g;
    const named = compiled.groupNames.indexOf(String(g));
    if (named < 0) throw new EngineError("SC4004", `extract_all(): no capture group named '${String(g)}'`);
    return named + 1;
  });
}

function extractAll(args: readonly Value[], ctx: CallContext): Value {
  const compiled = requireRe2(argString(args, ctx, 0));
  const withGroups = args.length > 2;
  const groups = groupSelector(compiled, withGroups ? argArray(args, 1) : null);
  const source = argString(args, ctx, withGroups ? 2 : 1);
  const out: JsonValue[] = [];
  for (const m of allMatches(compiled, source)) {
    const picked = groups.map((g) => m.groups[g] ?? "");
    out.push(groups.length === 1 ? (picked[0] ?? "") : picked);
  }
  return out.length === 0 ? null : out;
}

function indexOfRegex(args: readonly Value[], ctx: CallContext): Value {
  const start = argLong(args, ctx, 2, 0);
  const length = argLong(args, ctx, 3, -1);
  const occurrence = argLong(args, ctx, 4, 1);
  if (start === null || length === null || occurrence === null || start < 0 || length < -1 || occurrence <= 0) return null;
  const source = argString(args, ctx, 0);
  const end = length === -1 ? source.length : Math.min(source.length, start + length);
  let seen = 0;
  for (const m of allMatches(requireRe2(argString(args, ctx, 1)), source.slice(start, end))) {
    if (++seen === occurrence) return m.index + start;
  }
  return -1;
}

/** extract, extract_all, replace_regex, replace, trim*, indexof_regex, regex_quote. */
export const REGEX_FUNCTIONS: readonly ScalarFunction[] = [
  { name: "extract", call: extract },
  { name: "extract_all", call: extractAll },
  { name: "replace_regex", call: (args, ctx) => replaceRegex(argString(args, ctx, 0), argString(args, ctx, 1), argString(args, ctx, 2)) },
  { name: "replace", call: (args, ctx) => replaceRegex(argString(args, ctx, 2), argString(args, ctx, 0), argString(args, ctx, 1)) },
  { name: "trim", call: (args, ctx) => trimRegex(argString(args, ctx, 0), argString(args, ctx, 1), true, true) },
  { name: "trim_start", call: (args, ctx) => trimRegex(argString(args, ctx, 0), argString(args, ctx, 1), true, false) },
  { name: "trim_end", call: (args, ctx) => trimRegex(argString(args, ctx, 0), argString(args, ctx, 1), false, true) },
  { name: "indexof_regex", call: indexOfRegex },
  { name: "regex_quote", call: (args, ctx) => quoteRegex(argString(args, ctx, 0)) },
];
