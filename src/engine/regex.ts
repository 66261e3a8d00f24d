import { EngineError, type Span } from "./errors.ts";

/**
 * Translates an RE2 pattern (Kusto's regex dialect) to a JavaScript RegExp with the same meaning.
 * Handled: `(?P<name>…)` → `(?<name>…)`, `\A`/`\z` anchors, leading inline flags `(?i)`, `(?s)`, `(?m)`,
 * `(?U)` is refused, POSIX classes `[[:alpha:]]` etc., `\Q…\E` quoting. Refused (SC4008): constructs
 * JavaScript runs differently or not at all (`\C`, `\pN` one-letter classes without braces, inline
 * flag groups in the middle, possessive quantifiers).
 */
export function compileRe2(pattern: string, extraFlags = "", span: Span = { start: 0, length: 0 }): RegExp {
  let flags = new Set(["u", ...extraFlags]);
  let source = pattern;
  const lead = /^\(\?([imsU]+)\)/.exec(source);
  if (lead) {
    if (lead[1]!.includes("U")) throw refuse(pattern, "the (?U) ungreedy flag", span);
    for (const f of lead[1]!) flags.add(f);
    source = source.slice(lead[0].length);
  }
  let out = "";
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === "\\") {
      const next = source[i + 1];
      if (next === undefined) throw refuse(pattern, "a trailing backslash", span);
      if (next === "A" && !inClass) out += "^";
      else if (next === "z" && !inClass) out += "$(?![\\s\\S])";
      else if (next === "C") throw refuse(pattern, "\\C", span);
      else if (next === "Q") {
        const end = source.indexOf("\\E", i + 2);
        const literal = source.slice(i + 2, end < 0 ? source.length : end);
        out += literal.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
        i = end < 0 ? source.length : end + 1;
        continue;
      } else if ((next === "p" || next === "P") && source[i + 2] !== "{") {
        out += `\\${next}{${source[i + 2] ?? ""}}`;
        i += 2;
        continue;
      } else out += `\\${next}`;
      i++;
      continue;
    }
    if (inClass) {
      if (ch === "[" && source[i + 1] === ":") {
        const end = source.indexOf(":]", i + 2);
        const name = end < 0 ? "" : source.slice(i + 2, end);
        const posix = POSIX_CLASSES[name];
        if (!posix) throw refuse(pattern, `the POSIX class [:${name}:]`, span);
        out += posix;
        i = end + 1;
        continue;
      }
      if (ch === "]") inClass = false;
      out += ch === "/" ? "\\/" : ch;
      continue;
    }
    if (ch === "[") {
      inClass = true;
      out += ch;
      if (source[i + 1] === "^") {
        out += "^";
        i++;
      }
      if (source[i + 1] === "]") {
        out += "\\]";
        i++;
      }
      continue;
    }
    if (ch === "(" && source[i + 1] === "?") {
      if (source[i + 2] === "P" && source[i + 3] === "<") {
        out += "(?<";
        i += 3;
        continue;
      }
      if (/^[imsU-]/.test(source[i + 2] ?? "")) throw refuse(pattern, "inline flags inside the pattern", span);
    }
    if ((ch === "+" || ch === "*" || ch === "?" || ch === "}") && source[i + 1] === "+") throw refuse(pattern, "possessive quantifiers", span);
    out += ch;
  }
  if (flags.has("u") && /\\[^\\]/.test(out)) flags = relaxUnicode(out, flags);
  try {
    return new RegExp(out, [...flags].join(""));
  } catch (error) {
    throw new EngineError("SC4008", `invalid regular expression ${JSON.stringify(pattern)}: ${(error as Error).message}`, span);
  }
}

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

/** The `u` flag rejects identity escapes such as `\-` outside classes or `\_`; drop it when such escapes appear and no \p is used. */
function relaxUnicode(source: string, flags: Set<string>): Set<string> {
  try {
    new RegExp(source, [...flags].join(""));
    return flags;
  } catch {
    if (/\\[pP]\{/.test(source)) return flags;
    const relaxed = new Set(flags);
    relaxed.delete("u");
    return relaxed;
  }
}

function refuse(pattern: string, what: string, span: Span): EngineError {
  return new EngineError("SC4008", `regular expression ${JSON.stringify(pattern)} uses ${what}, which the offline engine cannot run as RE2 does`, span);
}

const cache = new Map<string, RegExp>();

/** compileRe2 with a cache keyed by pattern and flags (patterns are usually constants). */
export function cachedRe2(pattern: string, extraFlags = "", span?: Span): RegExp {
  const key = `${extraFlags}\u0000${pattern}`;
  let re = cache.get(key);
  if (!re) {
    re = compileRe2(pattern, extraFlags, span);
    if (cache.size > 1000) cache.clear();
    cache.set(key, re);
  }
  return re;
}
