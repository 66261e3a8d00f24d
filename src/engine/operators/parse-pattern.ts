import { assertNever } from "../../diagnostics/index.ts";
import { compileRe2, quoteRegex } from "../functions/regex.ts";
import { parseDatetime, parseTimespan, type KqlType, type Value } from "../values.ts";

/** How `parse` matches: `simple` (literal delimiters, strict types), `regex` (RE2 delimiters), `relaxed` (literal delimiters, a capture that is not of its type becomes null). */
export type ParseKind = "simple" | "regex" | "relaxed";

/** One element of a parse pattern. */
export type PatternPart = { kind: "literal"; text: string } | { kind: "star" } | { kind: "capture"; name: string; type: KqlType };

/** A compiled pattern: the regex, and the captures in order. */
export interface CompiledPattern {
  regex: RegExp;
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

/** Regex source of one user delimiter: escaped text, or (kind=regex) the RE2 fragment translated. */
function delimiterSource(text: string, kind: ParseKind, flags: string): string {
  if (kind !== "regex") return quoteRegex(text);
  const inline = flags.replace(/[^ms]/g, "");
  const compiled = compileRe2(inline ? `(?${inline})${text}` : text);
  if (!compiled.ok) throw new PatternRefusal(compiled.message);
  if (flags.includes("U") && /[*+?{]/.test(text)) throw new PatternRefusal("the ungreedy flag U with quantifiers in the pattern");
  return `(?:${compiled.regex.source})`;
}

/**
 * Compiles a parse pattern. Simple and relaxed patterns are anchored at both ends with lazy `*` and
 * string captures (each capture ends at the first occurrence of the next delimiter); regex patterns
 * are searched, greedy unless flag U is given (as Kusto's examples show).
 */
export function compilePattern(parts: readonly PatternPart[], kind: ParseKind, flags = ""): CompiledPattern {
  const unknownFlag = flags.replace(/[imsU]/g, "");
  if (unknownFlag) throw new PatternRefusal(`the regex flags '${unknownFlag}'`);
  const any = kind === "regex" ? (flags.includes("U") ? "[^]*?" : "[^]*") : "[^]*?";
  const dot = kind === "regex" && !flags.includes("s") ? any.replace("[^]", "[^\\n]") : any;
  const captures: { name: string; type: KqlType }[] = [];
  let source = kind === "regex" ? "" : "^";
  for (const part of parts) {
    switch (part.kind) {
      case "literal":
        source += delimiterSource(part.text, kind, flags);
        break;
      case "star":
        source += dot;
        break;
      case "capture": {
        const typed = TYPE_PATTERNS[part.type];
        const body = typed === undefined ? dot : kind === "relaxed" ? `${typed}|${dot}` : typed;
        source += `(?<c${captures.length}>${body})`;
        captures.push({ name: part.name, type: part.type });
        break;
      }
      default:
        assertNever(part, "pattern part");
    }
  }
  if (kind !== "regex") source += "$";
  return { regex: new RegExp(source, flags.includes("i") ? "i" : ""), captures, kind };
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
  const match = pattern.regex.exec(text);
  if (!match) return undefined;
  const values: Value[] = [];
  for (let i = 0; i < pattern.captures.length; i++) {
    const capture = pattern.captures[i] as { name: string; type: KqlType };
    const raw = match.groups?.[`c${i}`] ?? "";
    const value = convertCapture(raw, capture.type);
    if (value === undefined) {
      if (pattern.kind !== "relaxed") return undefined;
      values.push(null);
    } else values.push(value);
  }
  return values;
}
