import type { Value } from "../values.ts";
import { GroupIndex } from "./group-index.ts";

/** A segment's partial as the sharing test sees it: its groups' keys, each key once. */
export interface KeyedPartial {
  readonly groups: readonly { readonly keys: readonly Value[] }[];
}

/** What the index holds of a stable partial: its keys alone (not its accumulators), so a partial goes with its segment. */
interface Handle {
  readonly keys: readonly (readonly Value[])[];
}

/** Rebuild the index when dynamic keys' tokens outnumber the live keys' values (width per key) by this much (tokens outlive deleted keys). */
const SPARE_TOKENS = 4096;

/**
 * Which of a summarize's segment partials share a group key with another partial of the same run, in one pass over
 * the groups: an index of the keys of the stable partials (those a later run gives again, unchanged) maps each key to
 * the partials holding it, and is kept from run to run, so a run adds the keys of the partials new to it and removes
 * those of the partials gone since, never comparing partials pair by pair. Partials seen in part (new at every run)
 * are looked up in that index and in one of their own, and are never added to the kept one. The index holds a handle
 * with a partial's keys alone, so a partial whose segment left the window is not kept alive by it.
 */
export class PartialSharing<P extends KeyedPartial> {
  private index: GroupIndex<Handle | Handle[]>;
  /** The handles of the stable partials in the index → how many of their keys another partial in the index also holds. */
  private readonly sharedKeys = new Map<Handle, number>();
  /** Each stable partial's handle, while the partial lives. */
  private readonly handles = new WeakMap<P, Handle>();
  private liveKeys = 0;

  constructor(private readonly width: number) {
    this.index = new GroupIndex(width);
  }

  /** Per partial (in the order given), whether one of its keys is a key of another partial among `parts`; `stable[i]` says whether `parts[i]` is kept across runs. */
  sharing(parts: readonly P[], stable: readonly boolean[]): boolean[] {
    const handles = parts.map((part, i) => (stable[i] ? this.handleOf(part) : undefined));
    const shared = this.sharingOfStable(handles);
    const position = new Map<Handle, number>();
    handles.forEach((handle, i) => {
      if (handle && !position.has(handle)) position.set(handle, i);
    });
    const local = new GroupIndex<number>(this.width);
    parts.forEach((part, i) => {
      if (stable[i]) return;
      for (const group of part.groups) {
        const held = this.index.get(group.keys);
        if (held !== undefined) {
          shared[i] = true;
          for (const other of Array.isArray(held) ? held : [held]) shared[position.get(other)!] = true;
        }
        const first = local.getOrCreate(group.keys, () => i);
        if (first !== i) shared[i] = shared[first] = true;
      }
    });
    return shared;
  }

  /** The partial's handle: made once, from its keys. */
  private handleOf(part: P): Handle {
    let handle = this.handles.get(part);
    if (!handle) this.handles.set(part, (handle = { keys: part.groups.map((group) => group.keys) }));
    return handle;
  }

  /** Brings the index to this run's stable partials (by their handles; undefined for the others) and reads their answers (false for the others). */
  private sharingOfStable(handles: readonly (Handle | undefined)[]): boolean[] {
    const current = new Set<Handle>();
    const repeated = new Set<Handle>();
    for (const handle of handles) {
      if (!handle) continue;
      if (current.has(handle)) repeated.add(handle);
      current.add(handle);
    }
    for (const part of this.sharedKeys.keys()) if (!current.has(part)) this.remove(part);
    if (this.index.tokenCount > this.width * this.liveKeys + SPARE_TOKENS) this.rebuild();
    for (const part of current) if (!this.sharedKeys.has(part)) this.add(part);
    // a partial given twice shares each of its keys with itself
    return handles.map((part) => part !== undefined && (this.sharedKeys.get(part)! > 0 || (repeated.has(part) && part.keys.length > 0)));
  }

  private add(part: Handle): void {
    let count = 0;
    for (const keys of part.keys) {
      const held = this.index.getOrCreate(keys, () => part);
      if (held === part) {
        this.liveKeys++;
        continue;
      }
      count++;
      if (Array.isArray(held)) {
        held.push(part);
        continue;
      }
      this.sharedKeys.set(held, this.sharedKeys.get(held)! + 1);
      this.index.set(keys, [held, part]);
    }
    this.sharedKeys.set(part, count);
  }

  private remove(part: Handle): void {
    for (const keys of part.keys) {
      const held = this.index.get(keys)!;
      if (!Array.isArray(held)) {
        this.index.delete(keys);
        this.liveKeys--;
        continue;
      }
      held.splice(held.indexOf(part), 1);
      if (held.length > 1) continue;
      const other = held[0]!;
      this.sharedKeys.set(other, this.sharedKeys.get(other)! - 1);
      this.index.set(keys, other);
    }
    this.sharedKeys.delete(part);
  }

  /** Starts the index afresh from the partials it holds (dropping the tokens of dynamic keys no partial holds any more). */
  private rebuild(): void {
    const parts = [...this.sharedKeys.keys()];
    this.index = new GroupIndex(this.width);
    this.sharedKeys.clear();
    this.liveKeys = 0;
    for (const part of parts) this.add(part);
  }
}
