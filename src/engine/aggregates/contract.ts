import type { KqlType, Value } from "../values.ts";

/** Static facts about one aggregate call in a summarize. */
export interface AggregateCall {
  /** Static types of the arguments. */
  argTypes: readonly KqlType[];
  /** Static types of the result columns (one for most aggregates; arg_max and percentiles give several). */
  resultTypes: readonly KqlType[];
  /** Values of constant arguments (e.g. percentile levels, max sizes), by position; undefined when not constant. */
  constants: readonly (Value | undefined)[];
}

/** Running state of one aggregate for one group. */
export interface Accumulator {
  /** Adds one row: `args` are the evaluated arguments (for `*` forms, the extra values follow). */
  add(args: readonly Value[]): void;
  /** The result columns' values. */
  result(): Value[];
  /**
   * Adds the rows another accumulator of the same call has seen, as if they followed this one's (partial
   * aggregates per segment, merged per run). False when the result could differ from adding those rows one by
   * one: the caller then adds the rows. `other` is left unchanged. Absent when the aggregate cannot be merged.
   */
  merge?(other: Accumulator): boolean;
}

/** One aggregate function of summarize. */
export interface AggregateFunction {
  readonly name: string;
  /** Why the engine cannot compute this call exactly (checked at plan time), or undefined when it can. */
  refusal?(call: AggregateCall): string | undefined;
  /** Makes an accumulator for one group. */
  create(call: AggregateCall): Accumulator;
}
