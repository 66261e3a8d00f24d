/** String functions (strcat, split, substring, indexof, replace_string, translate, …) with Kusto's rules. */
import type { JsonValue, Value } from "../values.ts";
import { hasTerm } from "../expressions/string-ops.ts";
import { argArray, argLong, argReal, argString, dynamicElementString } from "./conversion.ts";
import { roundHalfAway } from "./math.ts";
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

/** Splits the first record of CSV text into its fields (double quotes, "" escapes, quoted newlines). */
export function parseCsv(text: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      fields.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") break;
    else field += c;
  }
  fields.push(field);
  return fields;
}

const PUNY = { base: 36, tMin: 1, tMax: 26, skew: 38, damp: 700, initialBias: 72, initialN: 128 };

function adapt(delta: number, numPoints: number, first: boolean): number {
  let d = first ? Math.floor(delta / PUNY.damp) : delta >> 1;
  d += Math.floor(d / numPoints);
  let k = 0;
  while (d > ((PUNY.base - PUNY.tMin) * PUNY.tMax) >> 1) {
    d = Math.floor(d / (PUNY.base - PUNY.tMin));
    k += PUNY.base;
  }
  return k + Math.floor(((PUNY.base - PUNY.tMin + 1) * d) / (d + PUNY.skew));
}

/** RFC 3492's threshold t for the digit at position k: k − bias clamped to [tMin, tMax]. */
function threshold(k: number, bias: number): number {
  return k <= bias ? PUNY.tMin : k >= bias + PUNY.tMax ? PUNY.tMax : k - bias;
}

function digitChar(d: number): string {
  return String.fromCharCode(d < 26 ? 97 + d : 22 + d);
}

function charDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 22;
  if (c >= 65 && c <= 90) return c - 65;
  if (c >= 97 && c <= 122) return c - 97;
  return PUNY.base;
}

/** RFC 3492 Punycode encoding of a string (no "xn--" prefix). */
export function punycodeEncode(input: string): string {
  const points = Array.from(input, (ch) => ch.codePointAt(0) ?? 0);
  let out = points.filter((p) => p < 0x80).map((p) => String.fromCodePoint(p)).join("");
  const basic = out.length;
  let handled = basic;
  if (basic > 0) out += "-";
  let n = PUNY.initialN;
  let delta = 0;
  let bias = PUNY.initialBias;
  while (handled < points.length) {
    const m = Math.min(...points.filter((p) => p >= n));
    delta += (m - n) * (handled + 1);
    n = m;
    for (const p of points) {
      if (p < n) delta++;
      if (p !== n) continue;
      let q = delta;
      for (let k = PUNY.base; ; k += PUNY.base) {
        const t = threshold(k, bias);
        if (q < t) break;
        out += digitChar(t + ((q - t) % (PUNY.base - t)));
        q = Math.floor((q - t) / (PUNY.base - t));
      }
      out += digitChar(q);
      bias = adapt(delta, handled + 1, handled === basic);
      delta = 0;
      handled++;
    }
    delta++;
    n++;
  }
  return out;
}

/** RFC 3492 Punycode decoding; null when the text is not valid Punycode. */
export function punycodeDecode(input: string): string | null {
  const dash = input.lastIndexOf("-");
  const output = dash > 0 ? Array.from(input.slice(0, dash), (c) => c.codePointAt(0) ?? 0) : [];
  if (output.some((p) => p >= 0x80)) return null;
  let n = PUNY.initialN;
  let bias = PUNY.initialBias;
  let i = 0;
  for (let pos = dash > 0 ? dash + 1 : 0; pos < input.length; ) {
    const oldi = i;
    let w = 1;
    for (let k = PUNY.base; ; k += PUNY.base) {
      if (pos >= input.length) return null;
      const digit = charDigit(input.charCodeAt(pos++));
      if (digit >= PUNY.base) return null;
      i += digit * w;
      const t = threshold(k, bias);
      if (digit < t) break;
      w *= PUNY.base - t;
    }
    bias = adapt(i - oldi, output.length + 1, oldi === 0);
    n += Math.floor(i / (output.length + 1));
    i %= output.length + 1;
    if (n > 0x10ffff) return null;
    output.splice(i++, 0, n);
  }
  return String.fromCodePoint(...output);
}

const DOMAIN_DOTS = /[.\u3002\uff0e\uff61]/;

function encodeDomain(domain: string): string {
  return domain
    .split(DOMAIN_DOTS)
    .map((label) => (/^[\x00-\x7f]*$/.test(label) ? label : `xn--${punycodeEncode(label)}`))
    .join(".");
}

function decodeDomain(domain: string): string {
  return domain
    .split(".")
    .map((label) => (/^xn--/i.test(label) ? (punycodeDecode(label.slice(4)) ?? label) : label))
    .join(".");
}

const BYTE_UNITS = ["Bytes", "KB", "MB", "GB", "TB", "PB", "EB"];

/** format_bytes: a size in the largest 1024-based unit that keeps it at least 1 (or the given unit), rounded to `precision` digits. */
export function formatBytes(size: number, precision: number, unit: string | null): string {
  let index = unit === null ? 0 : BYTE_UNITS.findIndex((u) => u.toLowerCase() === unit.toLowerCase());
  if (index < 0) return "";
  if (unit === null) while (index < BYTE_UNITS.length - 1 && Math.abs(size) >= 1024 ** (index + 1)) index++;
  const value = roundHalfAway(size / 1024 ** index, Math.max(0, precision));
  return `${value} ${BYTE_UNITS[index]}`;
}

const formatBytesFn: Impl = (args, ctx) => {
  const size = argReal(args, ctx, 0);
  const precision = argLong(args, ctx, 1, 0);
  if (size === null || precision === null) return "";
  const unit = args.length > 2 ? argString(args, ctx, 2) : "";
  return formatBytes(size, precision, unit === "" ? null : unit);
};

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
  return lookups.findIndex((l) => hasTerm(text, dynamicElementString(l), false));
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

const fromCodepoints: Impl = (args) => codePointsToString(args.flatMap((a): Value[] => (Array.isArray(a) ? a : [a]))) ?? "";

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
  fn("isutf8", (args, ctx) => !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(argString(args, ctx, 0))),
  fn("unicode_codepoints_from_string", (args, ctx) => Array.from(argString(args, ctx, 0), (ch) => ch.codePointAt(0) ?? 0), ["to_utf8"]),
  fn("unicode_codepoints_to_string", fromCodepoints, ["make_string"]),
  fn("format_bytes", formatBytesFn),
  fn("parse_csv", (args, ctx) => parseCsv(argString(args, ctx, 0))),
  fn("punycode_from_string", (args, ctx) => punycodeEncode(argString(args, ctx, 0))),
  fn("punycode_to_string", (args, ctx) => punycodeDecode(argString(args, ctx, 0)) ?? ""),
  // Kusto names the domain pair the other way round from punycode_from_string/punycode_to_string:
  // punycode_domain_from_string decodes and punycode_domain_to_string encodes (as documented).
  fn("punycode_domain_from_string", (args, ctx) => decodeDomain(argString(args, ctx, 0))),
  fn("punycode_domain_to_string", (args, ctx) => encodeDomain(argString(args, ctx, 0))),
];

function countPlainOrRegex(args: readonly Value[], ctx: CallContext): Value {
  const source = argString(args, ctx, 0);
  const search = argString(args, ctx, 1);
  const kind = args.length > 2 ? argString(args, ctx, 2) : "normal";
  if (kind === "regex") return countRegex(source, search);
  return countPlain(source, search);
}
