import type { KqlType, Value } from "../values.ts";
import { FUNCTION_FAMILIES } from "./families.ts";

/** What a scalar function sees besides its arguments. */
export interface CallContext {
  /** The frozen now() of the run (ticks since the Unix epoch); ago(x) is now - x. */
  readonly now: bigint;
  /** The static KQL type of each argument, from the semantic model. */
  readonly argTypes: readonly KqlType[];
  /** The static KQL type of the call's result, from the semantic model; the value returned must have it. */
  readonly resultType: KqlType;
}

/**
 * One scalar function. `call` receives the evaluated arguments (untagged values, see values.ts; string
 * arguments are never null) and returns a value of `ctx.resultType`. It must not throw for bad data:
 * Kusto returns null (or "" for strings) instead. Throw `EngineError` only for errors Kusto raises at
 * query time (e.g. an invalid regex constant).
 */
export interface ScalarFunction {
  /** The name as KQL spells it (e.g. "tostring"); aliases (e.g. "todouble" for "toreal") are separate entries or `aliases`. */
  readonly name: string;
  readonly aliases?: readonly string[];
  call(args: readonly Value[], ctx: CallContext): Value;
}

/** Looks up scalar functions by name. */
export interface FunctionRegistry {
  get(name: string): ScalarFunction | undefined;
  names(): string[];
}

/** Joins function families (arrays of ScalarFunction) into one registry; a later duplicate name is a bug. */
export function buildRegistry(families: readonly (readonly ScalarFunction[])[]): FunctionRegistry {
  const byName = new Map<string, ScalarFunction>();
  for (const family of families) {
    for (const fn of family) {
      for (const name of [fn.name, ...(fn.aliases ?? [])]) byName.set(name, fn);
    }
  }
  return {
    get: (name) => byName.get(name),
    names: () => [...byName.keys()].sort(),
  };
}

let registry: FunctionRegistry | undefined;

/** The registry of every scalar function family (functions/families.ts). */
export function defaultRegistry(): FunctionRegistry {
  registry ??= buildRegistry(FUNCTION_FAMILIES);
  return registry;
}
