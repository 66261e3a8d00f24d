import type { Row, Value } from "../values.ts";
import { GroupIndex } from "./group-index.ts";

/**
 * Rows of one join side by their key cells, without building a key string per row: cells equal as `groupKey` equates
 * them are one key (GroupIndex: primitives as they are, -0 as 0, dynamic values by their JSON), so values of different
 * runtime representations never match (a number, a bigint, a string, a boolean, a dynamic array or bag), while Kusto
 * types sharing one do (int, long, real and decimal as numbers; datetime, timespan and big longs as ticks; string and
 * guid). A row with a null key cell is left out: null never matches.
 */
export class JoinKeyIndex<T> {
  private readonly index: GroupIndex<T>;
  private readonly buffer: Value[];

  constructor(private readonly positions: readonly number[]) {
    this.index = new GroupIndex<T>(positions.length);
    this.buffer = new Array<Value>(positions.length);
  }

  /** What is stored under the key of `row` read at `positions` (default: this side's), or undefined (also for a null key). */
  get(row: Row, positions: readonly number[] = this.positions): T | undefined {
    return this.keysOf(row, positions) ? this.index.get(this.buffer) : undefined;
  }

  /** What is stored under the key of `row`, or what `create` makes, stored there first; undefined (nothing stored) when the key has a null cell. */
  getOrCreate(row: Row, create: () => T): T | undefined {
    return this.keysOf(row, this.positions) ? this.index.getOrCreate(this.buffer, create) : undefined;
  }

  /** Reads the key cells of `row` into the buffer; false when one is null. */
  private keysOf(row: Row, positions: readonly number[]): boolean {
    for (let k = 0; k < positions.length; k++) {
      const value = row[positions[k]!];
      if (value === null || value === undefined) return false;
      this.buffer[k] = value;
    }
    return true;
  }
}
