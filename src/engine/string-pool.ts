/** Longest string a pool shares: longer text (messages, request bodies) rarely repeats. */
const SHARED_MAX_LENGTH = 512;
/** Most distinct strings a pool holds; a full pool starts over, so it stays bounded. */
const SHARED_MAX_STRINGS = 65_536;

/** One copy of each short string value: resource ids, operation names, users and computed labels repeat endlessly. */
export class StringPool {
  #strings = new Map<string, string>();

  /** The pool's copy of a string value (the value itself when it is not a short string). */
  intern(value: unknown): unknown {
    if (typeof value !== "string" || value.length > SHARED_MAX_LENGTH) return value;
    const known = this.#strings.get(value);
    if (known !== undefined) return known;
    if (this.#strings.size >= SHARED_MAX_STRINGS) this.#strings = new Map();
    this.#strings.set(value, value);
    return value;
  }
}
