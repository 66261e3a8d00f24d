import type { KqlType, Value } from "../values.ts";
import { buildRegistry, type ScalarFunction } from "./registry.ts";

/** Calls one scalar function by name with explicit argument types, as the engine would; the result type defaults per test file. */
export type FunctionCaller = (name: string, args: Value[], argTypes: KqlType[], resultType?: KqlType) => Value;

/** A FunctionCaller over the given families, with `defaultResultType` and a frozen now() (`now` ticks, 0 unless given); an unknown name throws. */
export function functionCaller(families: readonly (readonly ScalarFunction[])[], defaultResultType: KqlType, now = 0n): FunctionCaller {
  const registry = buildRegistry(families);
  return (name, args, argTypes, resultType = defaultResultType) => {
    const fn = registry.get(name);
    if (!fn) throw new Error(`no function ${name}`);
    return fn.call(args, { now, argTypes, resultType });
  };
}
