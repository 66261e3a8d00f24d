import type { EvalContext, RowFn } from "../context.ts";
import { argumentsOf } from "../planner/calls.ts";
import { kindOf, textOf, unsupported, type SyntaxNode } from "../syntax.ts";
import { compareValues, groupKey, type KqlType, type Row, type Value } from "../values.ts";
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

const numberOf = (v: Value): number | null => (typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : null);

function countOf(pred: RowFn | undefined): () => Accumulator {
  return () => {
    let n = 0;
    return {
      add: (row, ctx) => {
        if (!pred || pred(row, ctx) === true) n++;
      },
      result: () => n,
    };
  };
}

function sumOf(arg: RowFn, pred: RowFn | undefined, type: KqlType): () => Accumulator {
  return () => {
    let sum = 0;
    let ticks = 0n;
    let seen = false;
    return {
      add: (row, ctx) => {
        if (pred && pred(row, ctx) !== true) return;
        const v = arg(row, ctx);
        if (typeof v === "bigint") ticks += v;
        else if (typeof v === "number") sum += v;
        else return;
        seen = true;
      },
      result: () => (type === "timespan" ? (seen ? ticks : null) : seen ? sum : null),
    };
  };
}

function avgOf(arg: RowFn, pred: RowFn | undefined): () => Accumulator {
  return () => {
    let sum = 0;
    let n = 0;
    return {
      add: (row, ctx) => {
        if (pred && pred(row, ctx) !== true) return;
        const v = numberOf(arg(row, ctx));
        if (v === null) return;
        sum += v;
        n++;
      },
      result: () => (n === 0 ? null : sum / n),
    };
  };
}

function extremeOf(arg: RowFn, pred: RowFn | undefined, sign: 1 | -1): () => Accumulator {
  return () => {
    let best: Value = null;
    return {
      add: (row, ctx) => {
        if (pred && pred(row, ctx) !== true) return;
        const v = arg(row, ctx);
        if (v === null || v === undefined || v === "") return;
        if (best === null || sign * compareValues(v, best) > 0) best = v;
      },
      result: () => best,
    };
  };
}

function dcountOf(arg: RowFn, pred: RowFn | undefined): () => Accumulator {
  return () => {
    const seen = new Set<string>();
    return {
      add: (row, ctx) => {
        if (pred && pred(row, ctx) !== true) return;
        const v = arg(row, ctx);
        if (v === null || v === undefined) return;
        seen.add(groupKey(v));
      },
      result: () => seen.size,
    };
  };
}

function takeAnyOf(arg: RowFn): () => Accumulator {
  return () => {
    let value: Value = null;
    let taken = false;
    return {
      add: (row, ctx) => {
        if (taken) return;
        value = arg(row, ctx);
        taken = true;
      },
      result: () => value,
    };
  };
}

/** The aggregate names this module computes (exactly; dcount is exact, not HyperLogLog). */
export const SERIES_AGGREGATES = ["count", "countif", "sum", "sumif", "avg", "avgif", "min", "minif", "max", "maxif", "dcount", "dcountif", "take_any", "any"];

/**
 * Compiles an aggregate call of make-series or top-nested (`count()`, `sum(x)`, `avgif(x, p)`, …);
 * any other aggregate is refused. `resultType` is the static type of one aggregate value.
 */
export function compileAggregate(call: SyntaxNode, ctx: PlanContext, resultType: KqlType): AggregateSpec {
  if (kindOf(call) !== "FunctionCallExpression") unsupported(call, "a non-aggregate expression here");
  const name = textOf(call.Name);
  const args = argumentsOf(call);
  const arg = (i: number): RowFn => {
    const node = args[i];
    if (!node) unsupported(call, `${name}() without argument ${i + 1}`);
    return ctx.compileScalar(node);
  };
  const create = ((): (() => Accumulator) => {
    switch (name) {
      case "count":
        if (args.length > 0) unsupported(call, "count() with an argument in make-series or top-nested");
        return countOf(undefined);
      case "countif":
        return countOf(arg(0));
      case "sum":
      case "sumif":
        return sumOf(arg(0), name === "sumif" ? arg(1) : undefined, resultType);
      case "avg":
      case "avgif":
        return avgOf(arg(0), name === "avgif" ? arg(1) : undefined);
      case "min":
      case "minif":
        return extremeOf(arg(0), name === "minif" ? arg(1) : undefined, -1);
      case "max":
      case "maxif":
        return extremeOf(arg(0), name === "maxif" ? arg(1) : undefined, 1);
      case "dcount":
      case "dcountif":
        if (args.length > (name === "dcount" ? 1 : 2)) unsupported(call, `${name}() with an accuracy argument`);
        return dcountOf(arg(0), name === "dcountif" ? arg(1) : undefined);
      case "take_any":
      case "any":
        if (args.length !== 1) unsupported(call, `${name}() with several arguments here`);
        return takeAnyOf(arg(0));
      default:
        return unsupported(call, `the aggregate ${name}() in make-series or top-nested`);
    }
  })();
  return { name, create };
}
