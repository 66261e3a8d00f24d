import { EngineError } from "../errors.ts";
import { decimalArithmetic } from "../expressions/decimal.ts";
import { compareValues, fitsLong, groupKey, isBag, normalizeLong, toDynamic, type JsonValue, type KqlType, type Value } from "../values.ts";
import type { Accumulator, AggregateCall, AggregateFunction } from "./contract.ts";

const isNull = (v: Value): boolean => v === null || v === undefined;

function single(name: string, make: (call: AggregateCall) => { add(args: readonly Value[]): void; value(): Value }): AggregateFunction {
  return {
    name,
    create(call): Accumulator {
      const inner = make(call);
      return { add: (args) => inner.add(args), result: () => [inner.value()] };
    },
  };
}

// count and dcount run once per group of every summarize, so their accumulators are plain classes
// (one small object per group) rather than closures.
class CountAccumulator implements Accumulator {
  private n = 0;
  constructor(private readonly test: (args: readonly Value[]) => boolean) {}
  add(args: readonly Value[]): void {
    if (this.test(args)) this.n++;
  }
  result(): Value[] {
    return [this.n];
  }
}

// Primitive values go into the Set as they are (SameValueZero equals groupKey's equality: -0 is 0, NaN is NaN,
// 1, 1n and "1" differ); dynamic arrays and bags go into a second Set by their JSON rendering.
class DistinctAccumulator implements Accumulator {
  private readonly seen = new Set<string | number | bigint | boolean>();
  private objects: Set<string> | undefined;
  constructor(private readonly conditional: boolean) {}
  add(args: readonly Value[]): void {
    if (this.conditional && args[1] !== true) return;
    const v = args[0]!;
    if (isNull(v)) return;
    if (typeof v === "object") (this.objects ??= new Set()).add(groupKey(v));
    else this.seen.add(v);
  }
  result(): Value[] {
    return [this.seen.size + (this.objects?.size ?? 0)];
  }
}

function counter(name: string, test: (args: readonly Value[]) => boolean): AggregateFunction {
  return { name, create: () => new CountAccumulator(test) };
}

function maxSize(call: AggregateCall, at: number): number {
  const v = call.constants[at];
  return typeof v === "number" && v > 0 ? v : 1_048_576;
}

/** A sum in the result's representation: ticks for timespans, numbers otherwise. */
function summer(name: string, conditional: boolean): AggregateFunction {
  return refuseArgumentTypes(plainSummer(name, conditional), [0], ["datetime"]);
}

function plainSummer(name: string, conditional: boolean): AggregateFunction {
  return single(name, (call) => {
    const type = call.resultTypes[0]!;
    if (type === "long" || type === "int") return longSummer(conditional);
    if (type === "decimal") return decimalSummer(conditional, false);
    let sum: number | bigint | null = null;
    return {
      add(args) {
        if (conditional && args[1] !== true) return;
        const v = args[0];
        if (isNull(v!)) return;
        if (typeof v === "number") sum = ((sum as number | null) ?? 0) + v;
        else if (typeof v === "bigint") sum = type === "timespan" ? (typeof sum === "bigint" ? sum : 0n) + v : ((sum as number | null) ?? 0) + Number(v);
        else if (typeof v === "boolean") sum = ((sum as number | null) ?? 0) + Number(v);
      },
      value: () => (sum === null ? (type === "timespan" ? 0n : 0) : sum),
    };
  });
}

/**
 * sum of longs, exactly: a number while the running sum is a safe integer, a bigint beyond. A sum
 * outside 64 bits is refused (Microsoft's overflow page: an aggregation that overflows fails).
 */
function longSummer(conditional: boolean): { add(args: readonly Value[]): void; value(): Value } {
  let small = 0;
  let big: bigint | null = null;
  return {
    add(args) {
      if (conditional && args[1] !== true) return;
      const v = args[0];
      if (typeof v === "number" && big === null) {
        const next = small + Math.trunc(v);
        if (Number.isSafeInteger(next)) {
          small = next;
          return;
        }
      }
      if (typeof v !== "number" && typeof v !== "bigint" && typeof v !== "boolean") return;
      big = (big ?? BigInt(small)) + (typeof v === "number" ? BigInt(Math.trunc(v)) : BigInt(v));
      if (!fitsLong(big)) throw new EngineError("SC4020", "sum() of longs overflows 64 bits; Kusto fails such a query (https://learn.microsoft.com/kusto/concepts/overflow)");
    },
    value: () => (big === null ? small : normalizeLong(big)),
  };
}

/** sum (or, with `mean`, avg) of decimals in exact decimal arithmetic (refused beyond 15 significant digits). */
function decimalSummer(conditional: boolean, mean: boolean): { add(args: readonly Value[]): void; value(): Value } {
  let sum: Value = 0;
  let n = 0;
  return {
    add(args) {
      if (conditional && args[1] !== true) return;
      const v = args[0];
      if (typeof v !== "number" && typeof v !== "bigint") return;
      sum = decimalArithmetic("+", sum as number, v);
      n++;
    },
    value: () => (!mean ? sum : n === 0 ? null : decimalArithmetic("/", sum as number, n)),
  };
}

/** avg over datetimes and timespans: the mean tick count (truncated toward zero), typed as its input. */
function tickAverager(conditional: boolean): { add(args: readonly Value[]): void; value(): Value } {
  let sum = 0n;
  let n = 0n;
  return {
    add(args) {
      if (conditional && args[1] !== true) return;
      const v = args[0];
      if (typeof v !== "bigint") return;
      sum += v;
      n++;
    },
    value: () => (n === 0n ? null : sum / n),
  };
}

function averager(name: string, conditional: boolean): AggregateFunction {
  return single(name, (call) => {
    const argType = call.argTypes[0];
    if (argType === "datetime" || argType === "timespan") return tickAverager(conditional);
    if (argType === "decimal") return decimalSummer(conditional, true);
    let sum = 0;
    let n = 0;
    return {
      add(args) {
        if (conditional && args[1] !== true) return;
        const v = args[0];
        if (typeof v === "number") {
          sum += v;
          n++;
        } else if (typeof v === "bigint") {
          sum += Number(v);
          n++;
        } else if (typeof v === "boolean") {
          sum += Number(v);
          n++;
        }
      },
      value: () => (n === 0 ? null : sum / n),
    };
  });
}

function extreme(name: string, wantMax: boolean, conditional: boolean): AggregateFunction {
  return single(name, (call) => {
    let best: Value = null;
    const type = call.resultTypes[0];
    return {
      add(args) {
        if (conditional && args[1] !== true) return;
        const v = args[0]!;
        if (isNull(v) || (type === "string" && v === "")) return;
        if (best === null) best = v;
        else {
          const c = compareValues(v, best);
          if (wantMax ? c > 0 : c < 0) best = v;
        }
      },
      value: () => (best === null && type === "string" ? "" : best),
    };
  });
}

/** arg_min/arg_max: the row extreme in args[0]; result = that row's args (args[0], extras…). */
function argExtreme(name: string, wantMax: boolean): AggregateFunction {
  return {
    name,
    create(call) {
      let best: readonly Value[] | null = null;
      // When every value is null Kusto returns the group's first row.
      let first: readonly Value[] | null = null;
      return {
        add(args) {
          first ??= args.slice();
          const v = args[0]!;
          if (isNull(v)) return;
          if (best === null || (wantMax ? compareValues(v, best[0]!) > 0 : compareValues(v, best[0]!) < 0)) best = args.slice();
        },
        result: () => {
          const row = best ?? first;
          return call.resultTypes.map((t, i) => (row ? (row[i] ?? null) : t === "string" ? "" : null));
        },
      };
    },
  };
}

function collector(name: string, distinct: boolean, conditional: boolean, keepNulls = false): AggregateFunction {
  return single(name, (call) => {
    const limit = maxSize(call, conditional ? 2 : 1);
    const type = call.argTypes[0] ?? "dynamic";
    const items: JsonValue[] = [];
    const seen = new Set<string>();
    return {
      add(args) {
        if (conditional && args[1] !== true) return;
        const v = args[0]!;
        if (!keepNulls && (isNull(v) || (type === "dynamic" && v === null))) return;
        if (items.length >= limit) return;
        if (distinct && type === "dynamic" && Array.isArray(v)) {
          for (const e of v) {
            const k = groupKey(e);
            if (!seen.has(k) && items.length < limit) {
              seen.add(k);
              items.push(e);
            }
          }
          return;
        }
        const j = toDynamic(v, type);
        if (distinct) {
          const k = groupKey(j);
          if (seen.has(k)) return;
          seen.add(k);
        }
        items.push(j);
      },
      value: () => items,
    };
  });
}

function bagMaker(name: string, conditional: boolean): AggregateFunction {
  return single(name, (call) => {
    const limit = maxSize(call, conditional ? 2 : 1);
    const bag: { [key: string]: JsonValue } = {};
    let size = 0;
    return {
      add(args) {
        if (conditional && args[1] !== true) return;
        const v = args[0]!;
        if (!isBag(v)) return;
        for (const [k, x] of Object.entries(v)) {
          if (k in bag || size >= limit) continue;
          bag[k] = x;
          size++;
        }
      },
      value: () => bag,
    };
  });
}

function distinctCounter(name: string, conditional: boolean): AggregateFunction {
  return { name, create: () => new DistinctAccumulator(conditional) };
}

/** Refuses an aggregate whose argument at `at` has one of `types`: Kusto documents no result for it. */
function refuseArgumentTypes(fn: AggregateFunction, at: readonly number[], types: readonly KqlType[] = ["datetime", "timespan"]): AggregateFunction {
  return {
    ...fn,
    refusal(call: AggregateCall) {
      const bad = at.map((i) => call.argTypes[i]).find((t) => t !== undefined && types.includes(t));
      return bad ? `${fn.name}() over a ${bad} (Kusto documents no result for it)` : undefined;
    },
  };
}

function moments(name: string, population: boolean, root: boolean, conditional: boolean): AggregateFunction {
  return refuseArgumentTypes(momentsOf(name, population, root, conditional), [0]);
}

function momentsOf(name: string, population: boolean, root: boolean, conditional: boolean): AggregateFunction {
  return single(name, () => {
    let n = 0;
    let mean = 0;
    let m2 = 0;
    return {
      add(args) {
        if (conditional && args[1] !== true) return;
        const raw = args[0];
        if (typeof raw !== "number" && typeof raw !== "bigint" && typeof raw !== "boolean") return;
        const x = Number(raw);
        n++;
        const d = x - mean;
        mean += d / n;
        m2 += d * (x - mean);
      },
      value() {
        if (n === 0) return null;
        const variance = population ? m2 / n : n > 1 ? m2 / (n - 1) : 0;
        return root ? Math.sqrt(variance) : variance;
      },
    };
  });
}

function covariance(name: string, population: boolean, conditional: boolean): AggregateFunction {
  return refuseArgumentTypes(covarianceOf(name, population, conditional), [0, 1]);
}

function covarianceOf(name: string, population: boolean, conditional: boolean): AggregateFunction {
  return single(name, () => {
    let n = 0;
    let meanX = 0;
    let meanY = 0;
    let c = 0;
    return {
      add(args) {
        if (conditional && args[2] !== true) return;
        const [a, b] = args;
        if ((typeof a !== "number" && typeof a !== "bigint") || (typeof b !== "number" && typeof b !== "bigint")) return;
        const x = Number(a);
        const y = Number(b);
        n++;
        const dx = x - meanX;
        meanX += dx / n;
        meanY += (y - meanY) / n;
        c += dx * (y - meanY);
      },
      value: () => (n === 0 ? null : population ? c / n : n > 1 ? c / (n - 1) : 0),
    };
  });
}

/** Kusto's nearest-rank percentile of sorted values: the smallest value with at least p% of the values ≤ it. */
export function nearestRank(sorted: readonly Value[], p: number): Value {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

function percentiler(name: string, asArray: boolean): AggregateFunction {
  return {
    name,
    create(call) {
      const values: Value[] = [];
      const levels: number[] = [];
      for (let i = 1; i < call.constants.length; i++) {
        const c = call.constants[i];
        if (typeof c === "number") levels.push(c);
        else if (Array.isArray(c)) for (const x of c) if (typeof x === "number") levels.push(x);
      }
      return {
        add(args) {
          const v = args[0]!;
          if (!isNull(v)) values.push(v);
        },
        result() {
          values.sort(compareValues);
          const out = levels.map((p) => nearestRank(values, p));
          if (asArray) return [out.map((v) => toDynamic(v, call.argTypes[0] ?? "real"))];
          return out;
        },
      };
    },
  };
}

function takeAny(name: string): AggregateFunction {
  return {
    name,
    create(call) {
      let first: readonly Value[] | null = null;
      return {
        add(args) {
          if (first === null || (first.every(isNull) && !args.every(isNull))) first = args.slice();
        },
        result: () => call.resultTypes.map((t: KqlType, i) => (first ? (first[i] ?? null) : t === "string" ? "" : null)),
      };
    },
  };
}

function bitwise(name: string, op: (a: bigint, b: bigint) => bigint): AggregateFunction {
  return single(name, () => {
    let acc: bigint | null = null;
    return {
      add(args) {
        const v = args[0];
        if (typeof v !== "number" && typeof v !== "bigint") return;
        const b = BigInt.asIntN(64, typeof v === "bigint" ? v : BigInt(Math.trunc(v)));
        acc = acc === null ? b : op(acc, b);
      },
      value: () => (acc === null ? null : normalizeLong(BigInt.asIntN(64, acc))),
    };
  });
}

/** Every aggregate summarize supports, by name. */
export const AGGREGATES: readonly AggregateFunction[] = [
  // count(x): a bool argument counts the rows where it is true, any other the rows where it is not null.
  counter("count", (args) => args.length === 0 || (typeof args[0] === "boolean" ? args[0] : !isNull(args[0]!))),
  counter("countif", (args) => args[0] === true),
  distinctCounter("dcount", false),
  distinctCounter("count_distinct", false),
  distinctCounter("dcountif", true),
  distinctCounter("count_distinctif", true),
  summer("sum", false),
  summer("sumif", true),
  averager("avg", false),
  averager("avgif", true),
  extreme("min", false, false),
  extreme("max", true, false),
  extreme("minif", false, true),
  extreme("maxif", true, true),
  argExtreme("arg_min", false),
  argExtreme("arg_max", true),
  argExtreme("argmin", false),
  argExtreme("argmax", true),
  collector("make_set", true, false),
  collector("makeset", true, false),
  collector("make_set_if", true, true),
  collector("make_list", false, false),
  collector("makelist", false, false),
  collector("make_list_if", false, true),
  collector("make_list_with_nulls", false, false, true),
  bagMaker("make_bag", false),
  bagMaker("make_dictionary", false),
  bagMaker("make_bag_if", true),
  takeAny("take_any"),
  takeAny("any"),
  percentiler("percentile", false),
  percentiler("percentiles", false),
  percentiler("percentiles_array", true),
  moments("stdev", false, true, false),
  moments("stdevif", false, true, true),
  moments("stdevp", true, true, false),
  moments("variance", false, false, false),
  moments("varianceif", false, false, true),
  moments("variancep", true, false, false),
  covariance("covariance", false, false),
  covariance("covarianceif", false, true),
  covariance("covariancep", true, false),
  covariance("covariancepif", true, true),
  bitwise("binary_all_or", (a, b) => a | b),
  bitwise("binary_all_and", (a, b) => a & b),
  bitwise("binary_all_xor", (a, b) => a ^ b),
];

const BY_NAME: ReadonlyMap<string, AggregateFunction> = new Map(AGGREGATES.map((a) => [a.name, a]));

/** The aggregate called `name` (summarize, make-series and top-nested share these implementations), or undefined. */
export function aggregateNamed(name: string): AggregateFunction | undefined {
  return BY_NAME.get(name);
}
