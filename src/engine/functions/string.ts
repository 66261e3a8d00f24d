/** String functions (strcat, split, substring, indexof, replace_string, translate, …) with Kusto's rules. */
import type { JsonValue, Value } from "../values.ts";
import { argArray, argLong, argString, dynamicElementString } from "./conversion.ts";
import { countRegex } from "./regex.ts";
import type { CallContext, ScalarFunction } from "./registry.ts";

type Impl = (args: readonly Value[], ctx: CallContext) => Value;

function fn(name: string, call: Impl, aliases: string[] = []): ScalarFunction {
  return { name, aliases, call };
}


function substring(source: string, start: number, length: number | null): string {
  const n = source.length;
  const from = start < 0 ? Math.max(0, n + start) : start;
  if (from >= n || (length !== null && length <= 0)) return "";
  const to = length === null ? n : Math.min(n, from + length);
  return source.slice(from, to);
}

function indexOf(source: string, lookup: string, start: number, length: number, occurrence: number): number | null {
  if (occurrence < 0 || length < -1) return null;
  let from = start < 0 ? Math.max(0, source.length + start) : start;
  if (from > source.length) return -1;
  // Each further occurrence is searched from just after the previous one, over a window of `length` positions.
  let pos = -1;
  for (let k = 0; k < Math.max(occurrence, 1); k++) {
    const end = length === -1 ? source.length : Math.min(source.length, from + length);
    pos = source.indexOf(lookup, from);
    if (pos < 0 || pos + lookup.length > end) return -1;
    from = pos + 1;
  }
  return pos;
}

function split(source: string, delimiter: string, index: number | null): JsonValue {
  const parts = delimiter === "" ? [source] : source.split(delimiter);
  if (index === null) return parts;
  const part = parts[index];
  return index >= 0 && part !== undefined ? [part] : [];
}

/** Counts occurrences of `search` in `source`, overlapping ones included (countof's "normal" kind). */
export function countPlain(source: string, search: string): number {
  if (search === "") return 0;
  let count = 0;
  for (let pos = source.indexOf(search); pos >= 0; pos = source.indexOf(search, pos + 1)) count++;
  return count;
}

function replaceStrings(text: string, lookups: JsonValue[], rewrites: JsonValue[]): string {
  // Each lookup replaces in the text left by earlier lookups; replaced pieces are never matched again.
  let pieces: { text: string; done: boolean }[] = [{ text, done: false }];
  lookups.forEach((lookup, i) => {
    const find = dynamicElementString(lookup);
    if (find === "") return;
    const rewrite = dynamicElementString(rewrites[i] ?? "");
    pieces = pieces.flatMap((piece) => {
      if (piece.done) return [piece];
      const out: { text: string; done: boolean }[] = [];
      piece.text.split(find).forEach((part, k) => {
        if (k > 0) out.push({ text: rewrite, done: true });
        out.push({ text: part, done: false });
      });
      return out;
    });
  });
  return pieces.map((p) => p.text).join("");
}

function translate(searchList: string, replacementList: string, source: string): string {
  const from = Array.from(searchList);
  const to = Array.from(replacementList);
  const map = new Map<string, string>();
  from.forEach((ch, i) => {
    if (!map.has(ch)) map.set(ch, to.length === 0 ? "" : (to[Math.min(i, to.length - 1)] ?? ""));
  });
  return Array.from(source, (ch) => map.get(ch) ?? ch).join("");
}

function isTermChar(ch: string | undefined): boolean {
  return ch !== undefined && /[\p{L}\p{N}_]/u.test(ch);
}

/** Kusto's `has`: `term` occurs in `text` case-insensitively on term boundaries (alphanumeric runs). */
export function hasTerm(text: string, term: string): boolean {
  if (term === "") return true;
  const hay = text.toLowerCase();
  const needle = term.toLowerCase();
  const needStart = isTermChar(needle[0]);
  const needEnd = isTermChar(needle[needle.length - 1]);
  for (let pos = hay.indexOf(needle); pos >= 0; pos = hay.indexOf(needle, pos + 1)) {
    const before = hay[pos - 1];
    const after = hay[pos + needle.length];
    if ((!needStart || !isTermChar(before)) && (!needEnd || !isTermChar(after))) return true;
  }
  return false;
}

function strrep(value: string, times: number, delimiter: string): string {
  if (times <= 0) return "";
  return Array.from({ length: Math.min(times, 1024) }, () => value).join(delimiter);
}

function codePointsToString(points: readonly Value[]): string | null {
  let out = "";
  for (const p of points) {
    if (typeof p !== "number" || !Number.isInteger(p) || p < 0 || p > 0x10ffff || (p >= 0xd800 && p <= 0xdfff)) return null;
    out += String.fromCodePoint(p);
  }
  return out;
}

const strcat: Impl = (args, ctx) => args.map((_, i) => argString(args, ctx, i)).join("");

const strcatDelim: Impl = (args, ctx) =>
  args
    .slice(1)
    .map((_, i) => argString(args, ctx, i + 1))
    .join(argString(args, ctx, 0));

const strcatArray: Impl = (args, ctx) => {
  const arr = argArray(args, 0);
  return arr === null ? "" : arr.map(dynamicElementString).join(argString(args, ctx, 1));
};

const substringFn: Impl = (args, ctx) => {
  const start = argLong(args, ctx, 1);
  const length = argLong(args, ctx, 2, null);
  if (start === null || (args.length > 2 && length === null)) return "";
  return substring(argString(args, ctx, 0), start, length);
};

const indexOfFn: Impl = (args, ctx) => {
  const start = argLong(args, ctx, 2, 0);
  const length = argLong(args, ctx, 3, -1);
  const occurrence = argLong(args, ctx, 4, 1);
  if (start === null || length === null || occurrence === null) return null;
  return indexOf(argString(args, ctx, 0), argString(args, ctx, 1), start, length, occurrence);
};

const splitFn: Impl = (args, ctx) => {
  const index = argLong(args, ctx, 2, null);
  if (args.length > 2 && index === null) return null;
  return split(argString(args, ctx, 0), argString(args, ctx, 1), index);
};

const replaceStringFn: Impl = (args, ctx) => {
  const text = argString(args, ctx, 0);
  const lookup = argString(args, ctx, 1);
  return lookup === "" ? text : text.split(lookup).join(argString(args, ctx, 2));
};

const replaceStringsFn: Impl = (args, ctx) => {
  const lookups = argArray(args, 1);
  const rewrites = argArray(args, 2);
  const text = argString(args, ctx, 0);
  return lookups === null || rewrites === null ? text : replaceStrings(text, lookups, rewrites);
};

const hasAnyIndex: Impl = (args, ctx) => {
  const lookups = argArray(args, 1);
  if (lookups === null) return null;
  const text = argString(args, ctx, 0);
  return lookups.findIndex((l) => hasTerm(text, dynamicElementString(l)));
};

const strrepFn: Impl = (args, ctx) => {
  const times = argLong(args, ctx, 1);
  if (times === null) return "";
  return strrep(argString(args, ctx, 0), times, args.length > 2 ? argString(args, ctx, 2) : "");
};

const strcmp: Impl = (args, ctx) => {
  const a = argString(args, ctx, 0);
  const b = argString(args, ctx, 1);
  return a < b ? -1 : a > b ? 1 : 0;
};

const fromCodepoints: Impl = (args) => {
  const list = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
  return codePointsToString(list) ?? "";
};

/** The string family. */
export const STRING_FUNCTIONS: readonly ScalarFunction[] = [
  fn("strcat", strcat),
  fn("strcat_delim", strcatDelim),
  fn("strcat_array", strcatArray),
  fn("strlen", (args, ctx) => Array.from(argString(args, ctx, 0)).length),
  fn("string_size", (args, ctx) => Buffer.byteLength(argString(args, ctx, 0), "utf8")),
  fn("substring", substringFn),
  fn("indexof", indexOfFn),
  fn("split", splitFn),
  fn("tolower", (args, ctx) => argString(args, ctx, 0).toLowerCase()),
  fn("toupper", (args, ctx) => argString(args, ctx, 0).toUpperCase()),
  fn("replace_string", replaceStringFn),
  fn("replace_strings", replaceStringsFn),
  fn("reverse", (args, ctx) => Array.from(argString(args, ctx, 0)).reverse().join("")),
  fn("strrep", strrepFn),
  fn("strcmp", strcmp),
  fn("translate", (args, ctx) => translate(argString(args, ctx, 0), argString(args, ctx, 1), argString(args, ctx, 2))),
  fn("countof", (args, ctx) => countPlainOrRegex(args, ctx)),
  fn("has_any_index", hasAnyIndex),
  fn("isascii", (args, ctx) => /^[\x00-\x7f]*$/.test(argString(args, ctx, 0))),
  fn("unicode_codepoints_from_string", (args, ctx) => Array.from(argString(args, ctx, 0), (ch) => ch.codePointAt(0) ?? 0)),
  fn("unicode_codepoints_to_string", fromCodepoints),
];

function countPlainOrRegex(args: readonly Value[], ctx: CallContext): Value {
  const source = argString(args, ctx, 0);
  const search = argString(args, ctx, 1);
  const kind = args.length > 2 ? argString(args, ctx, 2) : "normal";
  if (kind === "regex") return countRegex(source, search);
  return countPlain(source, search);
}
