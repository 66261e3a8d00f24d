/** A stretch of analysed query text: copied from the source scalar, or inserted (a prefix or a substituted value). */
interface Segment {
  /** Offset in the analysed text. */
  at: number;
  length: number;
  /** Offset in the source scalar's value: the copied text, or the placeholder an inserted text replaces. */
  source: number;
  copied: boolean;
}

/** Query text built from a source scalar with insertions, able to map its offsets back to the source. */
export interface MappedQuery {
  text: string;
  /** Maps an offset in `text` to an offset in the source scalar's value. */
  toSource(offset: number): number;
}

/** Builds a MappedQuery piece by piece. */
export class QueryTextBuilder {
  private text = "";
  private readonly segments: Segment[] = [];

  /** Appends `source.slice(from, to)` unchanged. */
  copy(source: string, from: number, to: number): this {
    if (to > from) {
      this.segments.push({ at: this.text.length, length: to - from, source: from, copied: true });
      this.text += source.slice(from, to);
    }
    return this;
  }

  /** Appends text that is not in the source; offsets inside it map to `sourceOffset`. */
  insert(text: string, sourceOffset: number): this {
    if (text.length > 0) {
      this.segments.push({ at: this.text.length, length: text.length, source: sourceOffset, copied: false });
      this.text += text;
    }
    return this;
  }

  /** The finished text and its offset map. */
  build(): MappedQuery {
    const segments = [...this.segments];
    const end = this.text.length;
    const last = segments.at(-1);
    const sourceEnd = last ? last.source + (last.copied ? last.length : 0) : 0;
    return {
      text: this.text,
      toSource(offset: number): number {
        if (offset >= end) return sourceEnd;
        const segment = findSegment(segments, offset);
        if (!segment) return 0;
        return segment.copied ? segment.source + (offset - segment.at) : segment.source;
      },
    };
  }
}

function findSegment(segments: readonly Segment[], offset: number): Segment | undefined {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = segments[mid] as Segment;
    if (offset < s.at) hi = mid - 1;
    else if (offset >= s.at + s.length) lo = mid + 1;
    else return s;
  }
  return undefined;
}

/** A query analysed exactly as written. */
export function unmappedQuery(text: string): MappedQuery {
  return new QueryTextBuilder().copy(text, 0, text.length).build();
}

/** A KQL name as written in declarations: bare when it is a plain identifier, else bracket-quoted (`['my name']`). */
export function quoteName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : bracketName(name);
}

/** Always bracket-quoted (`['type']`), for names that may be KQL keywords. */
export function bracketName(name: string): string {
  return `['${name.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}']`;
}
