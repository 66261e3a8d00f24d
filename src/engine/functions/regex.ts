/**
 * RE2 (the regular-expression dialect of KQL) translated to JavaScript RegExp.
 *
 * Every construct is either translated to a JavaScript form with the same meaning or refused with a
 * message naming it: RE2 features JavaScript lacks (inline flag groups, `\C`, `\p{..}` classes) and
 * JavaScript features RE2 lacks (back-references, look-around), which Kusto itself rejects.
 */
import { EngineError, type Span } from "../errors.ts";
import { LruCache } from "../lru-cache.ts";
import type { JsonValue, Value } from "../values.ts";
import { argArray, argLong, argString, convertValue } from "./conversion.ts";
import type { CallContext, ScalarFunction } from "./registry.ts";

/** A translated pattern, or why it cannot be run exactly. */
export type CompiledRegex =
  | {
      ok: true;
      /** For single tests and first matches (no `g` flag, so no lastIndex state). */
      regex: RegExp;
      /** The same pattern with the `g` flag, for matchAll/replace; reset lastIndex before exec loops. */
      global: RegExp;
      groupCount: number;
      groupNames: string[];
    }
  | { ok: false; message: string };

const RE2_SPACE = "\\t\\n\\f\\r ";
const POSIX_CLASSES: Record<string, string> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\x00-\\x7F",
  blank: "\\t ",
  cntrl: "\\x00-\\x1F\\x7F",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-\\/:-@\\[-`{-~",
  space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
};

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
}

class Refusal extends Error {}

const cache = new LruCache<string, CompiledRegex>(2000);

/** Translates an RE2 pattern to JavaScript RegExps, refusing constructs that would not match exactly. */
export function compileRe2(pattern: string): CompiledRegex {
  return cache.getOrCreate(pattern, () => translate(pattern));
}

/** Escapes every regex metacharacter of `text` (RE2 and JavaScript agree on this set). */
export function quoteRegex(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&");
}

function translate(pattern: string): CompiledRegex {
  const flags: Flags = { i: false, m: false, s: false };
  let body = pattern;
  const lead = /^\(\?([imsU]+)\)/.exec(body);
  if (lead) {
    const letters = lead[1] ?? "";
    if (letters.includes("U")) return refuse("the ungreedy flag (?U)");
    flags.i = letters.includes("i");
    flags.m = letters.includes("m");
    flags.s = letters.includes("s");
    body = body.slice(lead[0].length);
  }
  try {
    const { source, groupCount, groupNames } = new Translator(body, flags).run();
    const regex = new RegExp(source, flags.i ? "i" : "");
    const global = new RegExp(source, flags.i ? "gi" : "g");
    return { ok: true, regex, global, groupCount, groupNames };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, message: error.message };
    if (error instanceof SyntaxError) return { ok: false, message: `invalid regular expression '${pattern}': ${error.message}` };
    throw error;
  }
}

function refuse(what: string): CompiledRegex {
  return { ok: false, message: `regular expression uses ${what}, which the offline engine cannot run exactly` };
}

class Translator {
  private pos = 0;
  private out = "";
  private groupCount = 0;
  private readonly groupNames: string[] = [];

  constructor(
    private readonly src: string,
    private readonly flags: Flags,
  ) {}

  run(): { source: string; groupCount: number; groupNames: string[] } {
    while (this.pos < this.src.length) this.step();
    return { source: this.out, groupCount: this.groupCount, groupNames: this.groupNames };
  }

  private fail(what: string): never {
    throw new Refusal(`regular expression uses ${what}, which the offline engine cannot run exactly`);
  }

  private step(): void {
    const c = this.src[this.pos] ?? "";
    switch (c) {
      case "\\":
        this.out += this.escape(false);
        return;
      case "[":
        this.out += this.charClass();
        return;
      case "(":
        this.out += this.groupOpen();
        return;
      case ".":
        this.pos++;
        this.out += this.flags.s ? "[\\s\\S]" : "[^\\n]";
        return;
      case "^":
        this.pos++;
        this.out += this.flags.m ? "(?<![^\\n])" : "^";
        return;
      case "$":
        this.pos++;
        this.out += this.flags.m ? "(?![^\\n])" : "$";
        return;
      case "*":
      case "+":
      case "?":
      case "}":
        this.pos++;
        this.out += c;
        this.possessiveCheck();
        return;
      default:
        this.pos++;
        this.out += c;
    }
  }

  private possessiveCheck(): void {
    if (this.src[this.pos] === "+") this.fail("a possessive quantifier");
  }

  private groupOpen(): string {
    const rest = this.src.slice(this.pos);
    const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
    if (named) {
      this.pos += named[0].length;
      this.groupCount++;
      this.groupNames.push(named[1] ?? "");
      return `(?<${named[1] ?? ""}>`;
    }
    if (rest.startsWith("(?:")) {
      this.pos += 3;
      return "(?:";
    }
    if (rest.startsWith("(?=") || rest.startsWith("(?!") || rest.startsWith("(?<=") || rest.startsWith("(?<!")) {
      this.fail("look-around, which RE2 (and so Kusto) does not support,");
    }
    if (rest.startsWith("(?")) this.fail("an inline flag group (only a leading (?i), (?m) or (?s) is supported)");
    this.pos++;
    this.groupCount++;
    this.groupNames.push("");
    return "(";
  }

  /** Reads one escape at `pos` (which holds the backslash) and returns its JavaScript form. */
  private escape(inClass: boolean): string {
    const next = this.src[this.pos + 1];
    if (next === undefined) throw new Refusal("invalid regular expression: trailing backslash");
    this.pos += 2;
    switch (next) {
      case "s":
        return inClass ? RE2_SPACE : `[${RE2_SPACE}]`;
      case "S":
        if (inClass) this.fail("\\S inside a character class");
        return `[^${RE2_SPACE}]`;
      case "d":
      case "D":
      case "w":
      case "W":
      case "t":
      case "n":
      case "r":
      case "f":
      case "v":
        return `\\${next}`;
      case "b":
      case "B":
        if (inClass) this.fail("\\b inside a character class");
        return `\\${next}`;
      case "A":
        if (inClass) this.fail("\\A inside a character class");
        return "(?<![\\s\\S])";
      case "z":
        if (inClass) this.fail("\\z inside a character class");
        return "(?![\\s\\S])";
      case "a":
        return "\\x07";
      case "x":
        return this.hexEscape();
      case "Q":
        return this.quoted(inClass);
      case "0":
        return "\\x00";
      case "p":
      case "P":
        return this.fail(`the Unicode class \\${next}`);
      case "C":
        return this.fail("\\C (any byte)");
      case "Z":
        return this.fail("\\Z, which RE2 (and so Kusto) does not support,");
      default:
        if (/[1-9]/.test(next)) this.fail("a back-reference, which RE2 (and so Kusto) does not support,");
        if (/[A-Za-z]/.test(next)) this.fail(`the escape \\${next}`);
        return `\\${next}`;
    }
  }

  private hexEscape(): string {
    if (this.src[this.pos] === "{") {
      const end = this.src.indexOf("}", this.pos);
      const hex = end < 0 ? "" : this.src.slice(this.pos + 1, end);
      if (!/^[0-9A-Fa-f]{1,6}$/.test(hex)) throw new Refusal(`invalid regular expression: bad \\x{${hex}}`);
      const code = parseInt(hex, 16);
      if (code > 0xffff) this.fail("a code point above U+FFFF");
      this.pos = end + 1;
      return `\\u${code.toString(16).padStart(4, "0")}`;
    }
    const hex = this.src.slice(this.pos, this.pos + 2);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new Refusal(`invalid regular expression: bad \\x${hex}`);
    this.pos += 2;
    return `\\x${hex}`;
  }

  private quoted(inClass: boolean): string {
    const end = this.src.indexOf("\\E", this.pos);
    const text = end < 0 ? this.src.slice(this.pos) : this.src.slice(this.pos, end);
    this.pos = end < 0 ? this.src.length : end + 2;
    return inClass ? text.replace(/[\\\]^-]/g, "\\$&") : quoteRegex(text);
  }

  /** Reads a bracket expression at `pos` and returns its JavaScript form. */
  private charClass(): string {
    this.pos++;
    let negated = false;
    if (this.src[this.pos] === "^") {
      negated = true;
      this.pos++;
    }
    let body = "";
    let first = true;
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined) throw new Refusal("invalid regular expression: missing ]");
      if (c === "]" && !first) break;
      first = false;
      if (c === "[" && this.src[this.pos + 1] === ":") {
        body += this.posixClass();
        continue;
      }
      if (c === "\\") {
        body += this.escape(true);
        continue;
      }
      if (c === "[") {
        body += "\\[";
        this.pos++;
        continue;
      }
      if (c === "]") {
        body += "\\]";
        this.pos++;
        continue;
      }
      body += c;
      this.pos++;
    }
    this.pos++;
    return `[${negated ? "^" : ""}${body}]`;
  }

  private posixClass(): string {
    const end = this.src.indexOf(":]", this.pos + 2);
    if (end < 0) throw new Refusal("invalid regular expression: unterminated [: class");
    const name = this.src.slice(this.pos + 2, end);
    this.pos = end + 2;
    if (name.startsWith("^")) this.fail(`the negated POSIX class [:${name}:]`);
    const body = POSIX_CLASSES[name];
    if (body === undefined) throw new Refusal(`invalid regular expression: unknown POSIX class [:${name}:]`);
    return body;
  }
}

/** Compiles an RE2 pattern or throws the SC4008 refusal Kusto users see (at `span` when the caller knows it). */
export function requireRe2(pattern: string, span?: Span): Extract<CompiledRegex, { ok: true }> {
  const compiled = compileRe2(pattern);
  if (!compiled.ok) throw new EngineError("SC4008", compiled.message, span);
  return compiled;
}

function* matches(compiled: Extract<CompiledRegex, { ok: true }>, text: string): Generator<RegExpExecArray> {
  const re = compiled.global;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    yield m;
    if (m[0] === "") re.lastIndex++;
  }
}

/** Counts the non-overlapping matches of an RE2 pattern (countof's "regex" kind). */
export function countRegex(source: string, pattern: string): number {
  let count = 0;
  for (const _ of matches(requireRe2(pattern), source)) count++;
  return count;
}

/** Applies a Kusto rewrite pattern (backslash-0 the match, backslash-1..9 the groups) to one match. */
function rewriteMatch(rewrite: string, m: RegExpExecArray): string {
  return rewrite.replace(/\\(\d)/g, (_, d: string) => m[Number(d)] ?? "");
}

/** replace_regex: every non-overlapping match of `pattern` in `source` replaced by `rewrite`. */
export function replaceRegex(source: string, pattern: string, rewrite: string): string {
  const compiled = requireRe2(pattern);
  let out = "";
  let last = 0;
  for (const m of matches(compiled, source)) {
    out += source.slice(last, m.index) + rewriteMatch(rewrite, m);
    last = m.index + m[0].length;
  }
  return out + source.slice(last);
}

const trimCache = new LruCache<string, { start: RegExp; end: RegExp }>(1000);

/** The pattern anchored at the start and at the end of the text. */
function anchoredPair(pattern: string): { start: RegExp; end: RegExp } {
  const inner = requireRe2(pattern).regex;
  return { start: new RegExp(`^(?:${inner.source})`, inner.flags), end: new RegExp(`(?:${inner.source})$`, inner.flags) };
}

/** Removes repeated leading and/or trailing matches; one anchored match per step (no nested quantifier to backtrack). */
function trimRegex(pattern: string, source: string, start: boolean, end: boolean): string {
  const pair = trimCache.getOrCreate(pattern, () => anchoredPair(pattern));
  let text = source;
  for (let m = start ? pair.start.exec(text) : null; m !== null && m[0] !== ""; m = pair.start.exec(text)) text = text.slice(m[0].length);
  for (let m = end ? pair.end.exec(text) : null; m !== null && m[0] !== ""; m = pair.end.exec(text)) text = text.slice(0, m.index);
  return text;
}

function extract(args: readonly Value[], ctx: CallContext): Value {
  const compiled = requireRe2(argString(args, ctx, 0));
  const group = argLong(args, ctx, 1);
  const m = compiled.regex.exec(argString(args, ctx, 2));
  const text = m === null || group === null ? null : (m[group] ?? "");
  if (ctx.resultType === "string") return text ?? "";
  return text === null ? null : convertValue(text, "string", ctx.resultType);
}

function groupSelector(compiled: Extract<CompiledRegex, { ok: true }>, selector: JsonValue[] | null): number[] {
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
  for (const m of matches(compiled, source)) {
    const picked = groups.map((g) => m[g] ?? "");
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
  for (const m of matches(requireRe2(argString(args, ctx, 1)), source.slice(start, end))) {
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
