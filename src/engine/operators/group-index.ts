import { groupKey, type Value } from "../values.ts";

/** A Map key no stored group has. */
const NO_TOKEN = Symbol("no group");

/**
 * Finds groups by a tuple of key values without building a string per row: one nested Map level per key,
 * primitive values used as Map keys directly (equal exactly when `groupKey` is equal: -0 is 0, NaN is NaN,
 * `1`, `1n` and `"1"` differ), dynamic arrays and bags through one token object per distinct JSON rendering.
 */
export class GroupIndex<G> {
  private readonly root = new Map<unknown, unknown>();
  private readonly tokens = new Map<string, object>();

  constructor(private readonly width: number) {}

  /** The group stored under `keys` (the first `width` values), or undefined. */
  get(keys: readonly Value[]): G | undefined {
    let level = this.root;
    const last = this.width - 1;
    for (let k = 0; k < last; k++) {
      const next = level.get(this.knownKeyOf(keys[k]));
      if (next === undefined) return undefined;
      level = next as Map<unknown, unknown>;
    }
    return level.get(this.knownKeyOf(keys[last])) as G | undefined;
  }

  /** Stores `group` under `keys` (the first `width` values). */
  set(keys: readonly Value[], group: G): void {
    this.leafLevel(keys).set(this.keyOf(keys[this.width - 1]), group);
  }

  /** The group stored under `keys`, or the one `create` makes, stored there first: one walk down the levels either way. */
  getOrCreate(keys: readonly Value[], create: () => G): G {
    const level = this.leafLevel(keys);
    const key = this.keyOf(keys[this.width - 1]);
    const found = level.get(key) as G | undefined;
    if (found !== undefined) return found;
    const group = create();
    level.set(key, group);
    return group;
  }

  /** Forgets the group stored under `keys` (if any), and the levels it leaves empty. */
  delete(keys: readonly Value[]): void {
    const path: Map<unknown, unknown>[] = [this.root];
    const pathKeys: unknown[] = [];
    for (let k = 0; k < this.width; k++) {
      const key = this.knownKeyOf(keys[k]);
      pathKeys.push(key);
      if (k === this.width - 1) break;
      const next = path[k]!.get(key) as Map<unknown, unknown> | undefined;
      if (next === undefined) return;
      path.push(next);
    }
    for (let k = this.width - 1; k >= 0; k--) {
      path[k]!.delete(pathKeys[k]);
      if (path[k]!.size > 0) return;
    }
  }

  /** How many distinct dynamic values (arrays, bags) have a token: they stay after their groups are deleted. */
  get tokenCount(): number {
    return this.tokens.size;
  }

  /** The innermost level for `keys`, the levels on the way created as needed. */
  private leafLevel(keys: readonly Value[]): Map<unknown, unknown> {
    let level = this.root;
    const last = this.width - 1;
    for (let k = 0; k < last; k++) {
      const key = this.keyOf(keys[k]);
      let next = level.get(key) as Map<unknown, unknown> | undefined;
      if (next === undefined) {
        next = new Map();
        level.set(key, next);
      }
      level = next;
    }
    return level;
  }

  /** The Map key of a value looked up: a dynamic value never stored has no token yet, and matches nothing (NO_TOKEN). */
  private knownKeyOf(value: Value | undefined): unknown {
    if (value === undefined || value === null || typeof value !== "object") return this.keyOf(value);
    return this.tokens.get(groupKey(value)) ?? NO_TOKEN;
  }

  private keyOf(value: Value | undefined): unknown {
    if (value === undefined || value === null) return null;
    if (typeof value !== "object") return value;
    const text = groupKey(value);
    let token = this.tokens.get(text);
    if (!token) {
      token = {};
      this.tokens.set(text, token);
    }
    return token;
  }
}
