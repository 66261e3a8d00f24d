import { assertNever } from "../../diagnostics/index.ts";
import { compileRe2, firstMatch, quoteRegex, type CompiledRegex } from "../functions/regex.ts";
import { parseDatetime, parseTimespan, type KqlType, type Value } from "../values.ts";

/** How `parse` matches: `simple` (literal delimiters, strict types), `regex` (RE2 delimiters), `relaxed` (literal delimiters, a capture that is not of its type becomes null). */
export type ParseKind = "simple" | "regex" | "relaxed";

/** One element of a parse pattern. */
export type PatternPart = { kind: "literal"; text: string } | { kind: "star" } | { kind: "capture"; name: string; type: KqlType };

/** A compiled pattern: the regex, the group index of each capture, and the captures in order. */
export interface CompiledPattern {
  regex: CompiledRegex;
  groups: number[];
  captures: { name: string; type: KqlType }[];
  kind: ParseKind;
}

/** Text a capture of each type may span in strict modes; other types span any text and are converted afterwards. */
const TYPE_PATTERNS: Partial<Record<KqlType, string>> = {
  int: "[+-]?\\d+",
  long: "[+-]?\\d+",
  real: "[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?",
  decimal: "[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?",
  bool: "[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]",
  guid: "[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}",
};

/** Why a pattern cannot be compiled exactly. */
export class PatternRefusal extends Error {}

/** RE2 source of one user delimiter: escaped text, or (kind=regex) the user's RE2 fragment, checked on its own. */
function delimiterSource(text: string, kind: ParseKind, flags: string): string {
  if (kind !== "regex") return quoteRegex(text);
  const compiled = compileRe2(text, flags);
  if (!compiled.ok) throw new PatternRefusal(compiled.message);
  return `(?:${text})`;
}

/** The flags the whole pattern is compiled with: all of them in regex mode; only `i` otherwise. */
function patternFlags(kind: ParseKind, flags: string): string {
  return kind === "regex" ? flags : flags.replace(/[^i]/g, "");
}

/**
 * Compiles a parse pattern on RE2. Simple and relaxed patterns are anchored at both ends with lazy `*`
 * and string captures (each capture ends at the first occurrence of the next delimiter); regex patterns
 * are searched, greedy unless flag U is given (as Kusto's examples show); the flags apply to the whole pattern.
 */
export function compilePattern(parts: readonly PatternPart[], kind: ParseKind, flags = ""): CompiledPattern {
  const unknownFlag = flags.replace(/[imsU]/g, "");
  if (unknownFlag) throw new PatternRefusal(`the regex flags '${unknownFlag}'`);
  const any = kind === "regex" ? ".*" : "(?s:.*?)";
  const captures: { name: string; type: KqlType }[] = [];
  let source = kind === "regex" ? "" : "^";
  for (const part of parts) {
    switch (part.kind) {
      case "literal":
        source += delimiterSource(part.text, kind, flags);
        break;
      case "star":
        source += any;
        break;
      case "capture": {
        const typed = TYPE_PATTERNS[part.type];
        const body = typed === undefined ? any : kind === "relaxed" ? `${typed}|${any}` : typed;
        source += `(?P<c${captures.length}>${body})`;
        captures.push({ name: part.name, type: part.type });
        break;
      }
      default:
        assertNever(part, "pattern part");
    }
  }
  if (kind !== "regex") source += "$";
  const compiled = compileRe2(source, patternFlags(kind, flags));
  if (!compiled.ok) throw new PatternRefusal(compiled.message);
  const groups = captures.map((_, i) => compiled.groupNames.indexOf(`c${i}`));
  return { regex: compiled, groups, captures, kind };
}

/** Converts captured text to a capture's type; undefined when it is not of that type. */
export function convertCapture(text: string, type: KqlType): Value | undefined {
  switch (type) {
    case "string":
      return text;
    case "int":
    case "long": {
      if (!/^[+-]?\d+$/.test(text)) return undefined;
      const n = Number(text);
      if (type === "int" && (n < -2147483648 || n > 2147483647)) return undefined;
      return Number.isSafeInteger(n) ? n : undefined;
    }
    case "real":
    case "decimal": {
      const n = Number(text);
      return text.trim() !== "" && !Number.isNaN(n) ? n : undefined;
    }
    case "bool":
      return /^true$/i.test(text) ? true : /^false$/i.test(text) ? false : undefined;
    case "datetime":
      return parseDatetime(text) ?? undefined;
    case "timespan":
      return parseTimespan(text) ?? undefined;
    case "guid":
      return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text) ? text.toLowerCase() : undefined;
    case "dynamic":
      try {
        return JSON.parse(text) as Value;
      } catch {
        return text;
      }
    default:
      return assertNever(type, "KQL type");
  }
}

/**
 * Matches `text` against the pattern: the captured values in order, or undefined when the text does not
 * match (strict kinds also fail when a capture is not of its type; relaxed sets that capture to null).
 */
export function matchPattern(pattern: CompiledPattern, text: string): Value[] | undefined {
  const match = firstMatch(pattern.regex, text);
  if (!match) return undefined;
  const values: Value[] = [];
  for (let i = 0; i < pattern.captures.length; i++) {
    const capture = pattern.captures[i] as { name: string; type: KqlType };
    const raw = match.groups[(pattern.groups[i] ?? -1) + 1] ?? "";
    const value = convertCapture(raw, capture.type);
    if (value === undefined) {
      if (pattern.kind !== "relaxed") return undefined;
      values.push(null);
    } else values.push(value);
  }
  return values;
}
