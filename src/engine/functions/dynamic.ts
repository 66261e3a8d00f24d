/** Dynamic (JSON) functions: property bags, arrays and sets. */
import { EngineError } from "../errors.ts";
import { compareWithNulls, dynamicEquals, groupKey, isBag, type JsonValue, type Value } from "../values.ts";
import { argArray, argLong, argString, argType, convertValue, dynamicOf, kustoString, toBool, toReal } from "./conversion.ts";
import type { CallContext, ScalarFunction } from "./registry.ts";

type Impl = (args: readonly Value[], ctx: CallContext) => Value;
type Bag = { [key: string]: JsonValue };

const MAX_RANGE_ELEMENTS = 1_048_576;

/** Argument `i` as a dynamic value (typed scalars converted as Kusto stores them in dynamic). */
function argDynamic(args: readonly Value[], ctx: CallContext, i: number): JsonValue {
  return dynamicOf(args[i] ?? null, argType(ctx, i));
}

function bagArg(args: readonly Value[], i: number): Bag | null {
  const v = args[i] ?? null;
  return isBag(v) ? v : null;
}

/** Splits a JSONPath key (`$.a.b`, `$['a']`) into its keys; any other text is one first-level key (dots included). */
function keyPath(key: string): string[] {
  if (!key.startsWith("$")) return [key];
  const path: string[] = [];
  const re = /\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]|\.?([^.[\]]+)/g;
  const body = key.startsWith("$") ? key.slice(1) : key;
  for (const m of body.matchAll(re)) path.push(m[1] ?? m[2] ?? m[3] ?? "");
  return path;
}

function hasPath(bag: Bag, path: string[]): boolean {
  let node: JsonValue = bag;
  for (const key of path) {
    if (!isBag(node) || !Object.prototype.hasOwnProperty.call(node, key)) return false;
    node = node[key] ?? null;
  }
  return true;
}

function withoutPath(bag: Bag, path: string[]): Bag {
  const [head, ...rest] = path;
  if (head === undefined || !Object.prototype.hasOwnProperty.call(bag, head)) return bag;
  const copy: Bag = { ...bag };
  if (rest.length === 0) {
    delete copy[head];
    return copy;
  }
  const child = bag[head] ?? null;
  if (isBag(child)) copy[head] = withoutPath(child, rest);
  return copy;
}

function withPath(bag: Bag, path: string[], value: JsonValue): Bag {
  const [head, ...rest] = path;
  if (head === undefined) return bag;
  const copy: Bag = { ...bag };
  if (rest.length === 0) copy[head] = value;
  else {
    const child = bag[head] ?? null;
    copy[head] = withPath(isBag(child) ? child : {}, rest, value);
  }
  return copy;
}

const bagPack: Impl = (args, ctx) => {
  if (args.length % 2 !== 0) throw new EngineError("SC4004", "bag_pack(): expects key/value pairs (an even number of arguments)");
  const bag: Bag = {};
  for (let i = 0; i < args.length; i += 2) bag[argString(args, ctx, i)] = argDynamic(args, ctx, i + 1);
  return bag;
};

const bagMerge: Impl = (args) => {
  const out: Bag = {};
  for (let i = 0; i < args.length; i++) {
    const bag = bagArg(args, i);
    if (bag === null) continue;
    for (const [k, v] of Object.entries(bag)) if (!Object.prototype.hasOwnProperty.call(out, k)) out[k] = v;
  }
  return out;
};

const bagZip: Impl = (args) => {
  const keys = argArray(args, 0);
  if (keys === null) return null;
  const values = argArray(args, 1);
  const out: Bag = {};
  keys.forEach((k, i) => {
    if (typeof k === "string") out[k] = values?.[i] ?? null;
  });
  return out;
};

/** Index lookup shared by array_index_of: start (negative from the end), length (-1 = to the end), occurrence. */
function arrayIndexOf(arr: JsonValue[], lookup: JsonValue, start: number, length: number, occurrence: number): number | null {
  if (occurrence <= 0 || length < -1) return null;
  const from = start < 0 ? Math.max(0, arr.length + start) : start;
  const end = length === -1 ? arr.length : Math.min(arr.length, from + length);
  let seen = 0;
  for (let i = from; i < end; i++) if (dynamicEquals(arr[i] ?? null, lookup) && ++seen === occurrence) return i;
  return -1;
}

function sortArrays(args: readonly Value[], ctx: CallContext, descending: boolean): Value {
  const arrays: JsonValue[][] = [];
  let nullsLast = true;
  for (let i = 0; i < args.length; i++) {
    const v = args[i] ?? null;
    if (Array.isArray(v)) arrays.push(v);
    else if (i === args.length - 1 && i > 0 && argType(ctx, i) === "bool") nullsLast = v !== false;
    else return null;
  }
  const first = arrays[0];
  if (first === undefined || arrays.some((a) => a.length !== first.length)) return null;
  const order = first.map((_, i) => i);
  order.sort((a, b) => {
    const x = first[a] ?? null;
    const y = first[b] ?? null;
    if (x === null || y === null) return compareWithNulls(x, y, !nullsLast);
    const c = compareWithNulls(x, y, false);
    return (descending ? -c : c) || a - b;
  });
  const sorted = arrays.map((arr) => order.map((i) => arr[i] ?? null));
  return sorted.length === 1 ? (sorted[0] ?? null) : sorted;
}

function shift(arr: JsonValue[], n: number, fill: JsonValue): JsonValue[] {
  return arr.map((_, i) => {
    const j = i + n;
    return j >= 0 && j < arr.length ? (arr[j] ?? null) : fill;
  });
}

function rotate(arr: JsonValue[], n: number): JsonValue[] {
  if (arr.length === 0) return [];
  const k = ((n % arr.length) + arr.length) % arr.length;
  return [...arr.slice(k), ...arr.slice(0, k)];
}

function slice(arr: JsonValue[], start: number, end: number): JsonValue[] {
  const n = arr.length;
  const from = Math.max(0, start < 0 ? n + start : start);
  const to = Math.min(n - 1, end < 0 ? n + end : end);
  return from > to ? [] : arr.slice(from, to + 1);
}

function split(arr: JsonValue[], indices: number[]): JsonValue[] {
  const cuts = indices.map((i) => Math.min(arr.length, Math.max(0, i < 0 ? arr.length + i : i)));
  const out: JsonValue[] = [];
  let last = 0;
  for (const cut of cuts) {
    out.push(arr.slice(last, Math.max(last, cut)));
    last = Math.max(last, cut);
  }
  out.push(arr.slice(last));
  return out;
}

function distinct(values: JsonValue[]): JsonValue[] {
  const seen = new Set<string>();
  const out: JsonValue[] = [];
  for (const v of values) {
    const key = groupKey(v);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(v);
    }
  }
  return out;
}

function allArrays(args: readonly Value[]): JsonValue[][] | null {
  const arrays: JsonValue[][] = [];
  for (let i = 0; i < args.length; i++) {
    const arr = argArray(args, i);
    if (arr === null) return null;
    arrays.push(arr);
  }
  return arrays;
}

function keySet(arr: JsonValue[]): Set<string> {
  return new Set(arr.map(groupKey));
}

const setUnion: Impl = (args) => {
  const arrays = allArrays(args);
  return arrays === null ? null : distinct(arrays.flat());
};

const setIntersect: Impl = (args) => {
  const arrays = allArrays(args);
  if (arrays === null) return null;
  const [first = [], ...rest] = arrays;
  const others = rest.map(keySet);
  return distinct(first).filter((v) => others.every((s) => s.has(groupKey(v))));
};

const setDifference: Impl = (args) => {
  const arrays = allArrays(args);
  if (arrays === null) return null;
  const [first = [], ...rest] = arrays;
  const others = rest.map(keySet);
  return distinct(first).filter((v) => others.every((s) => !s.has(groupKey(v))));
};

const jaccard: Impl = (args) => {
  const arrays = allArrays(args);
  if (arrays === null || arrays.length !== 2) return null;
  const a = keySet(arrays[0]!);
  const b = keySet(arrays[1]!);
  const union = new Set([...a, ...b]).size;
  const inter = [...a].filter((k) => b.has(k)).length;
  return union === 0 ? NaN : inter / union;
};

const zip: Impl = (args) => {
  const arrays = allArrays(args);
  if (arrays === null) return null;
  const n = Math.max(0, ...arrays.map((a) => a.length));
  return Array.from({ length: n }, (_, i) => arrays.map((a) => a[i] ?? null));
};

const arrayIff: Impl = (args) => {
  const cond = argArray(args, 0);
  if (cond === null) return null;
  const pick = (v: Value, i: number): JsonValue => (Array.isArray(v) ? (v[i] ?? null) : ((v ?? null) as JsonValue));
  return cond.map((c, i) => {
    const b = toBool(c, typeof c === "string" ? "string" : "dynamic");
    return b === null ? null : b ? pick(args[1] ?? null, i) : pick(args[2] ?? null, i);
  });
};

const arraySum: Impl = (args) => {
  const arr = argArray(args, 0);
  if (arr === null) return null;
  let sum = 0;
  for (const v of arr) {
    if (typeof v !== "number") return null;
    sum += v;
  }
  return sum;
};

function treepath(value: JsonValue, prefix: string, out: string[], seen: Set<string>): void {
  const add = (p: string): void => {
    if (!seen.has(p)) {
      seen.add(p);
      out.push(p);
    }
  };
  if (isBag(value)) {
    for (const [k, v] of Object.entries(value)) {
      const p = `${prefix}['${k}']`;
      add(p);
      treepath(v, p, out, seen);
    }
  } else if (Array.isArray(value) && value.length > 0) {
    const p = `${prefix}[0]`;
    add(p);
    for (const v of value) treepath(v, p, out, seen);
  }
}

/** Parses a JSONPath of the forms Kusto documents for extract_json (`$.a`, `$['a']`, `$.a[0]`); null if not one. */
function jsonPath(path: string): (string | number)[] | null {
  if (!path.startsWith("$")) return null;
  const steps: (string | number)[] = [];
  const re = /\.([^.[\]]+)|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]|\[(\d+)\]/y;
  re.lastIndex = 1;
  while (re.lastIndex < path.length) {
    const m = re.exec(path);
    if (!m) return null;
    steps.push(m[4] !== undefined ? Number(m[4]) : (m[1] ?? m[2] ?? m[3] ?? ""));
  }
  return steps;
}

const extractJson: Impl = (args, ctx) => {
  const path = argString(args, ctx, 0);
  const steps = jsonPath(path);
  if (steps === null || steps.includes("*")) throw new EngineError("SC4002", `extract_json(): JSONPath '${path}' is not supported (only $.name, $['name'] and [index] steps are)`);
  const source = args[1] ?? null;
  let node: JsonValue;
  if (typeof source === "string" && argType(ctx, 1) === "string") {
    try {
      node = JSON.parse(source) as JsonValue;
    } catch {
      node = null;
    }
  } else node = (source ?? null) as JsonValue;
  for (const step of steps) {
    if (typeof step === "number" ? !Array.isArray(node) : !isBag(node)) {
      node = null;
      break;
    }
    node = (node as Record<string | number, JsonValue>)[step] ?? null;
  }
  if (ctx.resultType === "dynamic") return node;
  if (ctx.resultType === "string") return kustoString(node, "dynamic");
  return node === null ? null : convertValue(node, typeof node === "string" ? "string" : "dynamic", ctx.resultType);
};

/** dynamic_to_json's canonical text: compact JSON with the keys of every bag sorted ordinally. */
export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isBag(value)) {
    const keys = Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k] ?? null)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

const dynamicToJson: Impl = (args, ctx) => {
  const v = (args[0] ?? null) as JsonValue;
  if (argType(ctx, 0) !== "dynamic" || v === null || typeof v !== "object") return kustoString(args[0] ?? null, argType(ctx, 0));
  return canonicalJson(v);
};

const rangeFn: Impl = (args, ctx) => {
  const start = args[0] ?? null;
  const stop = args[1] ?? null;
  if (typeof start === "bigint" && typeof stop === "bigint") {
    const step = args.length > 2 ? (args[2] ?? null) : null;
    if (typeof step !== "bigint" || step === 0n) return null;
    const count = (stop - start) / step + 1n;
    if (count <= 0n) return [];
    if (count > BigInt(MAX_RANGE_ELEMENTS)) return null;
    return Array.from({ length: Number(count) }, (_, i) => dynamicOf(start + BigInt(i) * step, argType(ctx, 0)));
  }
  const a = toReal(start, argType(ctx, 0));
  const b = toReal(stop, argType(ctx, 1));
  const s = args.length > 2 ? toReal(args[2] ?? null, argType(ctx, 2)) : 1;
  if (a === null || b === null || s === null || s === 0) return null;
  const count = Math.floor((b - a) / s) + 1;
  if (count <= 0) return [];
  if (count > MAX_RANGE_ELEMENTS) return null;
  return Array.from({ length: count }, (_, i) => a + i * s);
};

function arrayFn(name: string, f: (arr: JsonValue[], args: readonly Value[], ctx: CallContext) => Value): ScalarFunction {
  return {
    name,
    call: (args, ctx) => {
      const arr = argArray(args, 0);
      return arr === null ? null : f(arr, args, ctx);
    },
  };
}

/** The dynamic family. */
export const DYNAMIC_FUNCTIONS: readonly ScalarFunction[] = [
  { name: "bag_pack", aliases: ["pack", "pack_dictionary"], call: bagPack },
  { name: "pack_array", call: (args, ctx) => args.map((_, i) => argDynamic(args, ctx, i)) },
  { name: "bag_keys", call: (args) => (bagArg(args, 0) === null ? null : Object.keys(bagArg(args, 0)!)) },
  { name: "bag_merge", call: bagMerge },
  { name: "bag_zip", call: bagZip },
  {
    name: "bag_has_key",
    call: (args, ctx) => {
      const bag = bagArg(args, 0);
      return bag === null ? false : hasPath(bag, keyPath(argString(args, ctx, 1)));
    },
  },
  {
    name: "bag_remove_keys",
    call: (args) => {
      const bag = bagArg(args, 0);
      const keys = argArray(args, 1);
      if (bag === null || keys === null) return null;
      return keys.reduce<Bag>((b, k) => (typeof k === "string" ? withoutPath(b, keyPath(k)) : b), bag);
    },
  },
  {
    name: "bag_set_key",
    call: (args, ctx) => {
      const bag = bagArg(args, 0);
      return bag === null ? null : withPath(bag, keyPath(argString(args, ctx, 1)), argDynamic(args, ctx, 2));
    },
  },
  { ...arrayFn("array_length", (arr) => arr.length), aliases: ["arraylength"] },
  {
    name: "array_concat",
    call: (args) => {
      const arrays = allArrays(args);
      return arrays === null ? null : arrays.flat();
    },
  },
  arrayFn("array_slice", (arr, args, ctx) => {
    const start = argLong(args, ctx, 1);
    const end = argLong(args, ctx, 2);
    return start === null || end === null ? null : slice(arr, start, end);
  }),
  arrayFn("array_index_of", (arr, args, ctx) => {
    const start = argLong(args, ctx, 2, 0);
    const length = argLong(args, ctx, 3, -1);
    const occurrence = argLong(args, ctx, 4, 1);
    if (start === null || length === null || occurrence === null) return null;
    return arrayIndexOf(arr, argDynamic(args, ctx, 1), start, length, occurrence);
  }),
  { name: "array_sort_asc", call: (args, ctx) => sortArrays(args, ctx, false) },
  { name: "array_sort_desc", call: (args, ctx) => sortArrays(args, ctx, true) },
  arrayFn("array_reverse", (arr) => [...arr].reverse()),
  arrayFn("array_shift_left", (arr, args, ctx) => {
    const n = argLong(args, ctx, 1);
    return n === null ? null : shift(arr, n, args.length > 2 ? argDynamic(args, ctx, 2) : null);
  }),
  arrayFn("array_shift_right", (arr, args, ctx) => {
    const n = argLong(args, ctx, 1);
    return n === null ? null : shift(arr, -n, args.length > 2 ? argDynamic(args, ctx, 2) : null);
  }),
  arrayFn("array_rotate_left", (arr, args, ctx) => {
    const n = argLong(args, ctx, 1);
    return n === null ? null : rotate(arr, n);
  }),
  arrayFn("array_rotate_right", (arr, args, ctx) => {
    const n = argLong(args, ctx, 1);
    return n === null ? null : rotate(arr, -n);
  }),
  arrayFn("array_split", (arr, args, ctx) => {
    const raw = args[1] ?? null;
    const indices = Array.isArray(raw) ? raw : [argLong(args, ctx, 1)];
    if (indices.some((i) => typeof i !== "number")) return null;
    return split(arr, indices as number[]);
  }),
  { name: "array_sum", call: arraySum },
  { name: "array_iff", aliases: ["array_iif"], call: arrayIff },
  {
    name: "array_repeat",
    call: (args, ctx) => {
      const n = argLong(args, ctx, 1);
      if (n === null || n < 0 || n > MAX_RANGE_ELEMENTS) return null;
      return Array.from({ length: n }, () => argDynamic(args, ctx, 0));
    },
  },
  { name: "set_union", call: setUnion },
  { name: "set_intersect", call: setIntersect },
  { name: "set_difference", call: setDifference },
  arrayFn("set_has_element", (arr, args, ctx) => arr.some((v) => dynamicEquals(v, argDynamic(args, ctx, 1)))),
  { name: "jaccard_index", call: jaccard },
  { name: "zip", call: zip },
  {
    name: "treepath",
    call: (args) => {
      const out: string[] = [];
      treepath((args[0] ?? null) as JsonValue, "", out, new Set());
      return out;
    },
  },
  { name: "range", call: rangeFn },
  { name: "dynamic_to_json", call: dynamicToJson },
  { name: "extract_json", aliases: ["extractjson"], call: extractJson },
];
