// The findings a selective test run reports: those about the selected content and about the content it depends
// on (a parser it calls, the ingestion mapping of a table it reads, a watchlist it looks up), not those about
// unrelated content elsewhere in the repository.
import type { ContentKind } from "../../content/kinds.ts";
import { kindOfPath } from "../../content/kinds.ts";
import type { Diagnostic } from "../../diagnostics/index.ts";
import type { LoadedFile } from "../../load/index.ts";
import { readSourceText } from "../../load/source-text.ts";
import { providedNames, usedNames, type DependencyName } from "./dependencies.ts";

/** What a selective run knows of its selection. */
export interface SelectionScope {
  /** The loaded content files and tests files of the repository. */
  files: readonly LoadedFile[];
  /** Whether a repo-relative path lies in the selection (a tests file through its target, a target through its tests files). */
  selected: (file: string) => boolean;
  /** The repository root, where the text of a file that did not load is read. */
  root: string;
}

/**
 * The findings of `diagnostics` a selective run reports: those without a content file, those about selected files,
 * and those about a file providing a name the selected content reaches (through the parsers it calls) or whose
 * provided names cannot be read. A finding about unrelated content (a broken parser no selected query calls) is
 * left out.
 */
export function selectionFindings(diagnostics: readonly Diagnostic[], scope: SelectionScope): Diagnostic[] {
  // walked only when a finding is about a file outside the selection
  let reached: Set<DependencyName> | undefined;
  const byPath = new Map(scope.files.map((f) => [f.path, f]));
  const provides = new Map<string, DependencyName[] | undefined>();
  const providedBy = (file: string, kind: ContentKind) => {
    if (!provides.has(file)) provides.set(file, namesProvided(kind, byPath.get(file), () => readSourceText(scope.root, file)));
    return provides.get(file);
  };
  return diagnostics.filter((d) => {
    const kind = d.file ? kindOfPath(d.file) : undefined;
    if (!kind || scope.selected(d.file)) return true;
    const provided = providedBy(d.file, kind);
    return provided === undefined || provided.some((name) => (reached ??= reachedNames(scope)).has(name));
  });
}

/** The names the selected content uses, directly or through the content providing them (a parser's body). */
function reachedNames(scope: SelectionScope): Set<DependencyName> {
  const providers = new Map<DependencyName, LoadedFile[]>();
  for (const file of scope.files) {
    for (const name of providedNames(file.kind, file.data)) {
      const list = providers.get(name);
      if (list) list.push(file);
      else providers.set(name, [file]);
    }
  }
  const pending = scope.files.filter((f) => scope.selected(f.path));
  const visited = new Set<LoadedFile>();
  const reached = new Set<DependencyName>();
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (visited.has(file)) continue;
    visited.add(file);
    for (const name of usedNames(file.kind, file.data)) {
      if (reached.has(name)) continue;
      reached.add(name);
      pending.push(...(providers.get(name) ?? []));
    }
  }
  return reached;
}

/**
 * The names a file provides: from its loaded data, else (a file that did not load, or whose naming key failed)
 * from a scan of its text; an empty list for a kind that provides none; undefined when they cannot be read.
 */
function namesProvided(kind: ContentKind, file: LoadedFile | undefined, text: () => string | undefined): DependencyName[] | undefined {
  if (!NAME_KEYS[kind]) return [];
  const loaded = file ? providedNames(kind, file.data) : [];
  if (loaded.length > 0) return loaded;
  const scanned = scanProvidedNames(kind, file?.text ?? text() ?? "");
  return scanned.length > 0 ? scanned : undefined;
}

const NAME_KEYS: Partial<Record<ContentKind, { key: RegExp; name: (value: string) => DependencyName }>> = {
  parser: { key: /^\s*ParserName\s*:\s*["']?([A-Za-z_][A-Za-z0-9_]*)/gm, name: (v) => `function:${v}` },
  watchlist: { key: /^\s*watchlistAlias\s*:\s*["']?([^"'\s#]+)/gm, name: (v) => `watchlist:${v.toLowerCase()}` },
  // an ingestion mapping's every `name:` value counts as a table it may provide: more findings kept, none missed
  "ingestion-mapping": { key: /^\s*-?\s*name\s*:\s*["']?([A-Za-z_][A-Za-z0-9_]*)/gm, name: (v) => `table:${v}` },
};

/** The names a providing file's text declares, by its naming key, line by line (the YAML need not parse). */
export function scanProvidedNames(kind: ContentKind, text: string): DependencyName[] {
  const keys = NAME_KEYS[kind];
  if (!keys) return [];
  return [...text.matchAll(keys.key)].map((m) => keys.name(m[1] as string));
}
