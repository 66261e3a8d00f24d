import { makeEvalContext, type TableStep } from "../context.ts";
import { carryIngestionTime } from "../planner/ingestion.ts";
import { child, kindOf, listOf, literalOf, scalarTypeNamed, type SyntaxNode, textOf, unsupported } from "../syntax.ts";
import { emptyOf, valueToString, type Row, type Value } from "../values.ts";
import type { PlanContext, TabularOperator } from "./contract.ts";
import { isHint, parseNamedParameters } from "./parse-named-parameters.ts";
import { compilePattern, matchPattern, PatternRefusal, type CompiledPattern, type ParseKind, type PatternPart } from "./parse-pattern.ts";

/** Reads `kind=` and `flags=`. */
function readOptions(node: SyntaxNode): { kind: ParseKind; flags: string } {
  const out: { kind: ParseKind; flags: string } = { kind: "simple", flags: "" };
  for (const param of parseNamedParameters(child(node, "Parameters"))) {
    if (isHint(param)) continue;
    if (param.name === "kind" && (param.text === "simple" || param.text === "regex" || param.text === "relaxed")) out.kind = param.text;
    else if (param.name === "flags") out.flags = param.text.replace(/^["']|["']$/g, "");
    else unsupported(param.node, `the parse parameter '${param.name}=${param.text}'`);
  }
  return out;
}

/** Reads the `with` pattern into parts. */
function readParts(node: SyntaxNode): PatternPart[] {
  return listOf(child(node, "Patterns")).map((item: SyntaxNode): PatternPart => {
    switch (kindOf(item)) {
      case "StringLiteralExpression":
      case "LiteralExpression": {
        const value: unknown = literalOf(item);
        if (typeof value !== "string") unsupported(item, "a non-string parse delimiter");
        return { kind: "literal", text: value };
      }
      case "StarExpression":
        return { kind: "star" };
      case "NameDeclaration":
        return { kind: "capture", name: textOf(item), type: "string" };
      case "NameAndTypeDeclaration": {
        const type = scalarTypeNamed(textOf(child(item, "Type")));
        if (!type) unsupported(item, `the parse capture type ${textOf(child(item, "Type"))}`);
        return { kind: "capture", name: textOf(child(item, "Name")), type };
      }
      default:
        return unsupported(item, `this parse pattern element (${kindOf(item)})`);
    }
  });
}

/** Compiles the pattern, turning a refusal into the engine's "not supported" error. */
function compileOrRefuse(node: SyntaxNode, parts: PatternPart[], kind: ParseKind, flags: string): CompiledPattern {
  try {
    return compilePattern(parts, kind, flags);
  } catch (error) {
    if (error instanceof PatternRefusal || error instanceof SyntaxError) unsupported(node, `this parse pattern (${error.message})`);
    throw error;
  }
}

/** Plans `parse` (`filter` false) or `parse-where` (`filter` true: rows that do not match are dropped). */
function planParse(node: SyntaxNode, ctx: PlanContext, filter: boolean): TableStep {
  const { kind, flags } = readOptions(node);
  const pattern = compileOrRefuse(node, readParts(node), kind, flags);
  const names = [...ctx.inputColumns.map((c) => c.name), ...pattern.captures.map((c) => c.name)].join(",");
  const expected = ctx.outputColumns.map((c) => c.name).join(",");
  if (names !== expected) unsupported(node, `this parse's column layout (Kusto expects ${expected})`);
  const source = ctx.compileScalar(child(node, "Expression"));
  const sourceType = ctx.typeOf(child(node, "Expression"));
  const misses: Value[] = pattern.captures.map((c) => emptyOf(c.type));
  return (input, run) => {
    const ectx = makeEvalContext(run, input.rows);
    const rows: Row[] = [];
    input.rows.forEach((row, index) => {
      ectx.index = index;
      const value = source(row, ectx);
      const text = sourceType === "string" ? String(value ?? "") : valueToString(value, sourceType);
      const values = matchPattern(pattern, text);
      if (!values && filter) return;
      const out = [...row, ...(values ? values.map((v, i) => (v === null ? (misses[i] as Value) : v)) : misses)];
      carryIngestionTime(row, out);
      rows.push(out);
    });
    return { columns: [...ctx.outputColumns], rows };
  };
}

/** The `parse` operator (kinds simple, regex, relaxed; typed captures; `*`). */
export const parseOperator: TabularOperator = { kinds: ["ParseOperator"], plan: (node, ctx) => planParse(node, ctx, false) };

/** The `parse-where` operator. */
export const parseWhereOperator: TabularOperator = { kinds: ["ParseWhereOperator"], plan: (node, ctx) => planParse(node, ctx, true) };
