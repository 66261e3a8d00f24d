import type { TableStep } from "../context.ts";
import { EngineError } from "../errors.ts";
import { argumentsOf } from "../planner/calls.ts";
import { literalValue } from "../planner/literals.ts";
import { child, kindOf, literalOf, optionalChild, spanOf, type SyntaxNode, textOf, unsupported } from "../syntax.ts";
import type { PlanContext, TabularOperator } from "./contract.ts";
import { BagUnpackConflict, unpackBags, unpackBagsToSchema, type BagUnpackOptions, type ColumnsConflict } from "./evaluate-bag-unpack.ts";
import { planIpv4Lookup } from "./evaluate-ipv4-lookup.ts";
import { planRollingPercentile } from "./evaluate-rolling-percentile.ts";
import { isHint, parseNamedParameters } from "./parse-named-parameters.ts";

/** The literal string or string-array value of a plugin argument, refusing anything computed. */
function pluginLiteralOf(node: SyntaxNode): unknown {
  if (kindOf(node) === "DynamicExpression") return literalValue(node);
  const value = literalOf(node);
  if (value === undefined || value === null) unsupported(node, "a computed bag_unpack argument");
  return value;
}

/** Reads bag_unpack(column [, prefix] [, columnsConflict=…] [, ignoredProperties=…]). */
function readBagUnpack(call: SyntaxNode, ctx: PlanContext): BagUnpackOptions {
  const args = argumentsOf(call);
  const first = args[0];
  if (!first || kindOf(first) !== "NameReference") unsupported(call, "bag_unpack of an expression (only a column is supported)");
  const column = ctx.inputColumns.findIndex((c) => c.name === textOf(first));
  if (column < 0) unsupported(first, `bag_unpack of the unknown column '${textOf(first)}'`);
  const options: BagUnpackOptions = { column, prefix: "", conflict: "error", ignored: new Set() };
  args.slice(1).forEach((arg: SyntaxNode, i: number) => {
    if (kindOf(arg) === "SimpleNamedExpression") {
      const name = textOf(child(arg, "Name"));
      const value = pluginLiteralOf(child(arg, "Expression"));
      if (name === "columnsConflict" && (value === "error" || value === "replace_source" || value === "keep_source")) options.conflict = value as ColumnsConflict;
      else if (name === "ignoredProperties" && Array.isArray(value)) options.ignored = new Set(value.map(String));
      else unsupported(arg, `the bag_unpack argument ${name}`);
      return;
    }
    const value = pluginLiteralOf(arg);
    if (i !== 0 || typeof value !== "string") unsupported(arg, "this bag_unpack argument");
    options.prefix = value;
  });
  return options;
}

/** Plans `evaluate`: the plugins bag_unpack, ipv4_lookup and rolling_percentile are supported. */
function planEvaluate(node: SyntaxNode, ctx: PlanContext): TableStep {
  for (const param of parseNamedParameters(child(node, "Parameters"))) {
    if (!isHint(param)) unsupported(param.node, `the evaluate parameter '${param.name}'`);
  }
  const call = child(node, "FunctionCall");
  const name = textOf(child(call, "Name"));
  if (name === "ipv4_lookup") return planIpv4Lookup(call, ctx);
  if (name === "rolling_percentile") return planRollingPercentile(call, ctx);
  if (name !== "bag_unpack") unsupported(call, `the plugin ${name}()`);
  const options = readBagUnpack(call, ctx);
  const schema = optionalChild(node, "Schema") ? [...ctx.outputColumns] : undefined;
  const span = spanOf(node);
  return (input) => {
    try {
      // Without a schema Kusto.Language marks the result open; the planner keeps the unpacked columns.
      return schema ? unpackBagsToSchema(input, options, schema) : unpackBags(input, options);
    } catch (error) {
      if (error instanceof BagUnpackConflict) throw new EngineError("SC4004", error.message, span);
      throw error;
    }
  };
}

/** The `evaluate` operator (plugins bag_unpack, ipv4_lookup and rolling_percentile). Without an output schema its columns depend on the data, as in Kusto. */
export const evaluateOperator: TabularOperator = { kinds: ["EvaluateOperator"], plan: planEvaluate };
