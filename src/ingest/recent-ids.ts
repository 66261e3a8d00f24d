/** A set of the most recent ids, bounded: adding beyond the capacity forgets the oldest. */
export class RecentIds {
  readonly #ids = new Set<string>();

  constructor(
    readonly capacity: number,
    initial: readonly string[] = [],
  ) {
    for (const id of initial) this.add(id);
  }

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  /** Adds an id (moving it to the newest position) and evicts the oldest beyond the capacity. */
  add(id: string): void {
    this.#ids.delete(id);
    this.#ids.add(id);
    if (this.#ids.size > this.capacity) {
      const oldest = this.#ids.values().next().value;
      if (oldest !== undefined) this.#ids.delete(oldest);
    }
  }

  /** The ids, oldest first. */
  toArray(): string[] {
    return [...this.#ids];
  }
}
