import { makeEvalContext } from "../context.ts";
import { cellValue } from "../data/cell-value.ts";
import { allMatches, requireRe2, type CompiledRegex } from "../functions/regex.ts";
import { isLiteralKind, literalValue } from "../planner/literals.ts";
import { child, kindOf, listOf, optionalChild, simpleNameOf, spanOf, typeOf, unsupported } from "../syntax.ts";
import { emptyOf, type Column, type Row, type Value } from "../values.ts";
import type { TabularOperator } from "./contract.ts";

/** The `with (...)` options of parse-kv. */
interface KvOptions {
  pair?: string;
  kv?: string;
  quotes: [string, string][];
  escapes: string[];
  greedy: boolean;
  regex?: CompiledRegex;
}

const isWordChar = (ch: string | undefined): boolean => ch !== undefined && /[A-Za-z0-9_]/.test(ch);

/** Reads a quoted value starting at `at` (an opening quote); returns the unescaped text and the index after the closing quote. */
function readQuoted(text: string, at: number, close: string, escapes: readonly string[]): { value: string; end: number } {
  let value = "";
  let i = at + 1;
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (escapes.includes(ch) && i + 1 < text.length) {
      value += text[++i];
      continue;
    }
    if (ch === close) return { value, end: i + 1 };
    value += ch;
  }
  return { value, end: i };
}

function unquote(token: string, options: KvOptions): string {
  const t = token.trim();
  for (const [open, close] of options.quotes) {
    if (t.startsWith(open)) return readQuoted(t, 0, close, options.escapes).value;
  }
  return t;
}

/** Splits `text` at `delimiter`, leaving quoted stretches intact. */
function splitOutsideQuotes(text: string, delimiter: string, options: KvOptions): string[] {
  const parts: string[] = [];
  let current = "";
  for (let i = 0; i < text.length; ) {
    const quote = options.quotes.find(([open]) => text.startsWith(open, i));
    if (quote) {
      const { end } = readQuoted(text, i, quote[1], options.escapes);
      current += text.slice(i, end);
      i = end;
      continue;
    }
    if (text.startsWith(delimiter, i)) {
      parts.push(current);
      current = "";
      i += delimiter.length;
      continue;
    }
    current += text[i];
    i++;
  }
  parts.push(current);
  return parts;
}

/** Key/value pairs with explicit pair and key-value delimiters (greedy: values run on to the next key). */
function pairsWithDelimiters(text: string, options: KvOptions): [string, string][] {
  const pairs: [string, string][] = [];
  for (const token of splitOutsideQuotes(text, options.pair!, options)) {
    const kvAt = splitOutsideQuotes(token, options.kv!, options);
    if (kvAt.length < 2) {
      const last = pairs[pairs.length - 1];
      if (options.greedy && last) last[1] += `${options.pair}${token}`;
      continue;
    }
    pairs.push([kvAt[0]!, kvAt.slice(1).join(options.kv)]);
  }
  return pairs.map(([k, v]) => [unquote(k, options), unquote(v, options)]);
}

/** Value of `key` in free text where any non-alphanumeric character delimits keys and values. */
function valueWithoutDelimiters(text: string, key: string, options: KvOptions): string | undefined {
  let from = 0;
  for (;;) {
    const at = text.indexOf(key, from);
    if (at < 0) return undefined;
    from = at + 1;
    const end = at + key.length;
    if (isWordChar(text[at - 1]) || isWordChar(text[end]) || end >= text.length) continue;
    let i = end;
    while (i < text.length && !isWordChar(text[i]) && !options.quotes.some(([open]) => text.startsWith(open, i))) i++;
    if (i === end) continue;
    const quote = options.quotes.find(([open]) => text.startsWith(open, i));
    if (quote) return readQuoted(text, i, quote[1], options.escapes).value;
    let j = i;
    while (j < text.length && isWordChar(text[j])) j++;
    return text.slice(i, j);
  }
}

function convertValue(raw: string | undefined, column: Column): Value {
  if (raw === undefined) return column.type === "string" ? "" : null;
  const typed = cellValue(column.type === "string" ? raw : raw.trim(), column.type);
  return "error" in typed ? emptyOf(column.type) : typed.value;
}

/** `parse-kv expr as (key:type, …) with (…)`: extracts the listed keys (first occurrence wins) into typed columns. */
export const parseKvOperator: TabularOperator = {
  kinds: ["ParseKvOperator"],
  plan(node, ctx) {
    const source = ctx.compileScalar(child(node, "Expression"));
    const sourceType = typeOf(child(node, "Expression"));
    const keys = ctx.outputColumns.slice(ctx.inputColumns.length);
    const options: KvOptions = { quotes: [], escapes: [], greedy: false };
    for (const param of listOf(optionalChild(optionalChild(node, "WithClause"), "Properties"))) {
      const name = String(simpleNameOf(child(param, "Name")));
      const valueNode = child(param, "Expression");
      if (!isLiteralKind(kindOf(valueNode))) return unsupported(valueNode, `a non-constant parse-kv ${name}`);
      const value = literalValue(valueNode);
      if (name === "pair_delimiter") options.pair = String(value);
      else if (name === "kv_delimiter") options.kv = String(value);
      else if (name === "quote") {
        const q = String(value);
        options.quotes.push([q[0] ?? '"', q[1] ?? q[0] ?? '"']);
      } else if (name === "escape") options.escapes.push(String(value));
      else if (name === "greedy") options.greedy = value === true;
      else if (name === "regex") options.regex = requireRe2(String(value), spanOf(valueNode));
      else return unsupported(param, `the parse-kv option ${name}`);
    }
    if ((options.pair === undefined) !== (options.kv === undefined)) return unsupported(node, "parse-kv with only one of pair_delimiter and kv_delimiter");
    const extract = (text: string): Map<string, string> => {
      const found = new Map<string, string>();
      const add = (k: string, v: string) => {
        if (!found.has(k)) found.set(k, v);
      };
      if (options.regex) for (const m of allMatches(options.regex, text)) add(m.groups[1] ?? "", m.groups[2] ?? "");
      else if (options.pair !== undefined) for (const [k, v] of pairsWithDelimiters(text, options)) add(k, v);
      else
        for (const key of keys) {
          const v = valueWithoutDelimiters(text, key.name, options);
          if (v !== undefined) add(key.name, v);
        }
      return found;
    };
    return (input, run) => {
      const ec = makeEvalContext(run, input.rows);
      const rows = input.rows.map((row, i): Row => {
        ec.index = i;
        const v = source(row, ec);
        const text = typeof v === "string" ? v : v === null ? "" : sourceType === "dynamic" ? JSON.stringify(v) : String(v);
        const found = extract(text);
        return [...row, ...keys.map((k) => convertValue(found.get(k.name)?.trim(), k))];
      });
      return { columns: [...ctx.inputColumns, ...keys], rows };
    };
  },
};
