/** A Map bounded to `capacity` entries that evicts the least recently used one. */
export class LruCache<K, V> {
  private readonly entries = new Map<K, V>();
  /** The most recently used key, which a hit need not move (a cache is often asked for one key many times in a row). */
  private newest: K | undefined;

  constructor(private readonly capacity: number) {}

  /** The value under `key` (marking it most recently used), or undefined. */
  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined || key === this.newest) return value;
    this.entries.delete(key);
    this.entries.set(key, value);
    this.newest = key;
    return value;
  }

  /** Stores `value` under `key`, evicting the least recently used entry beyond the capacity. */
  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    this.newest = key;
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  /** The value under `key`; on a miss, the value `make` returns, stored first (a throwing `make` stores nothing). */
  getOrCreate(key: K, make: () => V): V {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const value = make();
    this.set(key, value);
    return value;
  }

  /** How many entries are held. */
  get size(): number {
    return this.entries.size;
  }
}
