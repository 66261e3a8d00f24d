import type { Scalar } from "yaml";
import { assertNever } from "../diagnostics/index.ts";

/**
 * For each UTF-16 code unit of a scalar's parsed string value, the offset in the YAML text it came from, plus
 * one final entry for the end of the value. The value is rebuilt from the source by the YAML 1.2 folding,
 * escaping and chomping rules of the scalar's style and compared with the parser's value: on any mismatch
 * the result is undefined, so callers never report a wrong position.
 */
export function scalarValueOffsets(text: string, scalar: Scalar): number[] | undefined {
  const range = scalar.range;
  if (!range || typeof scalar.value !== "string") return undefined;
  const value = scalar.value;
  const [start, end] = range;
  const built = buildFromSource(text, start, end, scalar.type, value);
  if (!built || built.chars !== value) return undefined;
  const offsets = built.offsets;
  const last = offsets.at(-1);
  offsets.push(last === undefined ? contentStart(text, start, scalar.type) : last + 1);
  return offsets;
}

interface Built {
  chars: string;
  offsets: number[];
}

function buildFromSource(text: string, start: number, end: number, type: Scalar["type"], value: string): Built | undefined {
  switch (type) {
    case "PLAIN":
      return foldFlow(text, start, end, "plain");
    case "QUOTE_SINGLE":
      return foldFlow(text, start + 1, end - 1, "single");
    case "QUOTE_DOUBLE":
      return foldFlow(text, start + 1, end - 1, "double");
    case "BLOCK_LITERAL":
    case "BLOCK_FOLDED":
      return buildBlock(text, start, type === "BLOCK_FOLDED", value);
    case undefined:
      return undefined;
    default:
      return assertNever(type, "scalar style");
  }
}

function contentStart(text: string, start: number, type: Scalar["type"]): number {
  if (type === "QUOTE_SINGLE" || type === "QUOTE_DOUBLE") return start + 1;
  if (type === "BLOCK_LITERAL" || type === "BLOCK_FOLDED") {
    const eol = text.indexOf("\n", start);
    return eol < 0 ? text.length : eol + 1;
  }
  return start;
}

class Output implements Built {
  chars = "";
  offsets: number[] = [];
  push(chars: string, offset: number): void {
    for (let k = 0; k < chars.length; k++) this.offsets.push(offset);
    this.chars += chars;
  }
  pushSource(text: string, from: number, to: number): void {
    for (let k = from; k < to; k++) this.offsets.push(k);
    this.chars += text.slice(from, to);
  }
  dropLast(count: number): void {
    if (count <= 0) return;
    this.chars = this.chars.slice(0, -count);
    this.offsets.length -= count;
  }
}

const isBlank = (c: string | undefined): boolean => c === " " || c === "\t";
const isBreak = (c: string | undefined): boolean => c === "\n" || c === "\r";

/** Skips one line break (LF or CRLF or CR) at i. */
function skipBreak(text: string, i: number): number {
  if (text[i] === "\r" && text[i + 1] === "\n") return i + 2;
  return i + 1;
}

/** Plain, single- and double-quoted scalars: flow folding (YAML 1.2 §7.3) plus quote escapes. */
function foldFlow(text: string, from: number, to: number, style: "plain" | "single" | "double"): Built | undefined {
  const out = new Output();
  let trailingWhite = 0;
  let i = from;
  while (i < to) {
    const c = text[i];
    if (style === "double" && c === "\\") {
      const next = text[i + 1];
      if (isBreak(next)) {
        i = skipBreak(text, i + 1);
        i = foldBreaks(text, i, to, out, false);
        trailingWhite = 0;
        continue;
      }
      const escaped = decodeEscape(text, i);
      if (!escaped) return undefined;
      out.push(escaped.chars, i);
      i = escaped.next;
      trailingWhite = 0;
      continue;
    }
    if (isBreak(c)) {
      out.dropLast(trailingWhite);
      trailingWhite = 0;
      i = foldBreaks(text, skipBreak(text, i), to, out, true, i);
      continue;
    }
    if (style === "single" && c === "'" && text[i + 1] === "'") {
      out.push("'", i);
      i += 2;
      trailingWhite = 0;
      continue;
    }
    out.push(c as string, i);
    trailingWhite = isBlank(c) ? trailingWhite + 1 : 0;
    i++;
  }
  return out;
}

/**
 * After a line break at `breakAt`: counts following empty lines (each becomes "\n"), skips the next line's
 * indentation, and emits a single space for a lone break when `folded` (an escaped break emits nothing).
 */
function foldBreaks(text: string, i: number, to: number, out: Output, folded: boolean, breakAt = i): number {
  let empty = 0;
  for (;;) {
    let j = i;
    while (j < to && isBlank(text[j])) j++;
    if (j < to && isBreak(text[j])) {
      out.push("\n", j);
      empty++;
      i = skipBreak(text, j);
      continue;
    }
    if (empty === 0 && folded) out.push(" ", breakAt);
    return j;
  }
}

const SIMPLE_ESCAPES: Record<string, string> = {
  "0": "\0", a: "\x07", b: "\b", t: "\t", "\t": "\t", n: "\n", v: "\v", f: "\f", r: "\r", e: "\x1b",
  " ": " ", '"': '"', "/": "/", "\\": "\\", N: "\u0085", _: "\u00a0", L: "\u2028", P: "\u2029",
};
const HEX_ESCAPES: Record<string, number> = { x: 2, u: 4, U: 8 };

function decodeEscape(text: string, at: number): { chars: string; next: number } | undefined {
  const kind = text[at + 1] ?? "";
  const simple = SIMPLE_ESCAPES[kind];
  if (simple !== undefined) return { chars: simple, next: at + 2 };
  const digits = HEX_ESCAPES[kind];
  if (digits === undefined) return undefined;
  const hex = text.slice(at + 2, at + 2 + digits);
  if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) return undefined;
  const code = Number.parseInt(hex, 16);
  if (code > 0x10ffff) return undefined;
  return { chars: String.fromCodePoint(code), next: at + 2 + digits };
}

interface BlockLine {
  start: number;
  /** Offset of the line break ending the line (or the end of the text). */
  end: number;
  spaces: number;
}

/** Literal (`|`) and folded (`>`) block scalars, with indentation indicators and chomping (§8.1). */
function buildBlock(text: string, start: number, folded: boolean, value: string): Built | undefined {
  let i = start + 1;
  let chomp: "clip" | "strip" | "keep" = "clip";
  let explicit = false;
  while (i < text.length && !isBreak(text[i]) && !isBlank(text[i]) && text[i] !== "#") {
    const c = text[i] as string;
    if (c === "-") chomp = "strip";
    else if (c === "+") chomp = "keep";
    else if (/[1-9]/.test(c)) explicit = true;
    else return undefined;
    i++;
  }
  while (i < text.length && !isBreak(text[i])) i++;
  const bodyStart = i < text.length ? skipBreak(text, i) : i;
  const lines = splitLines(text, bodyStart);
  const firstContent = lines.find((l) => l.start + l.spaces < l.end);
  const detected = firstContent?.spaces ?? 0;
  const candidates = explicit ? [detected, ...Array.from({ length: detected }, (_, k) => k)] : [detected];
  for (const indent of candidates) {
    const built = blockWithIndent(text, lines, indent, folded, chomp);
    if (built.chars === value) return built;
  }
  return undefined;
}

function splitLines(text: string, from: number): BlockLine[] {
  const lines: BlockLine[] = [];
  let i = from;
  while (i < text.length) {
    let end = i;
    while (end < text.length && !isBreak(text[end])) end++;
    let spaces = 0;
    while (text[i + spaces] === " ") spaces++;
    lines.push({ start: i, end, spaces });
    i = end < text.length ? skipBreak(text, end) : end;
  }
  return lines;
}

function blockWithIndent(text: string, all: BlockLine[], indent: number, folded: boolean, chomp: "clip" | "strip" | "keep"): Built {
  const blank = (l: BlockLine): boolean => l.end - l.start <= indent && l.spaces === l.end - l.start;
  const body: BlockLine[] = [];
  for (const line of all) {
    if (!blank(line) && line.spaces < indent) break;
    body.push(line);
  }
  let lastContent = body.length - 1;
  while (lastContent >= 0 && blank(body[lastContent] as BlockLine)) lastContent--;
  const out = new Output();
  let previous: BlockLine | undefined;
  let pendingEmpty: BlockLine[] = [];
  for (let k = 0; k <= lastContent; k++) {
    const line = body[k] as BlockLine;
    if (blank(line)) {
      pendingEmpty.push(line);
      continue;
    }
    const spaced = isBlank(text[line.start + indent]);
    if (previous) {
      const previousSpaced = isBlank(text[previous.start + indent]);
      const fold = folded && !spaced && !previousSpaced;
      if (!fold || pendingEmpty.length === 0) out.push(fold ? " " : "\n", previous.end);
    }
    for (const empty of pendingEmpty) out.push("\n", empty.end);
    pendingEmpty = [];
    out.pushSource(text, line.start + indent, line.end);
    previous = line;
  }
  const trailing = body.slice(lastContent + 1);
  if (previous && chomp !== "strip") out.push("\n", previous.end);
  if (chomp === "keep") for (const empty of trailing) out.push("\n", empty.end);
  return out;
}
