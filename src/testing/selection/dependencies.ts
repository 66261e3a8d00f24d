import path from "node:path";
import { parse } from "yaml";
import type { ContentKind } from "../../content/kinds.ts";
import { kindOfPath } from "../../content/kinds.ts";
import { isRecord, recordsOf } from "../../content/record.ts";
import type { LoadedFile } from "../../load/index.ts";

/** A name content can provide or use: a table, a function (parser or bundled), or a watchlist alias (lower case). */
export type DependencyName = `table:${string}` | `function:${string}` | `watchlist:${string}`;

const WATCHLIST_CALL = /_GetWatchlist\s*\(\s*(?:@?'([^']*)'|@?"([^"]*)")/g;
const BRACKETED = /\[\s*@?(?:'([^']*)'|"([^"]*)")\s*\]/g;
const STRING = /@?'(?:[^'\\\n]|\\.)*'|@?"(?:[^"\\\n]|\\.)*"|```[\s\S]*?```|~~~[\s\S]*?~~~/g;
const COMMENT = /\/\/[^\n]*/g;
const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/g;

/**
 * The names a KQL text may refer to, by a careful scan: comments removed; `_GetWatchlist('X')` arguments
 * kept as watchlists; bracketed names (`['X']`) kept as names; other string literals removed; every remaining
 * identifier kept. The result over-approximates (a column named like a table counts as a use), never misses.
 */
export function scanQueryNames(query: string): { names: Set<string>; watchlists: Set<string> } {
  const watchlists = new Set<string>();
  const names = new Set<string>();
  const noComments = stripComments(query);
  for (const match of noComments.matchAll(WATCHLIST_CALL)) watchlists.add((match[1] ?? match[2] ?? "").toLowerCase());
  const noBrackets = noComments.replace(BRACKETED, (_, single: string | undefined, double: string | undefined) => {
    names.add(single ?? double ?? "");
    return " ";
  });
  for (const match of noBrackets.replace(STRING, " ").matchAll(IDENTIFIER)) names.add(match[0]);
  return { names, watchlists };
}

/** Removes `//` comments outside string literals. */
function stripComments(query: string): string {
  let out = "";
  let i = 0;
  while (i < query.length) {
    STRING.lastIndex = i;
    COMMENT.lastIndex = i;
    const s = nextMatch(STRING, query, i);
    const c = nextMatch(COMMENT, query, i);
    if (!s && !c) break;
    if (s && (!c || s.index < c.index)) {
      out += query.slice(i, s.index + s[0].length);
      i = s.index + s[0].length;
    } else if (c) {
      out += query.slice(i, c.index);
      i = c.index + c[0].length;
    }
  }
  return out + query.slice(i);
}

function nextMatch(pattern: RegExp, text: string, from: number): RegExpExecArray | null {
  pattern.lastIndex = from;
  return pattern.exec(text);
}

/** Every KQL text in a content file: rule and hunting queries, parser bodies, workbook item queries, DCR transforms. */
export function queriesOf(kind: ContentKind, data: unknown): string[] {
  if (!isRecord(data)) return [];
  switch (kind) {
    case "analytic-rule":
    case "hunting-query":
      return typeof data.query === "string" ? [data.query] : [];
    case "parser":
      return typeof data.ParserQuery === "string" ? [data.ParserQuery] : [];
    case "ingestion-mapping":
      return recordsOf(data.dataFlows).flatMap((f) => (typeof f.transformKql === "string" ? [f.transformKql] : []));
    case "workbook":
      return collectWorkbookQueries(data.content);
    default:
      return [];
  }
}

function collectWorkbookQueries(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(collectWorkbookQueries);
  if (!isRecord(node)) return [];
  return Object.entries(node).flatMap(([key, value]) => (key === "query" && typeof value === "string" ? [value] : collectWorkbookQueries(value)));
}

/** The names a content file provides to others: a parser its function, an ingestion mapping its tables, a watchlist its alias. */
export function providedNames(kind: ContentKind, data: unknown): DependencyName[] {
  if (!isRecord(data)) return [];
  switch (kind) {
    case "parser":
      return typeof data.ParserName === "string" ? [`function:${data.ParserName}`] : [];
    case "ingestion-mapping":
      return recordsOf(data.tables).flatMap((t) => (typeof t.name === "string" ? [`table:${t.name}` as const] : []));
    case "watchlist":
      return typeof data.watchlistAlias === "string" ? [`watchlist:${data.watchlistAlias.toLowerCase()}`] : [];
    default:
      return [];
  }
}

/** The names a content file uses (tables and functions by identifier, watchlists by alias). */
export function usedNames(kind: ContentKind, data: unknown): Set<DependencyName> {
  const used = new Set<DependencyName>();
  for (const query of queriesOf(kind, data)) {
    const scanned = scanQueryNames(query);
    for (const name of scanned.names) {
      used.add(`table:${name}`);
      used.add(`function:${name}`);
    }
    for (const alias of scanned.watchlists) used.add(`watchlist:${alias}`);
  }
  return used;
}

/** The names a changed non-content path stands for: `schemas/tables/X.json` → table X, `schemas/tables/functions/F.json` → function F. */
export function namesOfSchemaPath(repoPath: string): DependencyName[] {
  const fn = /^schemas\/tables\/functions\/([^/]+)\.json$/.exec(repoPath);
  if (fn) return [`function:${fn[1] as string}`];
  const table = /^schemas\/tables\/([^/]+)\.json$/.exec(repoPath);
  return table ? [`table:${table[1] as string}`] : [];
}

/** What changed: repo-relative paths, and for deleted content the text it had at the base (to know what it provided). */
export interface ChangeSet {
  paths: string[];
  deletedText?: Map<string, string>;
}

/**
 * The content affected by a change set: changed content files, plus (transitively) every file using a name
 * that a changed file provides or provided (a parser's function, an ingestion mapping's tables, a watchlist,
 * a bundled table schema). Tests files, snapshots and fixtures count as changes of their target.
 */
export function affectedContent(files: readonly LoadedFile[], changes: ChangeSet, targetOf: (tests: LoadedFile) => string): Set<string> {
  const affected = new Set<string>();
  const changedNames = new Set<DependencyName>();
  const changed = new Set(changes.paths);
  for (const p of changes.paths) {
    for (const name of namesOfSchemaPath(p)) changedNames.add(name);
    const oldText = changes.deletedText?.get(p);
    const kind = kindOfPath(p);
    if (oldText !== undefined && kind) {
      try {
        for (const name of providedNames(kind, parse(oldText))) changedNames.add(name);
      } catch {
        // an unparsable old version provided nothing we can name
      }
    }
  }
  for (const file of files) {
    if (file.kind === "tests") {
      const dir = path.posix.dirname(file.path);
      const snapshot = file.path.replace(/\.tests\.ya?ml$/i, ".snap.yaml");
      // a fixture is named relative to the tests file, also from another folder (../other/fixtures/x.jsonl)
      const fixtureChanged = changes.paths.some((p) => !kindOfPath(p) && file.text.includes(path.posix.relative(dir, p)));
      if (changed.has(file.path) || changed.has(snapshot) || fixtureChanged) affected.add(targetOf(file));
    } else if (changed.has(file.path)) {
      affected.add(file.path);
    }
  }
  const provides = new Map(files.map((f) => [f.path, providedNames(f.kind, f.data)]));
  const uses = new Map(files.map((f) => [f.path, usedNames(f.kind, f.data)]));
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of affected) for (const name of provides.get(p) ?? []) if (!changedNames.has(name)) changedNames.add(name);
    for (const file of files) {
      if (affected.has(file.path) || file.kind === "tests") continue;
      const used = uses.get(file.path) ?? new Set();
      if ([...changedNames].some((n) => used.has(n))) {
        affected.add(file.path);
        grew = true;
      }
    }
  }
  return affected;
}
