import { aggregateNamed } from "../aggregates/catalog.ts";
import type { EvalContext, RowFn } from "../context.ts";
import { EngineError } from "../errors.ts";
import { argumentsOf } from "../planner/calls.ts";
import { isLiteralKind, literalValue } from "../planner/literals.ts";
import { child, kindOf, referencedName, spanOf, type SyntaxNode, textOf, unsupported } from "../syntax.ts";
import type { KqlType, Row, Value } from "../values.ts";
import type { PlanContext } from "./contract.ts";

/** One running aggregate over the rows of a group (or a series bin). */
export interface Accumulator {
  add(row: Row, ctx: EvalContext): void;
  result(): Value;
}

/** A compiled aggregate call: makes a fresh accumulator per group. */
export interface AggregateSpec {
  /** The aggregate's name (count, sum, …). */
  name: string;
  create(): Accumulator;
}

/** Aggregates that return several columns, which one series or one top-nested level cannot hold. */
const MULTI_COLUMN = new Set(["arg_max", "arg_min", "argmax", "argmin", "percentiles"]);

/**
 * Compiles an aggregate call of make-series or top-nested (`count()`, `sum(x)`, `avgif(x, p)`, …) onto the
 * engine's aggregate catalog (the same implementations as summarize). Multi-column aggregates, `*`
 * arguments and expressions over aggregates are refused.
 */
export function compileAggregate(call: SyntaxNode, ctx: PlanContext, resultType: KqlType): AggregateSpec {
  if (kindOf(call) !== "FunctionCallExpression") unsupported(call, "an expression that is not a single aggregate call here");
  const name = referencedName(call) || textOf(child(call, "Name"));
  const fn = aggregateNamed(name);
  if (!fn) throw new EngineError("SC4002", `the aggregate ${name}() is not supported by the offline engine`, spanOf(call));
  if (MULTI_COLUMN.has(name)) unsupported(call, `the multi-column aggregate ${name}() in make-series or top-nested`);
  const argNodes = argumentsOf(call);
  if (argNodes.some((a: SyntaxNode) => kindOf(a) === "StarExpression")) unsupported(call, `${name}(*) in make-series or top-nested`);
  const args: RowFn[] = argNodes.map((a: SyntaxNode) => ctx.compileScalar(a));
  const facts = {
    argTypes: argNodes.map((a: SyntaxNode) => ctx.typeOf(a)),
    resultTypes: [resultType],
    constants: argNodes.map((a: SyntaxNode) => (isLiteralKind(kindOf(a)) ? literalValue(a) : undefined)),
  };
  const refusal = fn.refusal?.(facts);
  if (refusal) throw new EngineError("SC4020", refusal, spanOf(call));
  return {
    name,
    create: () => {
      const acc = fn.create(facts);
      // Reused row after row, as summarize does: the catalog's accumulators copy what they keep.
      const buffer = new Array<Value>(args.length);
      return {
        add: (row, ectx) => {
          for (let i = 0; i < args.length; i++) buffer[i] = args[i]!(row, ectx);
          acc.add(buffer);
        },
        result: () => acc.result()[0] ?? null,
      };
    },
  };
}
