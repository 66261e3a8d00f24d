import { EngineError } from "../errors.ts";
import { decimalArithmetic } from "../expressions/decimal.ts";
import { compareValues, fitsLong, groupKey, isBag, normalizeLong, toDynamic, type JsonValue, type KqlType, type Value } from "../values.ts";
import type { Accumulator, AggregateCall, AggregateFunction } from "./contract.ts";

const isNull = (v: Value): boolean => v === null || v === undefined;

/** The state of a one-column aggregate; `merge` (when it has one) is given another state of the same call. */
interface Single {
  add(args: readonly Value[]): void;
  value(): Value;
  merge?(other: Single): boolean;
}

function single(name: string, make: (call: AggregateCall) => Single): AggregateFunction {
  return {
    name,
    create: (call) => {
      const inner = make(call);
      return inner.merge ? new MergeableSingleAccumulator(inner) : new SingleAccumulator(inner);
    },
  };
}

/** A one-column aggregate's accumulator (methods on the prototype: one is made per group of every summarize). */
class SingleAccumulator implements Accumulator {
  constructor(readonly inner: Single) {}
  add(args: readonly Value[]): void {
    this.inner.add(args);
  }
  result(): Value[] {
    return [this.inner.value()];
  }
}

/** The same, of an aggregate whose states merge. */
class MergeableSingleAccumulator extends SingleAccumulator {
  merge(other: Accumulator): boolean {
    return this.inner.merge?.((other as SingleAccumulator).inner) ?? false;
  }
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
  merge(other: Accumulator): boolean {
    this.n += (other as CountAccumulator).n;
    return true;
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
  // exact: the engine's dcount counts distinct values exactly (not Kusto's estimate), and a union of sets is exact
  merge(other: Accumulator): boolean {
    const { seen, objects } = other as DistinctAccumulator;
    for (const v of seen) this.seen.add(v);
    if (objects) for (const text of objects) (this.objects ??= new Set()).add(text);
    return true;
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
function longSummer(conditional: boolean): Single {
  return new LongSum(conditional);
}

class LongSum implements Single {
  private small = 0;
  private big: bigint | null = null;
  constructor(private readonly conditional: boolean) {}
  add(args: readonly Value[]): void {
    if (this.conditional && args[1] !== true) return;
    const v = args[0];
    if (typeof v === "number" && this.big === null) {
      const next = this.small + Math.trunc(v);
      if (Number.isSafeInteger(next)) {
        this.small = next;
        return;
      }
    }
    if (typeof v !== "number" && typeof v !== "bigint" && typeof v !== "boolean") return;
    this.big = (this.big ?? BigInt(this.small)) + (typeof v === "number" ? BigInt(Math.trunc(v)) : BigInt(v));
    if (!fitsLong(this.big)) throw new EngineError("SC4020", "sum() of longs overflows 64 bits; Kusto fails such a query (https://learn.microsoft.com/kusto/concepts/overflow)");
  }
  value(): Value {
    return this.big === null ? this.small : normalizeLong(this.big);
  }
  // exact while both running sums stayed safe integers: every running sum of the rows in order then lies within
  // 2^54 of zero, far from the 64-bit overflow a row-by-row sum would fail on
  merge(other: Single): boolean {
    const o = other as LongSum;
    const next = this.small + o.small;
    if (this.big !== null || o.big !== null || !Number.isSafeInteger(next)) return false;
    this.small = next;
    return true;
  }
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
  return single(name, (call) => new Extreme(wantMax, conditional, call.resultTypes[0] === "string"));
}

class Extreme implements Single {
  private best: Value = null;
  constructor(
    private readonly wantMax: boolean,
    private readonly conditional: boolean,
    private readonly text: boolean,
  ) {}
  private offer(v: Value): void {
    if (this.best === null) this.best = v;
    else {
      const c = compareValues(v, this.best);
      if (this.wantMax ? c > 0 : c < 0) this.best = v;
    }
  }
  add(args: readonly Value[]): void {
    if (this.conditional && args[1] !== true) return;
    const v = args[0]!;
    if (isNull(v) || (this.text && v === "")) return;
    this.offer(v);
  }
  value(): Value {
    return this.best === null && this.text ? "" : this.best;
  }
  // the other's extreme is the one value of its rows that could replace ours; ties keep the earlier, as row by row
  merge(other: Single): boolean {
    const { best } = other as Extreme;
    if (best !== null) this.offer(best);
    return true;
  }
}

/** arg_min/arg_max: the row extreme in args[0]; result = that row's args (args[0], extras…). */
function argExtreme(name: string, wantMax: boolean): AggregateFunction {
  return { name, create: (call) => new ArgExtreme(wantMax, call.resultTypes) };
}

class ArgExtreme implements Accumulator {
  private best: readonly Value[] | null = null;
  // When every value is null Kusto returns the group's first row.
  private first: readonly Value[] | null = null;
  constructor(
    private readonly wantMax: boolean,
    private readonly types: readonly KqlType[],
  ) {}
  private better(v: Value): boolean {
    const best = this.best;
    return best === null || (this.wantMax ? compareValues(v, best[0]!) > 0 : compareValues(v, best[0]!) < 0);
  }
  add(args: readonly Value[]): void {
    // the group's first row, when it is also its best so far, is copied once (partials keep both per group)
    const copy = this.first === null ? (this.first = args.slice()) : undefined;
    const v = args[0]!;
    if (isNull(v)) return;
    if (this.better(v)) this.best = copy ?? args.slice();
  }
  result(): Value[] {
    const row = this.best ?? this.first;
    return this.types.map((t, i) => (row ? (row[i] ?? null) : t === "string" ? "" : null));
  }
  // the other's first and best rows are the only ones of its rows that could become ours (ties keep the earlier)
  merge(other: Accumulator): boolean {
    const o = other as ArgExtreme;
    this.first ??= o.first;
    if (o.best !== null && this.better(o.best[0]!)) this.best = o.best;
    return true;
  }
}

function collector(name: string, distinct: boolean, conditional: boolean, keepNulls = false): AggregateFunction {
  return single(name, (call) => new Collector(maxSize(call, conditional ? 2 : 1), call.argTypes[0] ?? "dynamic", distinct, conditional, keepNulls));
}

class Collector implements Single {
  private readonly items: JsonValue[] = [];
  private readonly seen = new Set<string>();
  constructor(
    private readonly limit: number,
    private readonly type: KqlType,
    private readonly distinct: boolean,
    private readonly conditional: boolean,
    private readonly keepNulls: boolean,
  ) {}
  /** Adds one item (distinct: unless its value is in already); false when the list is full. */
  private push(item: JsonValue): boolean {
    if (this.items.length >= this.limit) return false;
    if (this.distinct) {
      const k = groupKey(item);
      if (this.seen.has(k)) return true;
      this.seen.add(k);
    }
    this.items.push(item);
    return true;
  }
  add(args: readonly Value[]): void {
    if (this.conditional && args[1] !== true) return;
    const v = args[0]!;
    if (!this.keepNulls && (isNull(v) || (this.type === "dynamic" && v === null))) return;
    if (this.items.length >= this.limit) return;
    if (this.distinct && this.type === "dynamic" && Array.isArray(v)) {
      for (const e of v) this.push(e);
      return;
    }
    this.push(toDynamic(v, this.type));
  }
  value(): Value {
    return this.items;
  }
  // the other's items are its rows' first `limit` (distinct) values in order; the ones we can still take are among them
  merge(other: Single): boolean {
    for (const item of (other as Collector).items) if (!this.push(item)) break;
    return true;
  }
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
  return { name, create: (call) => new TakeAny(call.resultTypes) };
}

class TakeAny implements Accumulator {
  private first: readonly Value[] | null = null;
  constructor(private readonly types: readonly KqlType[]) {}
  add(args: readonly Value[]): void {
    if (this.first === null || (this.first.every(isNull) && !args.every(isNull))) this.first = args.slice();
  }
  result(): Value[] {
    return this.types.map((t, i) => (this.first ? (this.first[i] ?? null) : t === "string" ? "" : null));
  }
  // the engine's choice is deterministic (the first row, or the first with a value): the other's choice is the one candidate
  merge(other: Accumulator): boolean {
    const { first } = other as TakeAny;
    if (first && (this.first === null || (this.first.every(isNull) && !first.every(isNull)))) this.first = first;
    return true;
  }
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
