import { isAlias, isMap, isPair, isScalar, isSeq, type Node, type Pair, type YAMLMap } from "yaml";
import type { Location, Position } from "../diagnostics/index.ts";
import type { LoadedFile } from "./loaded-file.ts";
import { scalarValueOffsets } from "./scalar-offsets.ts";

/** A path into a document: map keys and sequence indexes. */
export type DocPath = readonly (string | number)[];

interface Found {
  node: Node;
  key?: Node;
  /** True when the whole path was found (false: `node` is the nearest existing parent). */
  exact: boolean;
}

/** Walks a path from the document root, resolving aliases, stopping at the deepest node that exists. */
function findNode(file: LoadedFile, path: DocPath): Found | undefined {
  let node = file.doc.contents as Node | null;
  if (!node) return undefined;
  let key: Node | undefined;
  for (const segment of path) {
    if (isAlias(node)) node = (node.resolve(file.doc) as Node | undefined) ?? node;
    let next: Node | null | undefined;
    let nextKey: Node | undefined;
    if (isMap(node)) {
      const pair = pairIndex(node).get(String(segment));
      if (pair) {
        next = pair.value as Node | null;
        nextKey = pair.key as Node;
        // `key:` with no value: point at the key
        if (next === null || next === undefined) return { node: nextKey, key: nextKey, exact: segment === path.at(-1) };
      }
    } else if (isSeq(node) && typeof segment === "number") {
      next = node.items[segment] as Node | null | undefined;
    }
    if (!next) return { node, ...(key ? { key } : {}), exact: false };
    node = next;
    key = nextKey;
  }
  return { node, ...(key ? { key } : {}), exact: true };
}

/** Each map's pairs by key text, built once per map: locating a key is then constant time, so a file of 100,000 keys with a finding per key stays linear. */
const PAIR_INDEXES = new WeakMap<YAMLMap, Map<string, Pair>>();

function pairIndex(map: YAMLMap): Map<string, Pair> {
  let index = PAIR_INDEXES.get(map);
  if (!index) {
    index = new Map();
    for (const pair of map.items) {
      const text = isPair(pair) ? keyText(pair.key) : undefined;
      // the first of duplicate keys wins, as the linear search did
      if (text !== undefined && !index.has(text)) index.set(text, pair as Pair);
    }
    PAIR_INDEXES.set(map, index);
  }
  return index;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function rangeLocation(file: LoadedFile, node: Node | undefined): Location {
  const range = node?.range;
  if (!range) return { file: file.path, start: { line: 1, col: 1 } };
  return { file: file.path, start: positionAt(file, range[0]), end: positionAt(file, range[1]) };
}

/** 1-based line and column of a character offset in the file's text. */
export function positionAt(file: LoadedFile, offset: number): Position {
  const { line, col } = file.lineCounter.linePos(offset);
  return { line, col };
}

/** Where the value at `path` is (start and end), or the nearest existing parent when the path does not exist. */
export function locate(file: LoadedFile, path: DocPath): Location {
  return rangeLocation(file, findNode(file, path)?.node);
}

/** Where the key of the map entry at `path` is; falls back like `locate` when there is no such entry. */
export function locateKey(file: LoadedFile, path: DocPath): Location {
  const found = findNode(file, path);
  if (found?.exact && found.key) return rangeLocation(file, found.key);
  return rangeLocation(file, found?.node);
}

/**
 * Maps a character offset inside the parsed string value of the scalar at `path` to its 1-based line and
 * column in the YAML file, for every scalar style (plain, quoted with escapes, literal and folded blocks with
 * indentation and chomping indicators, CRLF files). Falls back to the scalar's (or nearest parent's) start.
 */
export function locateInScalar(file: LoadedFile, path: DocPath, offset: number): Position {
  const found = findNode(file, path);
  const node = found?.node;
  if (found?.exact && isScalar(node)) {
    const offsets = scalarValueOffsets(file.text, node);
    const clamped = Math.max(0, Math.min(offset, (offsets?.length ?? 1) - 1));
    const at = offsets?.[clamped];
    if (at !== undefined) return positionAt(file, at);
  }
  return rangeLocation(file, node).start ?? { line: 1, col: 1 };
}
